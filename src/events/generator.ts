import { encodeEvent } from './codec.ts';
import type { AnomalySpec, DatasetProfile } from './dataset.ts';
import { DriftPlan, driftKeepsEvent, driftedPayload, type DriftCase } from './drift.ts';
import { Random } from './rng.ts';
import type { LabEvent } from './types.ts';

export const malformedKinds = ['invalid-json', 'missing-field', 'negative-amount', 'far-future'] as const;
export type MalformedKind = (typeof malformedKinds)[number];

/**
 * One generated record. A valid one may carry its own bytes (`payload`) when drift added a field
 * the event does not know; an invalid one always does: malformed bytes, or drift that broke it.
 */
export type GeneratedRecord =
  | { seq: number; key: string; eventTimeMicros: number; valid: true; event: LabEvent; payload?: string; drift?: DriftCase }
  | { seq: number; key: string; eventTimeMicros: number; valid: false; kind: MalformedKind | DriftCase; payload: string };

interface Categorical {
  values: string[];
  cumulative: number[];
}

function categorical(weights: Record<string, number>): Categorical {
  const values = Object.keys(weights);
  let total = 0;
  const cumulative = values.map((value) => (total += weights[value]!));
  return { values, cumulative: cumulative.map((c) => c / total) };
}

function pick(random: Random, table: Categorical): string {
  const u = random.next();
  const { cumulative, values } = table;
  for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return values[i]!;
  return values[values.length - 1]!;
}

/** Log-uniform: small amounts common, large ones rare, as with real payments. */
function amountBetween(random: Random, min: number, max: number): number {
  if (min === max) return min;
  const low = Math.log(min + 1);
  const high = Math.log(max + 1);
  return Math.min(max, Math.max(min, Math.round(Math.exp(low + random.next() * (high - low)) - 1)));
}

/**
 * The seeded event source: for a profile and a seed, record n is always the same bytes. Event
 * times come from the scheduler and are an input, so the same schedule gives the same file.
 */
export class EventSource {
  readonly #profile: DatasetProfile;
  readonly #random: Random;
  readonly #keys: string[];
  readonly #attributes: Array<{ name: string; table?: Categorical; ids?: string[] }>;
  readonly #anomalyThreshold: number[];
  readonly #drift: DriftPlan | undefined;
  #seq = 0;
  #burstKey: string | undefined;
  #burstLeft = 0;

  constructor(profile: DatasetProfile, seed: number) {
    this.#profile = profile;
    this.#random = new Random(seed);
    this.#keys = Array.from({ length: profile.keys.count }, (_, i) => `${profile.keys.prefix}${i}`);
    this.#attributes = profile.attributes.map((a) => ({
      name: a.name,
      ...(a.values ? { table: categorical(a.values) } : {}),
      ...(a.ids ? { ids: Array.from({ length: a.ids.count }, (_, i) => `${a.ids!.prefix}${i}`) } : {}),
    }));
    let total = profile.malformedShare;
    this.#anomalyThreshold = profile.anomalies.map((a) => (total += a.share));
    this.#drift = profile.drift && profile.drift.length > 0 ? new DriftPlan(profile.drift, seed) : undefined;
  }

  get produced(): number {
    return this.#seq;
  }

  next(eventTimeMicros: number): GeneratedRecord {
    const random = this.#random;
    const seq = this.#seq++;
    const key = this.#nextKey();
    const roll = random.next();
    if (roll < this.#profile.malformedShare) {
      const kind = malformedKinds[random.below(malformedKinds.length)]!;
      return { seq, key, eventTimeMicros, valid: false, kind, payload: this.#malformed(kind, seq, key, eventTimeMicros) };
    }
    const anomalyIndex = this.#anomalyThreshold.findIndex((threshold) => roll < threshold);
    const event = this.#event(seq, key, eventTimeMicros, anomalyIndex >= 0 ? this.#profile.anomalies[anomalyIndex] : undefined);
    const drift = this.#drift?.pick(seq);
    if (!drift) return { seq, key: event.key, eventTimeMicros, valid: true, event };
    const payload = driftedPayload(drift, event);
    return driftKeepsEvent(drift.case)
      ? { seq, key: event.key, eventTimeMicros, valid: true, event, payload, drift: drift.case }
      : { seq, key: event.key, eventTimeMicros, valid: false, kind: drift.case, payload };
  }

  #nextKey(): string {
    if (this.#burstLeft > 0) {
      this.#burstLeft--;
      return this.#burstKey!;
    }
    const { hotKeys, hotShare } = this.#profile.keys;
    const random = this.#random;
    const index = hotKeys > 0 && random.next() < hotShare ? random.below(hotKeys) : random.below(this.#keys.length);
    return this.#keys[index]!;
  }

  #event(seq: number, key: string, eventTimeMicros: number, anomaly: AnomalySpec | undefined): LabEvent {
    const random = this.#random;
    const attrs: Record<string, string | number> = {};
    for (const attribute of this.#attributes) {
      attrs[attribute.name] = attribute.table ? pick(random, attribute.table) : attribute.ids![random.below(attribute.ids!.length)]!;
    }
    const { amount } = this.#profile;
    let amountCents =
      amount.onlyWhen && attrs[amount.onlyWhen.attribute] !== amount.onlyWhen.equals
        ? 0
        : amountBetween(random, amount.minCents, amount.maxCents);
    if (anomaly) {
      if (anomaly.amount) amountCents = amountBetween(random, anomaly.amount.minCents, anomaly.amount.maxCents);
      for (const [name, values] of Object.entries(anomaly.attributes ?? {})) attrs[name] = values[random.below(values.length)]!;
      if (anomaly.burst) {
        this.#burstKey = key;
        this.#burstLeft = anomaly.burst - 1;
      }
    }
    return { seq, key, eventTimeMicros, amountCents, attrs };
  }

  #malformed(kind: MalformedKind, seq: number, key: string, eventTimeMicros: number): string {
    const base: LabEvent = { seq, key, eventTimeMicros, amountCents: 100, attrs: {} };
    switch (kind) {
      case 'invalid-json':
        return encodeEvent(base).slice(0, 30);
      case 'missing-field':
        return `{"seq":${seq},"key":${JSON.stringify(key)},"eventTimeMicros":${eventTimeMicros},"attrs":{}}`;
      case 'negative-amount':
        return encodeEvent({ ...base, amountCents: -100 });
      case 'far-future':
        return encodeEvent({ ...base, eventTimeMicros: eventTimeMicros + 10 * 86_400_000_000 });
    }
  }
}
