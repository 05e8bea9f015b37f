import { describe, expect, it } from 'vitest';
import type { Architecture } from '../../../src/cost/architecture.ts';
import {
  defaultArchitectureChoice,
  loadChosenArchitectures,
  loadPriceSheet,
  orderFlip,
  projectCosts,
  sensitivity,
  type CostInputs,
} from '../../../src/cost/index.ts';
import { priceNames } from '../../../src/cost/price-sheet.ts';
import { knobsOf } from '../../../src/cost/sensitivity.ts';
import type { TierCost } from '../../../src/results/summary.ts';
import type { TierName } from '../../../src/tiers/types.ts';

const sheet = await loadPriceSheet();
const shipped = await loadChosenArchitectures(defaultArchitectureChoice);

const usage = { peakRssBytes: 0, events: 60_000, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0, kafkaBytesWritten: 0 };

/** The shipped architectures with all three tiers measured (a demo run's shape). */
const realistic: CostInputs = {
  sheet,
  architectures: shipped,
  kafka: 'per-tier',
  eventsPerDay: 1e8,
  eventBytes: 200,
  peakToMeanRate: 1.5,
  realPeriodMs: 86_400_000,
  triggerMs: 5_000,
  tiers: {
    batch: { ...usage, cpuSeconds: 7, s3Requests: { put: 100, get: 90, list: 5 }, s3BytesWritten: 2e6, jobSeconds: 2, jobRuns: 4 },
    microbatch: { ...usage, cpuSeconds: 6, kafkaBytesWritten: 7e6 },
    streaming: { ...usage, cpuSeconds: 12, kafkaBytesWritten: 10e6 },
  },
};

/*
 * Two tiers simple enough to price by hand, on architectures made for the test:
 * - batch: managed delivery only: B = V/20 records x 5,120 bytes x $0.029/GB x 365;
 * - micro-batch: workers only, sized for the mean at 0.5 utilisation: M = vCPU x 8,760 h x ($0.04048 + 2 x $0.004445).
 * At 8.64e9 events/day (100,000 events/s) of 200 bytes: B = $23,412.33; at c s of CPU an event, vCPU = c x 100,000 / 0.5.
 */
const deliveryOnly: Architecture = { name: 'delivery-only', title: 'Delivery only', tier: 'batch', parts: [{ kind: 'delivery', eventsPerRecord: 20 }] };
const workersOnly: Architecture = { name: 'workers-only', title: 'Workers only', tier: 'microbatch', parts: [{ kind: 'workers', sizedFor: 'mean', utilisation: 0.5 }] };
const B = (8.64e9 / 20) * (5_120 / 1e9) * 0.029 * 365; // $23,412.3264
const vcpuYear = (vcpuHour: number, gbPerVcpu = 2, gbHour = 0.004445) => 8_760 * (vcpuHour + gbPerVcpu * gbHour);
const M = (cpuPerEvent: number) => ((cpuPerEvent * 100_000) / 0.5) * vcpuYear(0.04048);

function simple(cpuPerEvent: number): CostInputs {
  return {
    sheet,
    architectures: { batch: deliveryOnly, microbatch: workersOnly, streaming: shipped.streaming },
    kafka: 'per-tier',
    eventsPerDay: 8.64e9,
    eventBytes: 200,
    peakToMeanRate: 1,
    realPeriodMs: 86_400_000,
    triggerMs: 5_000,
    tiers: { batch: { ...usage, cpuSeconds: 0 }, microbatch: { ...usage, cpuSeconds: cpuPerEvent * 60_000 } },
  };
}

type Costs = Partial<Record<TierName, TierCost>>;
const cheapest = (costs: Costs): TierName | null =>
  (Object.entries(costs) as Array<[TierName, TierCost]>).sort((a, b) => a[1].usdPerYear - b[1].usdPerYear)[0]?.[0] ?? null;

/** Every number in the inputs, by its path: to see what a knob moved. */
function numbers(value: unknown, path = ''): Record<string, number> {
  if (typeof value === 'number') return { [path]: value };
  if (value === null || typeof value !== 'object') return {};
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => numbers(inner, `${path}/${key}`)));
}
function changed(before: CostInputs, after: CostInputs): Record<string, [number, number]> {
  const [a, b] = [numbers(before), numbers(after)];
  return Object.fromEntries(Object.keys({ ...a, ...b }).filter((key) => a[key] !== b[key]).map((key) => [key, [a[key]!, b[key]!]]));
}

describe('knobsOf', () => {
  it('has a knob for every price, every numeric assumption, every numeric setting of the architectures priced, and the peak-to-mean rate', () => {
    const knobs = knobsOf(realistic).map((k) => k.assumption);
    expect(knobs).toEqual([
      'price computeVcpuHour',
      'price computeGbHour',
      'price kafkaBrokerHour (not verified)',
      'price kafkaStorageGbMonth (not verified)',
      'price s3StorageGbMonth',
      'price s3PutPer1000',
      'price s3GetPer1000',
      'price ingestGb (not verified)',
      'kafkaBrokersMinimum',
      'kafkaReplication',
      'kafkaRetentionDays',
      'kafkaBrokerWriteMBps',
      'workerMinimumVcpu',
      'workerGbPerVcpu',
      'batch-managed-delivery: delivery eventsPerRecord',
      'batch-managed-delivery: object-storage retentionDays',
      'batch-managed-delivery: job-compute minimumBilledSecondsPerRun',
      'microbatch-kafka: workers utilisation',
      'streaming-at-least-once: workers utilisation',
      'peak-to-mean rate',
    ]);
    // The list is the sheet's and the architectures', not a fixed one: derived here from the data.
    const expected = [
      ...priceNames.map((name) => `price ${name}${sheet.prices[name].verified ? '' : ' (not verified)'}`),
      ...Object.keys(sheet.assumptions),
      ...Object.values(realistic.architectures).flatMap((a) =>
        a.parts.flatMap((part) => Object.entries(part).filter(([, v]) => typeof v === 'number').map(([setting]) => `${a.name}: ${part.kind} ${setting}`)),
      ),
      'peak-to-mean rate',
    ];
    expect([...knobs].sort()).toEqual([...expected].sort());
  });

  it('leaves out the settings of an architecture whose tier was not measured', () => {
    const knobs = knobsOf(simple(5e-4)).map((k) => k.assumption);
    expect(knobs.filter((k) => k.includes(':'))).toEqual(['delivery-only: delivery eventsPerRecord', 'workers-only: workers utilisation']);
    expect(knobs).toHaveLength(8 + 6 + 2 + 1);
  });

  /** The three counts, and where each moves at half and at double. */
  const wholeMoves: Record<string, { path: string; from: number; half: number; double: number }> = {
    kafkaBrokersMinimum: { path: '/sheet/assumptions/kafkaBrokersMinimum', from: 3, half: 2, double: 6 },
    kafkaReplication: { path: '/sheet/assumptions/kafkaReplication', from: 3, half: 2, double: 6 },
    'batch-managed-delivery: delivery eventsPerRecord': { path: '/architectures/batch/parts/0/eventsPerRecord', from: 20, half: 10, double: 40 },
  };

  it('moves exactly the one number it names, by the factor, and leaves the inputs as they were', () => {
    expect(Object.keys(wholeMoves).every((name) => knobsOf(realistic).some((k) => k.assumption === name))).toBe(true);
    const before = structuredClone(realistic);
    for (const knob of knobsOf(realistic)) {
      for (const factor of [0.5, 2]) {
        const moved = changed(realistic, knob.scaled(realistic, factor));
        const entries = Object.entries(moved);
        if (knob.assumption === 'peak-to-mean rate') {
          // 1.5 -> 0.75 is held at 1: the peak is never below the mean.
          expect(moved).toEqual({ '/peakToMeanRate': [1.5, factor === 2 ? 3 : 1] });
          continue;
        }
        expect(entries, knob.assumption).toHaveLength(1);
        const [path, [from, to]] = entries[0]!;
        if (knob.assumption.startsWith('price ')) expect(path).toBe(`/sheet/prices/${knob.assumption.split(' ')[1]}/usd`);
        else if (!knob.assumption.includes(':')) expect(path).toBe(`/sheet/assumptions/${knob.assumption}`);
        else expect(path).toMatch(/^\/architectures\/(batch|microbatch|streaming)\/parts\/\d+\/\w+$/);
        // Counts stay whole numbers of at least one: 3 brokers or replicas -> 2 at half (Math.round(1.5) = 2) and 6
        // at double; 20 events a record -> 10 and 40.
        const whole = wholeMoves[knob.assumption];
        if (whole) {
          expect([path, from, to], knob.assumption).toEqual([whole.path, whole.from, factor === 2 ? whole.double : whole.half]);
          expect(Number.isInteger(to), knob.assumption).toBe(true);
          continue;
        }
        // A utilisation is a share: doubled past 1 it is held at 1.
        expect(to, knob.assumption).toBe(path.endsWith('/utilisation') ? Math.min(1, from * factor) : from * factor);
      }
    }
    expect(realistic).toEqual(before);
    const utilisation = knobsOf(realistic).find((k) => k.assumption === 'microbatch-kafka: workers utilisation')!;
    expect(changed(realistic, utilisation.scaled(realistic, 2))).toEqual({ '/architectures/microbatch/parts/1/utilisation': [0.7, 1] });
  });

  it('keeps the three counts whole and at least one, whatever the factor, and moves no other number that way', () => {
    const knob = (inputs: CostInputs, name: string) => knobsOf(inputs).find((k) => k.assumption === name)!;
    // Rounded to the nearest whole (halves up): 5 brokers at half = 2.5 -> 3; 3 at 0.3 = 0.9 -> 1; 20 events at 0.33 = 6.6 -> 7.
    const five = structuredClone(realistic);
    five.sheet.assumptions.kafkaBrokersMinimum = 5;
    expect(changed(five, knob(five, 'kafkaBrokersMinimum').scaled(five, 0.5))).toEqual({ '/sheet/assumptions/kafkaBrokersMinimum': [5, 3] });
    expect(changed(realistic, knob(realistic, 'kafkaReplication').scaled(realistic, 0.3))).toEqual({ '/sheet/assumptions/kafkaReplication': [3, 1] });
    const perRecord = knob(realistic, 'batch-managed-delivery: delivery eventsPerRecord');
    expect(changed(realistic, perRecord.scaled(realistic, 0.33))).toEqual({ '/architectures/batch/parts/0/eventsPerRecord': [20, 7] });
    // Never below one: 3 x 0.1 = 0.3 would round to 0, and 20 x 0.01 = 0.2 too.
    expect(changed(realistic, knob(realistic, 'kafkaBrokersMinimum').scaled(realistic, 0.1))).toEqual({ '/sheet/assumptions/kafkaBrokersMinimum': [3, 1] });
    expect(changed(realistic, perRecord.scaled(realistic, 0.01))).toEqual({ '/architectures/batch/parts/0/eventsPerRecord': [20, 1] });
    // Other numbers move by the factor exactly, fractions and all: 7 retention days at half is 3.5, 0.5 vCPU at 0.3 is 0.15.
    expect(changed(realistic, knob(realistic, 'kafkaRetentionDays').scaled(realistic, 0.5))).toEqual({ '/sheet/assumptions/kafkaRetentionDays': [7, 3.5] });
    expect(changed(realistic, knob(realistic, 'workerMinimumVcpu').scaled(realistic, 0.3))).toEqual({ '/sheet/assumptions/workerMinimumVcpu': [0.5, 0.15] });
  });
});

describe('sensitivity', () => {
  it('prices each assumption at half and double, sorted by the swing of the cost ratios', () => {
    const rows = sensitivity(realistic, cheapest);
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.assumption).sort()).toEqual(knobsOf(realistic).map((k) => k.assumption).sort());
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(a.ratioSwing > b.ratioSwing || (a.ratioSwing === b.ratioSwing && a.assumption.localeCompare(b.assumption) < 0), `${a.assumption} before ${b.assumption}`).toBe(true);
    }
    // The brokers of two always-on tiers are most of their bill: the broker price, and the minimum broker
    // count that both sit at, swing the ratios most. At double both bill 6 brokers; at half the price bills
    // 1.5 brokers' worth, but the count stays whole (Math.round(1.5) = 2), so the count swings less.
    expect(rows.slice(0, 2).map((r) => r.assumption)).toEqual(['price kafkaBrokerHour (not verified)', 'kafkaBrokersMinimum']);
    const [price, minimum] = [rows[0]!, rows[1]!];
    const base = Object.fromEntries(Object.entries(projectCosts(realistic)).map(([n, c]) => [n, c.usdPerYear])) as Record<TierName, number>;
    const brokerYear = 8_760 * 0.204; // $1,787.04
    for (const tier of ['microbatch', 'streaming'] as const) {
      expect(price.low[tier]).toBeCloseTo(base[tier] - 1.5 * brokerYear, 6);
      expect(minimum.low[tier]).toBeCloseTo(base[tier] - brokerYear, 6);
      expect(price.high[tier]).toBeCloseTo(base[tier] + 3 * brokerYear, 6);
      expect(minimum.high[tier]).toBeCloseTo(base[tier] + 3 * brokerYear, 6);
    }
    expect(minimum.low.batch).toBe(base.batch);
    // Batch (no Kafka) is the cheapest throughout; streaming's ratio moves most: by 4.5 and 4 broker-years over batch.
    expect(price.ratioSwing).toBeCloseTo((4.5 * brokerYear) / base.batch, 9);
    expect(minimum.ratioSwing).toBeCloseTo((4 * brokerYear) / base.batch, 9);
    expect(price.ratioSwing).toBeCloseTo(8.3356, 3);
    expect(minimum.ratioSwing).toBeCloseTo(7.4094, 3);
    expect(minimum.ratioSwing).toBeGreaterThan(rows[2]!.ratioSwing + 0.1);
    // Replication 3 -> 2 at half (Kafka storage x 2/3) and 6 at double (x 2); the brokers stay at their minimum.
    // Micro-batch's Kafka storage is $798 and streaming's $924 here.
    const replication = rows.find((r) => r.assumption === 'kafkaReplication')!;
    expect(replication.low).toEqual({ batch: base.batch, microbatch: expect.closeTo(base.microbatch - 798 / 3, 6), streaming: expect.closeTo(base.streaming - 924 / 3, 6) });
    expect(replication.high).toEqual({ batch: base.batch, microbatch: expect.closeTo(base.microbatch + 798, 6), streaming: expect.closeTo(base.streaming + 924, 6) });
    // Ten events a record doubles the delivery line ($270.976); forty bills the same bytes (10,240 for 40).
    const perRecord = rows.find((r) => r.assumption === 'batch-managed-delivery: delivery eventsPerRecord')!;
    expect(perRecord.low.batch).toBeCloseTo(base.batch + 270.976, 6);
    expect(perRecord.high.batch).toBeCloseTo(base.batch, 9);
    // An assumption no tier uses here moves nothing.
    const unused = rows.find((r) => r.assumption === 'kafkaBrokerWriteMBps')!;
    expect(unused).toMatchObject({ low: base, high: base, ratioSwing: 0, changesRecommendation: false });
  });

  it('gives each tier\'s cost at half and double, and the swing of the ratios, exactly for a case priced by hand', () => {
    const c = 1e-3; // M = 200 vCPU = $86,496.24, 3.69x batch's $23,412.33
    expect(B).toBeCloseTo(23_412.3264, 6);
    expect(M(c)).toBeCloseTo(86_496.24, 6);
    const rows = sensitivity(simple(c), cheapest);
    const row = (name: string) => rows.find((r) => r.assumption === name)!;

    // Delivery at $0.0145 and $0.058 a GB: batch halves and doubles, and stays the cheaper.
    // Micro-batch's ratio goes from M/(B/2) = 7.389 to M/(2B) = 1.847: a swing of 1.5·M/B = 5.542.
    const ingest = row('price ingestGb (not verified)');
    expect(ingest.low.batch).toBeCloseTo(B / 2, 6);
    expect(ingest.high.batch).toBeCloseTo(2 * B, 6);
    expect(ingest.low.microbatch).toBeCloseTo(M(c), 6);
    expect(ingest.high.microbatch).toBeCloseTo(M(c), 6);
    expect(ingest.ratioSwing).toBeCloseTo((1.5 * M(c)) / B, 9);
    expect(ingest.ratioSwing).toBeCloseTo(5.5416, 3);

    // vCPU at $0.02024 and $0.08096 an hour: micro-batch's ratio from 200·8,760·0.02913/B to 200·8,760·0.08985/B.
    const vcpu = row('price computeVcpuHour');
    expect(vcpu.low.microbatch).toBeCloseTo(200 * vcpuYear(0.02024), 6);
    expect(vcpu.high.microbatch).toBeCloseTo(200 * vcpuYear(0.08096), 6);
    expect(vcpu.low.batch).toBeCloseTo(B, 6);
    expect(vcpu.ratioSwing).toBeCloseTo((200 * (vcpuYear(0.08096) - vcpuYear(0.02024))) / B, 9);

    // Ten events a record (2,000 bytes, still billed 5,120) doubles batch; forty (8,000 -> 10,240) bills the same.
    const perRecord = row('delivery-only: delivery eventsPerRecord');
    expect(perRecord.low.batch).toBeCloseTo(2 * B, 6);
    expect(perRecord.high.batch).toBeCloseTo(B, 6);
    expect(perRecord.ratioSwing).toBeCloseTo(M(c) / B - M(c) / (2 * B), 9);

    // The rows are in that order: 5.54 (ingest) > 4.54 (vCPU) > 1.85 (records).
    const order = rows.map((r) => r.assumption);
    expect(order.indexOf(ingest.assumption)).toBeLessThan(order.indexOf(vcpu.assumption));
    expect(order.indexOf(vcpu.assumption)).toBeLessThan(order.indexOf(perRecord.assumption));
  });

  it('says an assumption changes the recommendation exactly when the callback answers differently at half or double', () => {
    // M = $43,248.12 = 1.85x B: doubling delivery (2B = $46,825), halving the events a record (2B), or
    // doubling the workers' utilisation (M/2 = $21,624) makes micro-batch the cheaper; nothing else does
    // (half the vCPU price leaves M at $25,518, still above B).
    const inputs = simple(5e-4);
    expect(M(5e-4)).toBeCloseTo(43_248.12, 6);
    const calls: Costs[] = [];
    const byCost = (costs: Costs) => {
      calls.push(costs);
      return cheapest(costs);
    };
    const rows = sensitivity(inputs, byCost);
    // The first call is the recommendation as priced; it is what each half and double is compared with.
    expect(calls[0]).toEqual(projectCosts(inputs));
    expect(calls.length).toBeGreaterThan(rows.length);
    expect(rows.filter((r) => r.changesRecommendation).map((r) => r.assumption).sort()).toEqual([
      'delivery-only: delivery eventsPerRecord',
      'price ingestGb (not verified)',
      'workers-only: workers utilisation',
    ]);

    // Another callback, another answer: recommend micro-batch only when batch passes $30,000. Only the
    // two knobs that double batch's bill move it; the workers' utilisation no longer matters.
    const threshold = (costs: Costs): TierName => ((costs.batch?.usdPerYear ?? 0) > 30_000 ? 'microbatch' : 'batch');
    expect(sensitivity(inputs, threshold).filter((r) => r.changesRecommendation).map((r) => r.assumption).sort()).toEqual([
      'delivery-only: delivery eventsPerRecord',
      'price ingestGb (not verified)',
    ]);
    // A callback that ignores the costs never changes.
    expect(sensitivity(inputs, () => 'streaming').some((r) => r.changesRecommendation)).toBe(false);
    // A change at half counts as much as one at double: with the threshold at $15,000, batch ($23,412) is over it,
    // and only halving the delivery price brings it under.
    const low = (costs: Costs): TierName => ((costs.batch?.usdPerYear ?? 0) > 15_000 ? 'microbatch' : 'batch');
    expect(sensitivity(inputs, low).filter((r) => r.changesRecommendation).map((r) => r.assumption)).toEqual(['price ingestGb (not verified)']);
  });
});

describe('orderFlip', () => {
  it('returns the first assumption, in knob order, that reverses two tiers\' order at half or double', () => {
    // M = 1.85x B. Before the delivery price, no price moves either (half the vCPU price: M = $25,518 > B);
    // the delivery price at half keeps batch cheaper, at double (2B = $46,825 > M) reverses them. Later knobs
    // (ten events a record, utilisation 1) reverse them too, but come after it.
    const inputs = simple(5e-4);
    expect(orderFlip(inputs, 'batch', 'microbatch')).toEqual({ assumption: 'price ingestGb (not verified)', factor: 2 });
    expect(orderFlip(inputs, 'microbatch', 'batch')).toEqual({ assumption: 'price ingestGb (not verified)', factor: 2 });
    const knobs = knobsOf(inputs).map((k) => k.assumption);
    expect(knobs.indexOf('price ingestGb (not verified)')).toBeLessThan(knobs.indexOf('delivery-only: delivery eventsPerRecord'));

    // Nearer still (M = 1.1x B): half the vCPU price, the very first knob, reverses them.
    const near = simple(5e-4 * (1.1 * B) / M(5e-4));
    expect(orderFlip(near, 'batch', 'microbatch')).toEqual({ assumption: 'price computeVcpuHour', factor: 0.5 });
  });

  it('returns undefined when no assumption at half or double reverses them', () => {
    // M = 3.69x B: doubling delivery (2B = $46,825), halving the vCPU price ($51,034) or doubling
    // utilisation ($43,248) all leave micro-batch the dearer.
    expect(orderFlip(simple(1e-3), 'batch', 'microbatch')).toBeUndefined();
    expect(orderFlip(simple(1e-3), 'microbatch', 'batch')).toBeUndefined();
  });
});
