import { describe, expect, it } from 'vitest';
import { decodeEvent, driftCases, EventSource, loadDataset, type DatasetProfile, type DriftSpec, type GeneratedRecord } from '../../../src/events/index.ts';
import { recordPayload } from '../../../src/events/sinks/kafka.ts';
import { scenarioProfile } from '../../../src/scenarios/scenario.ts';
import { isTierlabError } from '../../../src/errors.ts';

const now = Date.UTC(2026, 0, 5, 9) * 1000;
const every: DriftSpec[] = driftCases.map((drift) => ({ case: drift, share: 0.05 }));

function records(profile: DatasetProfile, count: number, seed = 42): GeneratedRecord[] {
  const source = new EventSource(profile, seed);
  return Array.from({ length: count }, (_, i) => source.next(now + i));
}

describe('schema drift from the generator', () => {
  it('leaves a dataset without drift byte for byte as it was, and drifted events are the same events', async () => {
    const payments = await loadDataset('payments');
    const plain = records(payments, 5_000);
    const drifting = records({ ...payments, drift: every }, 5_000);
    expect(records({ ...payments, drift: [] }, 5_000).map(recordPayload)).toEqual(plain.map(recordPayload));
    // Drift draws from a stream of its own: keys and event times are the same record by record.
    expect(drifting.map((r) => [r.key, r.eventTimeMicros])).toEqual(plain.map((r) => [r.key, r.eventTimeMicros]));
  });

  it('makes each case in about its share, and only an added field still decodes as the event', async () => {
    const payments = await loadDataset('payments');
    const plain = records(payments, 20_000);
    const drifting = records({ ...payments, drift: every }, 20_000);
    const counts = new Map<string, number>();
    drifting.forEach((record, i) => {
      const drift = record.valid ? record.drift : driftCases.find((c) => c === record.kind);
      if (!drift) return;
      counts.set(drift, (counts.get(drift) ?? 0) + 1);
      const original = plain[i]!;
      const payload = recordPayload(record);
      if (drift === 'new-field') {
        expect(record.valid).toBe(true);
        expect(JSON.parse(payload)).toHaveProperty('deviceId');
        expect(original.valid && decodeEvent(payload, now)).toEqual(original.valid && original.event);
      } else {
        expect(record.valid).toBe(false);
        expect(() => decodeEvent(payload, now), `${drift}: ${payload}`).toThrow(
          { 'renamed-field': 'missing field: amountCents', 'type-change': 'bad field: amountCents', 'malformed-json': 'invalid JSON' }[drift],
        );
      }
    });
    for (const drift of driftCases) expect(counts.get(drift), drift).toBeGreaterThan(20_000 * 0.05 * 0.8);
    const renamed = drifting.find((r) => !r.valid && r.kind === 'renamed-field')!;
    expect(JSON.parse(recordPayload(renamed))).toHaveProperty('amount_cents');
    const retyped = drifting.find((r) => !r.valid && r.kind === 'type-change')!;
    expect(JSON.parse(recordPayload(retyped)).amountCents).toMatch(/^\d+\.\d\d$/);
  });

  it('starts a case only after its record number, as a deploy would', async () => {
    const payments = await loadDataset('payments');
    const drifting = records({ ...payments, drift: [{ case: 'new-field', share: 0.5, startsAfterEvents: 1_000 }] }, 2_000);
    const drifted = drifting.filter((r) => r.valid && r.drift === 'new-field').map((r) => r.seq);
    expect(Math.min(...drifted)).toBeGreaterThanOrEqual(1_000);
    expect(drifted.length).toBeGreaterThan(300);
  });

  it("takes a scenario's drift over the dataset's, and refuses one that names no field of the event", async () => {
    const profile = await scenarioProfile({ name: 'lakehouse', dataset: 'payments', drift: every });
    expect(profile.drift).toEqual(every);
    expect((await scenarioProfile({ name: 'demo', dataset: 'payments' })).drift).toBeUndefined();
    for (const [drift, named] of [
      [{ case: 'type-change', share: 0.1, field: 'country' }, '"country" is not one of'],
      [{ case: 'new-field', share: 0.1, field: 'amountCents' }, '"amountCents" is already a field'],
      [{ case: 'new-field', share: 0.1, to: 'x' }, 'is only for renamed-field'],
      [{ case: 'malformed-json', share: 0.6 }, 'shares add up to 0.6'],
    ] as Array<[DriftSpec, string]>) {
      const error = await scenarioProfile({ name: 'lakehouse', dataset: 'payments', drift: [drift] }).catch((e: unknown) => e);
      expect(isTierlabError(error, 'BAD_DATA_FILE'), String(error)).toBe(true);
      expect((error as Error).message).toContain(named);
    }
  });
});
