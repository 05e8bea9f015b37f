import { encodeEvent } from './codec.ts';
import { Random } from './rng.ts';
import type { LabEvent } from './types.ts';

/**
 * How a producer's records change shape under the consumers' feet: a field added, a field
 * renamed, a field's type changed, a line that is not JSON at all. The lake's raw zone takes every
 * one (schema on read); a curated table evolves or rejects; a warehouse refuses what its schema
 * does not have (schema on write). The tiers decode events strictly (codec.ts): to them only an
 * added field is still an event, and the other cases are dead letters, not in the ground truth.
 */
export const driftCases = ['new-field', 'renamed-field', 'type-change', 'malformed-json'] as const;
export type DriftCase = (typeof driftCases)[number];

export interface DriftSpec {
  case: DriftCase;
  /** Share of the records from `startsAfterEvents` on that drift this way. */
  share: number;
  /** Records before this one (by sequence number) keep their shape: drift arrives with a deploy. Default 0. */
  startsAfterEvents?: number;
  /** The field added (new-field, default deviceId), renamed or retyped (default amountCents). */
  field?: string;
  /** renamed-field: the new name (default amount_cents). */
  to?: string;
}

/** Whether a record drifted this way still decodes as the same event (codec.ts): only an added field does. */
export const driftKeepsEvent = (drift: DriftCase): boolean => drift === 'new-field';

// A stream of its own, so a dataset without drift draws exactly what it drew before drift existed.
const driftSeedSalt = 0x0d71f7;

/** Chooses which records drift, from its own seeded stream, and writes their drifted bytes. */
export class DriftPlan {
  readonly #specs: DriftSpec[];
  readonly #random: Random;

  constructor(specs: DriftSpec[], seed: number) {
    this.#specs = specs;
    this.#random = new Random((seed ^ driftSeedSalt) >>> 0);
  }

  /** The drift of record `seq`, if any: one draw per record, the specs' shares stacked in order. */
  pick(seq: number): DriftSpec | undefined {
    const roll = this.#random.next();
    let threshold = 0;
    for (const spec of this.#specs) {
      if (seq < (spec.startsAfterEvents ?? 0)) continue;
      threshold += spec.share;
      if (roll < threshold) return spec;
    }
    return undefined;
  }
}

/** The record's bytes with the drift applied: still one line, as the wire format is. */
export function driftedPayload(spec: DriftSpec, event: LabEvent): string {
  const encoded = encodeEvent(event);
  switch (spec.case) {
    case 'new-field': {
      const field = spec.field ?? 'deviceId';
      return `${encoded.slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(`dev-${event.seq % 1000}`)}}`;
    }
    case 'renamed-field': {
      const from = spec.field ?? 'amountCents';
      const to = spec.to ?? 'amount_cents';
      const renamed = Object.entries(JSON.parse(encoded) as Record<string, unknown>).map(([name, value]) => [name === from ? to : name, value]);
      return JSON.stringify(Object.fromEntries(renamed));
    }
    case 'type-change': {
      const field = spec.field ?? 'amountCents';
      const object = JSON.parse(encoded) as Record<string, unknown>;
      const value = object[field];
      // A number becomes its decimal text ("12.50" for 1250 cents), as a producer that switched to strings would send it.
      object[field] = typeof value === 'number' && field === 'amountCents' ? (value / 100).toFixed(2) : String(value);
      return JSON.stringify(object);
    }
    case 'malformed-json':
      // Cut mid-record, as a producer killed mid-write leaves it.
      return encoded.slice(0, Math.floor(encoded.length / 2));
  }
}
