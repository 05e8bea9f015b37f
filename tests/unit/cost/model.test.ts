import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { architecturesDir, loadArchitecture } from '../../../src/cost/architecture.ts';
import {
  costAssumptions,
  costCurve,
  costRatios,
  defaultArchitectureChoice,
  loadAllArchitectures,
  loadChosenArchitectures,
  loadPriceSheet,
  priceVariants,
  projectCosts,
  type CostInputs,
  type PriceSheet,
} from '../../../src/cost/index.ts';
import { priceTier } from '../../../src/cost/model.ts';
import type { TierCost } from '../../../src/results/summary.ts';

const sheet = await loadPriceSheet();
const architectures = await loadChosenArchitectures(defaultArchitectureChoice);
const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

// The shipped sheet's figures, written out so that a test re-derives every total by hand.
const hoursPerYear = 8_760;
const vcpuHour = 0.04048;
const gbHour = 0.004445;
const brokerHour = 0.204;
const kafkaGbMonth = 0.1;
const s3GbMonth = 0.023;
const putPer1000 = 0.005;
const getPer1000 = 0.0004;
const ingestGb = 0.029;
/** One vCPU with its 2 GB, per second (a job's or a query's billed second). */
const vcpuSecond = (vcpuHour + 2 * gbHour) / 3_600;
const brokers = (count: number) => count * hoursPerYear * brokerHour;

// Usage as a 60 s demo run measured it (tests/fixtures/summary-v1.json, an earlier build), rounded.
const usage = { peakRssBytes: 300e6, events: 60_000, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0, kafkaBytesWritten: 0 };
const measured: CostInputs['tiers'] = {
  // per event: 7/60,000 s CPU, 2/60,000 s of job, 105 PUT+LIST and 90 GET per 60,000, 33.3 bytes to S3
  batch: { ...usage, cpuSeconds: 7, s3Requests: { put: 100, get: 90, list: 5 }, s3BytesWritten: 2e6, jobSeconds: 2, jobRuns: 4 },
  // per event: 1e-4 s CPU and 116.7 bytes written back to Kafka
  microbatch: { ...usage, cpuSeconds: 6, kafkaBytesWritten: 7e6 },
  // per event: 2e-4 s CPU and 166.7 bytes written back to Kafka
  streaming: { ...usage, cpuSeconds: 12, kafkaBytesWritten: 10e6 },
};

function inputs(eventsPerDay: number, overrides: Partial<CostInputs> = {}): CostInputs {
  return {
    sheet,
    architectures,
    kafka: 'per-tier',
    eventsPerDay,
    eventBytes: 200,
    peakToMeanRate: 1,
    realPeriodMs: 86_400_000,
    triggerMs: 5_000,
    tiers: measured,
    ...overrides,
  };
}

const line = (cost: TierCost | undefined, name: string) => {
  const found = cost?.lines.find((l) => l.name === name);
  if (!found) throw new Error(`no line "${name}" in ${JSON.stringify(cost?.lines.map((l) => l.name))}`);
  return found;
};
const usd = (cost: TierCost | undefined, name: string) => line(cost, name).usdPerYear;
const bases = (cost: TierCost | undefined) => Object.fromEntries(cost!.lines.map((l) => [l.name, l.basis]));
/** Relative closeness, for totals in the thousands where toBeCloseTo's absolute digits mean little. */
const expectNear = (got: number, want: number, relative = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * relative);

describe('the cost model', () => {
  it('prices each tier by its chosen architecture, with lines that add up to the total and a measured share of it', () => {
    for (const volume of [1e4, 1e8, 2e10]) {
      const costs = projectCosts(inputs(volume));
      expect(Object.keys(costs)).toEqual(['batch', 'microbatch', 'streaming']);
      expect([costs.batch!.architecture, costs.microbatch!.architecture, costs.streaming!.architecture]).toEqual([
        'batch-managed-delivery',
        'microbatch-kafka',
        'streaming-at-least-once',
      ]);
      expect(costs.batch!.lines.map((l) => l.name)).toEqual(['delivery to S3', 'lake storage', 'S3 requests', 'job compute']);
      for (const cost of [costs.microbatch!, costs.streaming!]) {
        expect(cost.lines.map((l) => l.name)).toEqual(['Kafka brokers', 'Kafka storage', 'worker compute', 'worker memory']);
      }
      for (const cost of Object.values(costs)) {
        const sum = cost.lines.reduce((a, l) => a + l.usdPerYear, 0);
        const onMeasured = cost.lines.filter((l) => l.basis === 'measured').reduce((a, l) => a + l.usdPerYear, 0);
        expectNear(cost.usdPerYear, sum, 1e-12);
        expectNear(cost.measuredShare, onMeasured / sum, 1e-12);
        expect(cost.measuredShare).toBeGreaterThanOrEqual(0);
        expect(cost.measuredShare).toBeLessThanOrEqual(1);
      }
    }
  });

  it('bills the always-on tiers their minimums at a tiny volume, marked assumed, where batch is far cheaper', () => {
    const costs = projectCosts(inputs(1e4));
    for (const cost of [costs.microbatch, costs.streaming]) {
      // 3 brokers all year, and 0.5 vCPU with 1 GB all year: whatever the run measured.
      expectNear(usd(cost, 'Kafka brokers'), 5_361.12);
      expectNear(usd(cost, 'worker compute'), 0.5 * hoursPerYear * vcpuHour); // 177.3024
      expectNear(usd(cost, 'worker memory'), 0.5 * 2 * hoursPerYear * gbHour); // 38.9382
      expect(bases(cost)).toEqual({ 'Kafka brokers': 'assumed', 'Kafka storage': 'measured', 'worker compute': 'assumed', 'worker memory': 'assumed' });
    }
    // The nightly job ran 1e4 x 2/60,000 = 0.33 s a day, so it is billed its 60 s minimum, once a day.
    expectNear(usd(costs.batch, 'job compute'), 60 * 365 * vcpuSecond); // 0.3003
    expect(line(costs.batch, 'job compute').basis).toBe('assumed');
    expect(costs.batch!.usdPerYear * 20).toBeLessThan(costs.streaming!.usdPerYear);
  });

  it('computes a known case exactly: batch delivery through Firehose', () => {
    // 200-byte events, 20 to a record = 4,000 bytes, billed as one 5 KB step (5,120 bytes);
    // 1e8 events/day = 5e6 records = 25.6 GB/day, at $0.029/GB for 365 days = $270.976.
    const delivery = line(projectCosts(inputs(1e8)).batch, 'delivery to S3');
    expect(delivery.usdPerYear).toBeCloseTo(270.976, 9);
    expect(delivery.basis).toBe('measured');
    // 260-byte events: 5,200 bytes a record, two 5 KB steps: twice the bytes billed.
    expect(usd(projectCosts(inputs(1e8, { eventBytes: 260 })).batch, 'delivery to S3')).toBeCloseTo(2 * 270.976, 9);
  });

  it('gives the measured share exactly for a bill of mixed lines', () => {
    // Batch at 1e4 events/day: delivery, storage and requests scale from the run; the job sits at its minimum.
    const delivery = (((1e4 / 20) * 5_120) / 1e9) * ingestGb * 365;
    const storage = ((1e4 * (2e6 / 60_000) * 365) / 1e9) * s3GbMonth * 12;
    const requests = (((1e4 * 105) / 60_000 / 1_000) * putPer1000 + ((1e4 * 90) / 60_000 / 1_000) * getPer1000) * 365;
    const job = 60 * 365 * vcpuSecond;
    const batch = projectCosts(inputs(1e4)).batch!;
    expect(batch.lines).toEqual([
      { name: 'delivery to S3', usdPerYear: expect.closeTo(delivery, 12), basis: 'measured' },
      { name: 'lake storage', usdPerYear: expect.closeTo(storage, 12), basis: 'measured' },
      { name: 'S3 requests', usdPerYear: expect.closeTo(requests, 12), basis: 'measured' },
      { name: 'job compute', usdPerYear: expect.closeTo(job, 12), basis: 'assumed' },
    ]);
    expectNear(batch.measuredShare, (delivery + storage + requests) / (delivery + storage + requests + job));
    expect(batch.measuredShare).toBeCloseTo(0.0948051 / 0.3951393, 6); // 0.2399

    // Micro-batch at 1e4: only Kafka storage is measured: 1e4 x (200 + 116.7) bytes x 7 days x 3 replicas.
    const kafkaStorage = ((1e4 * (200 + 7e6 / 60_000) * 7 * 3) / 1e9) * kafkaGbMonth * 12; // $0.0798
    const microbatch = projectCosts(inputs(1e4)).microbatch!;
    expectNear(usd(microbatch, 'Kafka storage'), kafkaStorage);
    expectNear(microbatch.measuredShare, kafkaStorage / (5_361.12 + kafkaStorage + 177.3024 + 38.9382));

    // Everything measured: batch at 1e8, where the job runs 3,333 s a day, above its minimum.
    const large = projectCosts(inputs(1e8)).batch!;
    expect(line(large, 'job compute').basis).toBe('measured');
    expectNear(usd(large, 'job compute'), ((1e8 * 2) / 60_000) * 365 * vcpuSecond);
    expect(large.measuredShare).toBe(1);
  });

  it('marks brokers and workers measured once the measured load sizes them above their minimums', () => {
    const costs = projectCosts(inputs(2e10));
    // Streaming writes 2e10 x 366.7 bytes a day = 84.9 MB/s, x3 replicas / 20 MB/s a broker = 12.7: 13 brokers.
    expectNear(usd(costs.streaming, 'Kafka brokers'), brokers(13));
    // Micro-batch: 2e10 x 316.7 bytes = 73.3 MB/s -> 11.0: 11 brokers.
    expectNear(usd(costs.microbatch, 'Kafka brokers'), brokers(11));
    // Streaming workers: 2e-4 s x 231,481 events/s / 0.5 utilisation = 92.6 vCPU.
    const vcpu = ((2e-4 * 2e10) / 86_400) / 0.5;
    expectNear(usd(costs.streaming, 'worker compute'), vcpu * hoursPerYear * vcpuHour);
    expectNear(usd(costs.streaming, 'worker memory'), vcpu * 2 * hoursPerYear * gbHour);
    for (const cost of [costs.microbatch, costs.streaming]) {
      expect(bases(cost)).toEqual({ 'Kafka brokers': 'measured', 'Kafka storage': 'measured', 'worker compute': 'measured', 'worker memory': 'measured' });
      expect(cost!.measuredShare).toBe(1);
    }
    // One broker under the line: 3 needed exactly is still the minimum, not measured.
    // 3 brokers x 20 MB/s / 3 replicas = 20 MB/s = 1.728e12 bytes/day; at 400 bytes an event: 4.32e9 events/day.
    const atMinimum = projectCosts(inputs(4.32e9, { eventBytes: 400, tiers: { streaming: { ...usage, cpuSeconds: 0 } } })).streaming!;
    expect(line(atMinimum, 'Kafka brokers')).toEqual({ name: 'Kafka brokers', usdPerYear: brokers(3), basis: 'assumed' });
    const justAbove = projectCosts(inputs(4.33e9, { eventBytes: 400, tiers: { streaming: { ...usage, cpuSeconds: 0 } } })).streaming!;
    expect(line(justAbove, 'Kafka brokers')).toEqual({ name: 'Kafka brokers', usdPerYear: brokers(4), basis: 'measured' });
    // Workers needing exactly the 0.5 vCPU floor are at the floor: 1 s an event x 21,600 events/day = 0.25 vCPU, / 0.5 utilisation.
    const oneSecond = { streaming: { ...usage, cpuSeconds: 60_000 } };
    expect(bases(projectCosts(inputs(21_600, { tiers: oneSecond })).streaming)).toMatchObject({ 'worker compute': 'assumed', 'worker memory': 'assumed' });
    const busier = projectCosts(inputs(21_700, { tiers: oneSecond })).streaming;
    expect(bases(busier)).toMatchObject({ 'worker compute': 'measured', 'worker memory': 'measured' });
    expectNear(usd(busier, 'worker compute'), (21_700 / 86_400 / 0.5) * hoursPerYear * vcpuHour);
  });

  it('scales per-event lines with volume but not the fixed minimums', () => {
    const small = projectCosts(inputs(1e9));
    const large = projectCosts(inputs(2e9));
    for (const name of ['Kafka storage', 'worker compute', 'worker memory']) {
      expect(usd(large.streaming, name) / usd(small.streaming, name)).toBeCloseTo(2, 9);
    }
    for (const name of ['delivery to S3', 'lake storage', 'S3 requests', 'job compute']) {
      expect(usd(large.batch, name) / usd(small.batch, name)).toBeCloseTo(2, 9);
    }
    // Both volumes need fewer than 3 brokers: the minimum, the same bill.
    expect(usd(large.streaming, 'Kafka brokers')).toBe(brokers(3));
    expect(usd(small.streaming, 'Kafka brokers')).toBe(brokers(3));
    // The job's 60 s minimum and the workers' 0.5 vCPU do not move at tiny volumes.
    expect(usd(projectCosts(inputs(2e4)).batch, 'job compute')).toBe(usd(projectCosts(inputs(1e4)).batch, 'job compute'));
    expect(usd(projectCosts(inputs(2e4)).microbatch, 'worker compute')).toBe(usd(projectCosts(inputs(1e4)).microbatch, 'worker compute'));
  });

  it('sizes streaming workers for the peak and micro-batch workers for the mean', () => {
    const bursty = projectCosts(inputs(2e10, { peakToMeanRate: 3 }));
    const steady = projectCosts(inputs(2e10));
    expect(usd(bursty.streaming, 'worker compute') / usd(steady.streaming, 'worker compute')).toBeCloseTo(3, 9);
    expect(usd(bursty.streaming, 'worker memory') / usd(steady.streaming, 'worker memory')).toBeCloseTo(3, 9);
    expect(usd(bursty.microbatch, 'worker compute')).toBe(usd(steady.microbatch, 'worker compute'));
    // Micro-batch workers: 1e-4 s x 231,481 events/s / 0.7 = 33.07 vCPU, at the mean.
    expectNear(usd(bursty.microbatch, 'worker compute'), (((1e-4 * 2e10) / 86_400) / 0.7) * hoursPerYear * vcpuHour);
  });

  it('gives each Kafka tier an equal share of one cluster sized for all their traffic when the cluster is shared', async () => {
    // 8.64e9 events/day = 100,000 events/s of 200 bytes; micro-batch writes back 100 bytes an event, streaming 150.
    const traffic: CostInputs['tiers'] = {
      batch: measured.batch,
      microbatch: { ...usage, cpuSeconds: 6, kafkaBytesWritten: 6e6 },
      streaming: { ...usage, cpuSeconds: 12, kafkaBytesWritten: 9e6 },
    };
    const volume = 8.64e9;
    const perTier = projectCosts(inputs(volume, { tiers: traffic }));
    // Each its own: 30 MB/s x 3 / 20 = 4.5 -> 5 brokers; 35 MB/s -> 5.25 -> 6 brokers.
    expect(line(perTier.microbatch, 'Kafka brokers')).toEqual({ name: 'Kafka brokers', usdPerYear: brokers(5), basis: 'measured' });
    expect(line(perTier.streaming, 'Kafka brokers')).toEqual({ name: 'Kafka brokers', usdPerYear: brokers(6), basis: 'measured' });
    expectNear(usd(perTier.microbatch, 'Kafka storage'), ((volume * 300 * 7 * 3) / 1e9) * kafkaGbMonth * 12); // $65,318.40
    expectNear(usd(perTier.streaming, 'Kafka storage'), ((volume * 350 * 7 * 3) / 1e9) * kafkaGbMonth * 12); // $76,204.80

    // Shared: the events once (200) + both tiers' writes (100 + 150) = 45 MB/s -> 6.75 -> 7 brokers, half each.
    const shared = projectCosts(inputs(volume, { tiers: traffic, kafka: 'shared' }));
    for (const cost of [shared.microbatch, shared.streaming]) {
      expect(line(cost, 'Kafka brokers')).toEqual({ name: 'Kafka brokers', usdPerYear: expect.closeTo(3.5 * hoursPerYear * brokerHour, 9), basis: 'measured' });
      expectNear(usd(cost, 'Kafka brokers'), 6_254.64);
      expectNear(usd(cost, 'Kafka storage'), (((volume * 450 * 7 * 3) / 1e9) * kafkaGbMonth * 12) / 2); // $48,988.80
    }
    // Workers are each tier's own; batch (managed delivery) has no Kafka and is not in the split.
    expect(usd(shared.streaming, 'worker compute')).toBe(usd(perTier.streaming, 'worker compute'));
    expect(shared.batch).toEqual(perTier.batch);
    // One cluster of 7 bills less than clusters of 5 and 6.
    expectNear(usd(shared.microbatch, 'Kafka brokers') + usd(shared.streaming, 'Kafka brokers'), brokers(7));

    // With the batch tier reading Kafka too (lake sink, no writes of its own), three tiers split the same 7 brokers.
    const lakeSink = await loadChosenArchitectures({ ...defaultArchitectureChoice, batch: 'batch-lake-sink', kafka: 'shared' });
    const three = projectCosts(inputs(volume, { tiers: traffic, kafka: 'shared', architectures: lakeSink }));
    for (const cost of [three.batch, three.microbatch, three.streaming]) {
      expectNear(usd(cost, 'Kafka brokers'), (7 / 3) * hoursPerYear * brokerHour); // $4,169.76
      expectNear(usd(cost, 'Kafka storage'), (((volume * 450 * 7 * 3) / 1e9) * kafkaGbMonth * 12) / 3); // $32,659.20
    }
  });

  it('keeps the shared cluster at its minimum, marked assumed, when all the traffic fits', () => {
    const shared = projectCosts(inputs(1e6, { kafka: 'shared' }));
    for (const cost of [shared.microbatch, shared.streaming]) {
      expect(line(cost, 'Kafka brokers')).toEqual({ name: 'Kafka brokers', usdPerYear: expect.closeTo(brokers(3) / 2, 9), basis: 'assumed' });
    }
    // A single Kafka tier has the cluster to itself: the same as per-tier.
    const alone = { streaming: measured.streaming };
    expect(projectCosts(inputs(2e10, { kafka: 'shared', tiers: alone }))).toEqual(projectCosts(inputs(2e10, { tiers: alone })));
  });

  it('prices every architecture of each measured tier as a variant, on the same measurement', async () => {
    const all = await loadAllArchitectures();
    expect(all.map((a) => `${a.tier}/${a.name}`)).toEqual([
      'batch/batch-lake-sink',
      'batch/batch-managed-delivery',
      'microbatch/microbatch-kafka',
      'microbatch/microbatch-lake',
      'streaming/streaming-at-least-once',
      'streaming/streaming-exactly-once',
    ]);
    const at = inputs(1e8);
    const variants = priceVariants(at, all);
    // An exactly-once architecture is not priced on an at-least-once measurement.
    const sameGuarantee = all.filter((a) => a.name !== 'streaming-exactly-once');
    expect(variants.map((v) => [v.tier, v.architecture])).toEqual(sameGuarantee.map((a) => [a.tier, a.name]));
    for (const [i, variant] of variants.entries()) {
      const priced = priceTier(sameGuarantee[i]!, at, measured[variant.tier]!);
      expect(variant).toEqual({ tier: sameGuarantee[i]!.tier, architecture: sameGuarantee[i]!.name, title: sameGuarantee[i]!.title, usdPerYear: priced.usdPerYear, measuredShare: priced.measuredShare });
    }
    const exactlyOnce = priceVariants({ ...at, tiers: { streaming: { ...measured.streaming!, guarantee: 'exactly-once' } } }, all);
    expect(exactlyOnce.map((v) => v.architecture)).toEqual(['streaming-exactly-once']);
    // The chosen ones match the tiers' own bills.
    const costs = projectCosts(at);
    for (const tier of ['batch', 'microbatch', 'streaming'] as const) {
      expect(variants.find((v) => v.architecture === defaultArchitectureChoice[tier])!.usdPerYear).toBe(costs[tier]!.usdPerYear);
    }
    // Micro-batch on the lake at 1e8, by hand: delivery $270.976; 200-byte events kept 365 days, 7,300 GB;
    // per 5 s trigger 2 PUT + 1 GET (17,280 triggers a day); queries 1e8 x 1e-4 = 10,000 s a day, under
    // the 1 s a trigger minimum (17,280 s), so billed the minimum.
    const requests = (((17_280 * 2) / 1_000) * putPer1000 + (17_280 / 1_000) * getPer1000) * 365; // $65.59488
    const query = 17_280 * 365 * vcpuSecond; // $86.49624
    const lakeStorage = ((1e8 * 200 * 365) / 1e9) * s3GbMonth * 12; // $2,014.80
    const lake = priceTier(all[3]!, at, measured.microbatch!);
    expect(lake.lines).toEqual([
      { name: 'delivery to S3', usdPerYear: expect.closeTo(270.976, 9), basis: 'measured' },
      { name: 'lake storage', usdPerYear: expect.closeTo(lakeStorage, 9), basis: 'measured' },
      { name: 'S3 requests', usdPerYear: expect.closeTo(requests, 9), basis: 'assumed' },
      { name: 'query compute', usdPerYear: expect.closeTo(query, 9), basis: 'assumed' },
    ]);
    expect(requests).toBeCloseTo(65.59488, 9);
    expect(query).toBeCloseTo(86.49624, 9);
    const lakeVariant = variants.find((v) => v.architecture === 'microbatch-lake')!;
    expectNear(lakeVariant.usdPerYear, 270.976 + lakeStorage + requests + query);
    expectNear(lakeVariant.measuredShare, (270.976 + lakeStorage) / (270.976 + lakeStorage + requests + query));
    // A tier the run did not measure has no variants.
    const onlyStreaming = priceVariants(inputs(1e8, { tiers: { streaming: measured.streaming } }), all);
    expect(onlyStreaming.map((v) => v.architecture)).toEqual(['streaming-at-least-once']);
  });

  it('prices a variant in the chosen architectures, so with a shared cluster the chosen one equals the tier\'s own bill', async () => {
    const all = await loadAllArchitectures();
    const at = inputs(1e8, { kafka: 'shared' });
    const costs = projectCosts(at);
    const variants = priceVariants(at, all);
    const microbatchKafka = variants.find((v) => v.architecture === 'microbatch-kafka')!;
    expect(microbatchKafka).toEqual({
      tier: 'microbatch',
      architecture: 'microbatch-kafka',
      title: 'Micro-batch on Kafka with always-on workers',
      usdPerYear: costs.microbatch!.usdPerYear,
      measuredShare: costs.microbatch!.measuredShare,
    });
    // By hand: half of the 3-broker minimum ($2,680.56); half the storage of one cluster carrying the events once
    // and both tiers' writes, 1e8 x (200 + 116.7 + 166.7) bytes x 7 days x 3 replicas ($609); workers at the floor.
    const storage = (((1e8 * (200 + 7e6 / 60_000 + 10e6 / 60_000) * 7 * 3) / 1e9) * kafkaGbMonth * 12) / 2;
    expect(storage).toBeCloseTo(609, 9);
    expectNear(microbatchKafka.usdPerYear, brokers(3) / 2 + storage + 177.3024 + 38.9382);
    expectNear(microbatchKafka.usdPerYear, 3_505.8006);
    // Priced alone, as if it had the cluster to itself, it would bill more: not what the shared bill says.
    expect(priceTier(architectures.microbatch, at, measured.microbatch!).usdPerYear).toBeGreaterThan(microbatchKafka.usdPerYear + 2_680);
    // Every chosen variant equals its tier's bill in shared mode too.
    for (const tier of ['batch', 'microbatch', 'streaming'] as const) {
      const chosen = variants.find((v) => v.architecture === defaultArchitectureChoice[tier])!;
      expect([chosen.usdPerYear, chosen.measuredShare]).toEqual([costs[tier]!.usdPerYear, costs[tier]!.measuredShare]);
    }
  });

  it('gives ratios over the cheapest tier, and a curve across volumes', () => {
    const cost = (usdPerYear: number): TierCost => ({ usdPerYear, architecture: 'x', measuredShare: 1, lines: [] });
    expect(costRatios({ batch: cost(100), streaming: cost(650) })).toEqual({ batch: 1, streaming: 6.5 });
    const curve = costCurve(inputs(1e8), [1e5, 1e10]);
    expect(curve.map((p) => p.eventsPerDay)).toEqual([1e5, 1e10]);
    expect(curve[0]!.usdPerYear).toEqual({
      batch: projectCosts(inputs(1e5)).batch!.usdPerYear,
      microbatch: projectCosts(inputs(1e5)).microbatch!.usdPerYear,
      streaming: projectCosts(inputs(1e5)).streaming!.usdPerYear,
    });
    expect(curve[1]!.usdPerYear.batch! / curve[0]!.usdPerYear.batch!).toBeGreaterThan(1000);
  });

  it('states the architectures priced and how Kafka is billed among the assumptions', () => {
    const perTier = costAssumptions(sheet, { architectures, kafka: 'per-tier' });
    expect(perTier).toContain(
      'Architectures priced: batch as "Batch via managed delivery to S3" (batch-managed-delivery); ' +
        'microbatch as "Micro-batch on Kafka with always-on workers" (microbatch-kafka); ' +
        'streaming as "Streaming, at-least-once, on Kafka with always-on workers" (streaming-at-least-once).',
    );
    expect(perTier).toContain('Each tier that needs Kafka is billed a cluster of its own.');
    expect(costAssumptions(sheet, { architectures, kafka: 'shared' })).toContain(
      'The Kafka tiers share one cluster, sized for all their traffic, and split its cost evenly.',
    );
    // Every price appears, with its verification state.
    expect(perTier.filter((s) => s.startsWith('kafkaBrokerHour: $0.204 ') && s.includes('NOT verified'))).toHaveLength(1);
  });
});

describe('architecture files', () => {
  const write = async (name: string, text: string) => {
    await writeFile(join(dir, `${name}.yaml`), text);
    return name;
  };

  it('loads the shipped ones, each for its tier', async () => {
    expect(architectures.batch).toEqual({
      name: 'batch-managed-delivery',
      title: 'Batch via managed delivery to S3',
      tier: 'batch',
      parts: [
        { kind: 'delivery', eventsPerRecord: 20 },
        { kind: 'object-storage', retentionDays: 365 },
        { kind: 'object-requests' },
        { kind: 'job-compute', runsEvery: 'schedule', minimumBilledSecondsPerRun: 60 },
      ],
    });
    expect(architectures.streaming.parts).toEqual([{ kind: 'kafka-cluster' }, { kind: 'workers', sizedFor: 'peak', utilisation: 0.5 }]);
    expect(architectures.microbatch.parts).toEqual([{ kind: 'kafka-cluster' }, { kind: 'workers', sizedFor: 'mean', utilisation: 0.7 }]);
  });

  it('rejects a part of a kind it cannot bill, naming the kind', async () => {
    const name = await write('wrong-kind', 'title: Spark\ntier: streaming\nparts:\n  - kind: kafka-cluster\n  - kind: spark-cluster\n');
    await expect(loadArchitecture(name, dir)).rejects.toThrow(`${join(dir, 'wrong-kind.yaml')}: /parts/1/kind must be equal to one of the allowed values (got "spark-cluster")`);
  });

  it('rejects a part missing a field its kind needs, naming the part and the field', async () => {
    const name = await write('missing-field', 'title: Workers\ntier: streaming\nparts:\n  - kind: kafka-cluster\n  - kind: workers\n    sizedFor: peak\n');
    await expect(loadArchitecture(name, dir)).rejects.toMatchObject({
      code: 'BAD_DATA_FILE',
      message: expect.stringContaining("/parts/1 must have required property 'utilisation'"),
    });
  });

  it('rejects a setting of another kind of part, and a utilisation above 1', async () => {
    const extra = await write('extra-field', 'title: Workers\ntier: streaming\nparts:\n  - kind: workers\n    sizedFor: peak\n    utilisation: 0.5\n    eventsPerRecord: 3\n');
    await expect(loadArchitecture(extra, dir)).rejects.toThrow('/parts/0/eventsPerRecord is not a known field');
    const over = await write('over-utilised', 'title: Workers\ntier: streaming\nparts:\n  - kind: workers\n    sizedFor: peak\n    utilisation: 1.5\n');
    await expect(loadArchitecture(over, dir)).rejects.toThrow('/parts/0/utilisation must be <= 1 (got 1.5)');
  });

  it('rejects a batch architecture chosen for streaming, naming both', async () => {
    const chosen = join(dir, 'chosen');
    await rm(chosen, { recursive: true, force: true });
    await mkdir(chosen);
    for (const file of ['batch-managed-delivery', 'microbatch-kafka', 'streaming-at-least-once']) {
      await copyFile(join(architecturesDir, `${file}.yaml`), join(chosen, `${file}.yaml`));
    }
    // The same folder loads with the right choice, so the failure below is the tier check's.
    expect((await loadChosenArchitectures(defaultArchitectureChoice, chosen)).batch.name).toBe('batch-managed-delivery');
    await expect(loadChosenArchitectures({ ...defaultArchitectureChoice, streaming: 'batch-managed-delivery' }, chosen)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'architecture "batch-managed-delivery" prices the batch tier, not streaming',
      details: { tier: 'streaming', architecture: 'batch-managed-delivery' },
    });
    await expect(loadChosenArchitectures({ ...defaultArchitectureChoice, microbatch: 'microbatch-spark' }, chosen)).rejects.toMatchObject({
      code: 'UNKNOWN_NAME',
      message: 'unknown architecture "microbatch-spark"; known: batch-managed-delivery, microbatch-kafka, streaming-at-least-once',
    });
  });
});

describe('the price sheet', () => {
  it('rejects a price sheet with a bad field, naming it', async () => {
    const text = await readFile(new URL('../../../bench/pricing/aws-us-east-1.yaml', import.meta.url), 'utf8');
    const bad = join(dir, 'bad.yaml');
    const negative = text.replace('usd: 0.04048', 'usd: -1');
    expect(negative).not.toBe(text);
    await writeFile(bad, negative);
    await expect(loadPriceSheet(bad)).rejects.toThrow('/prices/computeVcpuHour/usd must be >= 0 (got -1)');
    const sourceLine = '    source: https://aws.amazon.com/fargate/pricing/\n    note: "read 2026-11-24: confirmed';
    const unsourced = text.replace(sourceLine, '    note: "read 2026-11-24: confirmed');
    expect(unsourced).not.toBe(text);
    await writeFile(bad, unsourced);
    await expect(loadPriceSheet(bad)).rejects.toThrow("/prices/computeVcpuHour must have required property 'source'");
  });

  it('loads the shipped sheet with a source and a date for every price', () => {
    const s: PriceSheet = sheet;
    for (const price of Object.values(s.prices)) expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    expect(s.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The figures the hand calculations above use.
    expect(Object.fromEntries(Object.entries(s.prices).map(([name, p]) => [name, p.usd]))).toEqual({
      computeVcpuHour: vcpuHour,
      computeGbHour: gbHour,
      kafkaBrokerHour: brokerHour,
      kafkaStorageGbMonth: kafkaGbMonth,
      s3StorageGbMonth: s3GbMonth,
      s3PutPer1000: putPer1000,
      s3GetPer1000: getPer1000,
      ingestGb,
    });
    expect(s.assumptions).toEqual({ kafkaBrokersMinimum: 3, kafkaReplication: 3, kafkaRetentionDays: 7, kafkaBrokerWriteMBps: 20, workerMinimumVcpu: 0.5, workerGbPerVcpu: 2 });
  });
});
