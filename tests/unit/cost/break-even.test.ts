import { describe, expect, it } from 'vitest';
import {
  breakEvens,
  defaultArchitectureChoice,
  loadChosenArchitectures,
  loadPriceSheet,
  projectCosts,
  seedStory,
  warStory,
  type CostInputs,
  type PriceSheet,
} from '../../../src/cost/index.ts';

/*
 * A sheet on which every cost is a line or a constant: Kafka and S3 storage are free, and a broker
 * carries any load, so the Kafka tiers pay exactly 3 brokers whatever the volume. Then:
 * - batch (managed delivery, no S3 use, no job time measured) = a per-event delivery charge plus
 *   its nightly job at the 60 s minimum: k·V + J;
 * - an always-on tier with no CPU measured = 3 brokers + 0.5 vCPU with 1 GB: a constant;
 * - an always-on tier with CPU measured (above the 0.5 vCPU floor) = 3 brokers + a per-event charge.
 */
const shipped = await loadPriceSheet();
const sheet: PriceSheet = structuredClone(shipped);
sheet.prices.kafkaStorageGbMonth.usd = 0;
sheet.prices.s3StorageGbMonth.usd = 0;
sheet.assumptions.kafkaBrokerWriteMBps = 1e12;
const architectures = await loadChosenArchitectures(defaultArchitectureChoice);

const hoursPerYear = 8_760;
const threeBrokers = 3 * hoursPerYear * 0.204; // $5,361.12
/** One vCPU with its 2 GB for a year. */
const vcpuYear = hoursPerYear * (0.04048 + 2 * 0.004445); // $432.4812
const floorWorkers = 0.5 * vcpuYear; // $216.2406
/** Delivery per event a day: 20 events of 200 bytes = one 5,120-byte record, at $0.029/GB, 365 days. */
const k = (5_120 / 20 / 1e9) * 0.029 * 365; // 2.70976e-6
/** The nightly job's 60 s minimum, once a day, for a year. */
const J = (60 * 365 * (0.04048 + 2 * 0.004445)) / 3_600; // $0.3003

const usage = { peakRssBytes: 0, events: 60_000, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0, kafkaBytesWritten: 0 };
const idle = { ...usage, cpuSeconds: 0 };
/** CPU seconds that make `secondsPerEvent` per event over the 60,000 events measured. */
const cpu = (secondsPerEvent: number) => ({ ...usage, cpuSeconds: secondsPerEvent * 60_000 });

function inputs(tiers: CostInputs['tiers'], eventsPerDay = 1e6): CostInputs {
  return { sheet, architectures, kafka: 'per-tier', eventsPerDay, eventBytes: 200, peakToMeanRate: 1, realPeriodMs: 86_400_000, triggerMs: 5_000, tiers };
}
const usdAt = (base: CostInputs, eventsPerDay: number) => {
  const costs = projectCosts({ ...base, eventsPerDay });
  return Object.fromEntries(Object.entries(costs).map(([name, cost]) => [name, cost.usdPerYear]));
};
const expectRelative = (got: number | null | undefined, want: number, relative: number) => {
  expect(got).toBeTypeOf('number');
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(want * relative);
};

describe('breakEvens', () => {
  it('holds on the sheet built for it: batch is a line, an idle always-on tier a constant', () => {
    const at = usdAt(inputs({ batch: { ...idle, jobSeconds: 0, jobRuns: 1 }, microbatch: idle }), 1e9);
    expect(at.batch).toBeCloseTo(k * 1e9 + J, 9);
    expect(at.microbatch).toBeCloseTo(threeBrokers + floorWorkers, 9);
    expect(usdAt(inputs({ microbatch: idle }), 1e12).microbatch).toBe(at.microbatch);
  });

  it('finds the volume where a line crosses a constant, solved by hand', () => {
    // k·V + J = 3 brokers + floor workers  =>  V = (5,577.3606 - 0.3003) / 2.70976e-6 = 2.0581e9 events/day.
    const crossing = (threeBrokers + floorWorkers - J) / k;
    expect(crossing).toBeCloseTo(2.05813e9, -5);
    const base = inputs({ batch: { ...idle, jobSeconds: 0, jobRuns: 1 }, microbatch: idle });
    const [found, ...rest] = breakEvens(base);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ tiers: ['batch', 'microbatch'], cheaperBelow: 'batch', cheaperAbove: 'microbatch' });
    expectRelative(found!.eventsPerDay, crossing, 1e-6);
    // Priced again there, the two costs agree.
    const there = usdAt(base, found!.eventsPerDay!);
    expectRelative(there.batch, there.microbatch!, 1e-6);
    // With the keys the other way round, the same pair in tierNames order (simplest first), the same crossing.
    const reversed = breakEvens(inputs({ microbatch: idle, batch: { ...idle, jobSeconds: 0, jobRuns: 1 } }));
    expect(reversed).toEqual([found]);
  });

  it('finds where two lines cross: batch against streaming workers that grow with volume', () => {
    // 5,120-byte events: 20 to a record = 102,400 bytes = 20 steps of 5 KB, so batch pays 20·k an event a day.
    // Streaming at 1e-3 s an event, sized for the peak (1) at 0.5 utilisation: V·1e-3/86,400/0.5 vCPU,
    // above the 0.5 vCPU floor from V = 0.5 x 0.5 x 86,400 / 1e-3 = 21,600 events/day: 3 brokers + s·V.
    const base = { ...inputs({ batch: { ...idle, jobSeconds: 0, jobRuns: 1 }, streaming: cpu(1e-3) }), eventBytes: 5_120 };
    const kBig = 20 * k; // 5.41952e-5
    const s = (1e-3 / 86_400 / 0.5) * vcpuYear; // 1.0011e-5
    const there = usdAt(base, 1e9);
    expect(there.batch).toBeCloseTo(kBig * 1e9 + J, 6);
    expect(there.streaming).toBeCloseTo(threeBrokers + s * 1e9, 6);
    // kBig·V + J = 3 brokers + s·V  =>  V = (5,361.12 - 0.3003) / (5.41952e-5 - 1.0011e-5) = 1.2133e8.
    const crossing = (threeBrokers - J) / (kBig - s);
    expect(crossing).toBeCloseTo(1.2133e8, -5);
    expect(crossing).toBeGreaterThan(21_600);
    const [found, ...rest] = breakEvens(base);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ tiers: ['batch', 'streaming'], cheaperBelow: 'batch', cheaperAbove: 'streaming' });
    expectRelative(found!.eventsPerDay, crossing, 1e-6);
  });

  it('gives null and names the cheaper tier when a pair never crosses', () => {
    // Streaming at 30 s an event is above its floor from 1e3 events/day: strictly dearer than the idle micro-batch,
    // and dearer than batch by $0.30 per event a day against $0.0000027.
    const result = breakEvens(inputs({ batch: { ...idle, jobSeconds: 0, jobRuns: 1 }, microbatch: idle, streaming: cpu(30) }));
    expect(result.map((r) => r.tiers)).toEqual([
      ['batch', 'microbatch'],
      ['batch', 'streaming'],
      ['microbatch', 'streaming'],
    ]);
    expect(result[1]).toEqual({ tiers: ['batch', 'streaming'], eventsPerDay: null, cheaperBelow: 'batch', cheaperAbove: 'batch' });
    expect(result[2]).toEqual({ tiers: ['microbatch', 'streaming'], eventsPerDay: null, cheaperBelow: 'microbatch', cheaperAbove: 'microbatch' });
    // Whatever the key order, the pair is in tierNames order and the cheaper one is named the same.
    expect(breakEvens(inputs({ streaming: cpu(30), microbatch: idle }))).toEqual([
      { tiers: ['microbatch', 'streaming'], eventsPerDay: null, cheaperBelow: 'microbatch', cheaperAbove: 'microbatch' },
    ]);
    expect(breakEvens(inputs({ streaming: cpu(30), microbatch: idle, batch: { ...idle, jobSeconds: 0, jobRuns: 1 } }))).toEqual(result);
    // And the pair that does cross is still found among them.
    expectRelative(result[0]!.eventsPerDay, (threeBrokers + floorWorkers - J) / k, 1e-6);
  });
});

describe('breakEvens on an exact tie', () => {
  /*
   * The shipped sheet with Kafka storage free and a broker that carries any load: each Kafka tier pays
   * 3 brokers + its workers, and its workers sit at the 0.5 vCPU floor until the CPU it measured needs more.
   * At c s of CPU an event and volume V, streaming (sized for the peak, 1, at 0.5 utilisation) needs
   * V·c/86,400/0.5 vCPU, micro-batch (the mean, at 0.7) V·c/86,400/0.7.
   */
  const tieSheet: PriceSheet = structuredClone(shipped);
  tieSheet.prices.kafkaStorageGbMonth.usd = 0;
  tieSheet.assumptions.kafkaBrokerWriteMBps = 1e12;
  const onTieSheet = (tiers: CostInputs['tiers']): CostInputs => ({ ...inputs(tiers), sheet: tieSheet });
  /** 6 s of CPU over 60,000 events: 1e-4 s an event; no bytes to S3 or back to Kafka. */
  const u = { ...usage, cpuSeconds: 6 };

  it('names the simpler tier cheaper while two costs are equal, and micro-batch cheaper once streaming leaves its floor first', () => {
    // Streaming leaves the floor where V·1e-4/86,400/0.5 = 0.5: V = 0.5 x 0.5 x 86,400 / 1e-4 = 2.16e8 events/day;
    // micro-batch only at V = 0.5 x 0.7 x 86,400 / 1e-4 = 3.024e8. Up to 2.16e8 the two bills are equal
    // (3 brokers + floor workers): the tie goes to the simpler micro-batch. Above it streaming is the dearer.
    const floorLeft = (0.5 * 0.5 * 86_400) / 1e-4;
    expect(floorLeft).toBeCloseTo(2.16e8, 0);
    for (const tiers of [{ streaming: u, microbatch: u }, { microbatch: u, streaming: u }]) {
      const base = onTieSheet(tiers);
      const equal = usdAt(base, floorLeft);
      expect(equal.microbatch).toBeCloseTo(threeBrokers + floorWorkers, 9); // $5,577.3606
      expect(equal.streaming).toBe(equal.microbatch);
      expect(usdAt(base, 1e3).streaming).toBe(usdAt(base, 1e3).microbatch);
      // Just above it, streaming pays for more than the floor and micro-batch does not yet.
      const above = usdAt(base, floorLeft * 1.01);
      expect(above.microbatch).toBeCloseTo(threeBrokers + floorWorkers, 9);
      expect(above.streaming).toBeCloseTo(threeBrokers + ((floorLeft * 1.01 * 1e-4) / 86_400 / 0.5) * vcpuYear, 9);
      expect(above.streaming).toBeGreaterThan(above.microbatch!);
      // The cheaper tier never changes (micro-batch by the tie rule below 2.16e8, by cost above it): no crossing,
      // and micro-batch named cheaper on both sides, in either key order.
      expect(breakEvens(base)).toEqual([{ tiers: ['microbatch', 'streaming'], eventsPerDay: null, cheaperBelow: 'microbatch', cheaperAbove: 'microbatch' }]);
    }
  });

  it('finds where two equal costs separate when the more complex tier becomes the cheaper', () => {
    // Micro-batch at 1e-4 s an event leaves its floor at 3.024e8; streaming at 1e-5 only at 2.16e9. Equal below
    // 3.024e8 (the tie: micro-batch), streaming cheaper above: the cheaper tier changes at 3.024e8 events/day.
    const separate = (0.5 * 0.7 * 86_400) / 1e-4;
    expect(separate).toBeCloseTo(3.024e8, 0);
    const light = { ...usage, cpuSeconds: 0.6 };
    for (const tiers of [{ streaming: light, microbatch: u }, { microbatch: u, streaming: light }]) {
      const [found, ...rest] = breakEvens(onTieSheet(tiers));
      expect(rest).toEqual([]);
      expect(found).toMatchObject({ tiers: ['microbatch', 'streaming'], cheaperBelow: 'microbatch', cheaperAbove: 'streaming' });
      expectRelative(found!.eventsPerDay, separate, 1e-9);
      const below = usdAt(onTieSheet(tiers), separate * 0.99);
      const above = usdAt(onTieSheet(tiers), separate * 1.01);
      expect(below.streaming).toBe(below.microbatch);
      expect(above.streaming).toBeLessThan(above.microbatch!);
    }
  });
});

describe('warStory', () => {
  // Streaming at 1e-4 s an event: 3 brokers + V·1e-4/86,400/0.5 vCPU. It costs $180,000 at
  // V = (180,000 - 5,361.12) / 432.4812 vCPU x 0.5 x 86,400 / 1e-4 = 1.7444e11 events/day.
  const streamingPerEvent = 1e-4;
  const volume = ((seedStory.streamingUsdPerYear - threeBrokers) / vcpuYear) * 0.5 * (86_400 / streamingPerEvent);
  /**
   * Micro-batch at a fraction r of streaming's CPU an event, sized for the mean at 0.7 utilisation:
   * there it costs 3 brokers + (180,000 - 3 brokers)·r·0.5/0.7. The r that makes streaming `ratio` times it.
   */
  const shareFor = (ratio: number) => ((seedStory.streamingUsdPerYear / ratio - threeBrokers) * 0.7) / (0.5 * (seedStory.streamingUsdPerYear - threeBrokers));
  const story = (r: number, extra: CostInputs['tiers'] = {}) =>
    warStory(inputs({ ...extra, microbatch: cpu(streamingPerEvent * r), streaming: cpu(streamingPerEvent) }));

  it('finds the volume where streaming costs $180,000 a year, solved by hand and checked by pricing again', () => {
    expect(volume).toBeCloseTo(1.7444e11, -8);
    const result = warStory(inputs({ batch: { ...idle, jobSeconds: 0, jobRuns: 1 }, microbatch: cpu(streamingPerEvent * 0.2), streaming: cpu(streamingPerEvent) }));
    expectRelative(result.eventsPerDay, volume, 1e-6);
    const there = usdAt(inputs({ batch: idle, streaming: cpu(streamingPerEvent) }), result.eventsPerDay!);
    expectRelative(there.streaming, 180_000, 1e-9);
    // Each tier's cost there, by hand.
    const microbatch = threeBrokers + (180_000 - threeBrokers) * 0.2 * (0.5 / 0.7); // $30,309.53
    expectRelative(result.usdPerYear.streaming, 180_000, 1e-9);
    expectRelative(result.usdPerYear.microbatch, microbatch, 1e-6);
    expectRelative(result.usdPerYear.batch, k * volume + J, 1e-6); // $472,692
    expect(Object.keys(result.usdPerYear).sort()).toEqual(['batch', 'microbatch', 'streaming']);
    // 180,000 / 30,309.53 = 5.94x: within a quarter of 6x.
    expectRelative(result.streamingOverMicrobatch, 180_000 / microbatch, 1e-6);
    expect(result.streamingOverMicrobatch).toBeCloseTo(5.9387, 3);
    expect(result.verdict).toBe('reproduced');
    expect(result.why).toBe(
      `at 1.74e+11 events/day streaming costs $180,000/year and micro-batch $30,310: 5.9x, within a quarter of the seed's 6x; ` +
        `batch costs $${Math.round(k * volume + J).toLocaleString('en-US')} there (the seed says $30,000)`,
    );
  });

  it('refutes the story when streaming is not within a quarter of 6x the micro-batch', () => {
    // The same CPU an event: micro-batch = 5,361.12 + 174,638.88 x 5/7 = $130,103; 1.38x.
    const same = story(1);
    expect(same.verdict).toBe('refuted');
    expect(same.streamingOverMicrobatch).toBeCloseTo(180_000 / (threeBrokers + (180_000 - threeBrokers) * (5 / 7)), 6);
    expect(same.why).toContain(': 1.4x, not the seed\'s 6x:');
    expect(same.why).not.toContain('batch costs');
    // A tenth of the CPU: micro-batch $17,835, 10.1x: more than the seed's.
    const lean = story(0.1);
    expect(lean.verdict).toBe('refuted');
    expect(lean.streamingOverMicrobatch).toBeCloseTo(180_000 / (threeBrokers + (180_000 - threeBrokers) * 0.1 * (5 / 7)), 6);
    expect(lean.why).toContain(': 10.1x, more than the seed\'s 6x');
  });

  it('draws the quarter at 4.5x and 7.5x', () => {
    for (const [ratio, verdict] of [
      [4.4, 'refuted'],
      [4.6, 'reproduced'],
      [7.4, 'reproduced'],
      [7.6, 'refuted'],
    ] as const) {
      const result = story(shareFor(ratio));
      expect(result.streamingOverMicrobatch).toBeCloseTo(ratio, 6);
      expect(result.verdict).toBe(verdict);
    }
  });

  it('says "not reached" when streaming never costs $180,000 in the range, or a tier is missing', () => {
    // Idle streaming: 3 brokers + floor workers at every volume.
    const flat = warStory(inputs({ microbatch: idle, streaming: idle }));
    expect(flat).toEqual({
      eventsPerDay: null,
      usdPerYear: {},
      streamingOverMicrobatch: null,
      verdict: 'not reached',
      why: 'streaming never costs $180k/year between 1e+3 and 1e+13 events/day as priced here',
    });
    expect(warStory(inputs({ streaming: cpu(streamingPerEvent) }))).toMatchObject({ eventsPerDay: null, verdict: 'not reached', why: 'the run did not measure both streaming and micro-batch' });
  });
});
