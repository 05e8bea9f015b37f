import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { costCurve, costRatios, loadPriceSheet, projectCosts, type CostInputs, type PriceSheet } from '../../../src/cost/index.ts';

const sheet = await loadPriceSheet();
const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

// Usage as a 60 s demo run measured it (tests/fixtures/summary-v1.json, an earlier build), rounded.
const usage = { peakRssBytes: 300e6, events: 60_000, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0, kafkaBytesWritten: 0 };
function inputs(eventsPerDay: number, overrides: Partial<CostInputs> = {}): CostInputs {
  return {
    sheet,
    eventsPerDay,
    eventBytes: 200,
    peakToMeanRate: 1,
    realPeriodMs: 86_400_000,
    tiers: {
      batch: { ...usage, cpuSeconds: 7, s3Requests: { put: 100, get: 90, list: 5 }, s3BytesWritten: 2e6, jobSeconds: 2, jobRuns: 4 },
      microbatch: { ...usage, cpuSeconds: 6, kafkaBytesWritten: 7e6 },
      streaming: { ...usage, cpuSeconds: 12, kafkaBytesWritten: 10e6 },
    },
    ...overrides,
  };
}

describe('the cost model', () => {
  it('adds each tier\'s named parts up to its total', () => {
    for (const cost of Object.values(projectCosts(inputs(1e8)))) {
      const sum = Object.values(cost.breakdown).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(cost.usdPerYear, 6);
    }
  });

  it('bills the always-on tiers their minimums at a tiny volume, where batch is far cheaper', () => {
    const costs = projectCosts(inputs(1e4));
    // 3 brokers all year + 0.5 vCPU and 1 GB all year, both tiers alike:
    const floor = 3 * 8760 * 0.204 + 0.5 * 8760 * 0.04048 + 0.5 * 2 * 8760 * 0.004445;
    expect(costs.microbatch!.usdPerYear).toBeGreaterThanOrEqual(floor);
    expect(costs.streaming!.usdPerYear).toBeCloseTo(costs.microbatch!.usdPerYear, -1);
    expect(costs.batch!.usdPerYear * 20).toBeLessThan(costs.streaming!.usdPerYear);
  });

  it('computes a known case exactly: batch ingestion through Firehose', () => {
    // 200-byte events, 20 to a record = 4,000 bytes, billed as one 5 KB step (5,120 bytes);
    // 1e8 events/day = 5e6 records = 25.6 GB/day, at $0.029/GB for 365 days = $270.976.
    expect(projectCosts(inputs(1e8)).batch!.breakdown.ingestion).toBeCloseTo(270.976, 6);
  });

  it('scales per-event parts with volume but not the fixed minimums', () => {
    const small = projectCosts(inputs(1e9)).streaming!.breakdown;
    const large = projectCosts(inputs(2e9)).streaming!.breakdown;
    expect(large.kafkaStorage! / small.kafkaStorage!).toBeCloseTo(2, 6);
    expect(large.compute! / small.compute!).toBeCloseTo(2, 6);
    expect(projectCosts(inputs(1e5)).streaming!.breakdown.kafkaBrokers).toBe(projectCosts(inputs(1e6)).streaming!.breakdown.kafkaBrokers);
  });

  it('sizes streaming for the peak and micro-batch for the mean', () => {
    const bursty = projectCosts(inputs(2e10, { peakToMeanRate: 3 }));
    const steady = projectCosts(inputs(2e10));
    expect(bursty.streaming!.breakdown.compute! / steady.streaming!.breakdown.compute!).toBeCloseTo(3, 6);
    expect(bursty.microbatch!.breakdown.compute).toBe(steady.microbatch!.breakdown.compute);
  });

  it('gives ratios over the cheapest tier, and a curve across volumes', () => {
    expect(costRatios({ batch: { usdPerYear: 100, breakdown: {} }, streaming: { usdPerYear: 650, breakdown: {} } })).toEqual({ batch: 1, streaming: 6.5 });
    const curve = costCurve(inputs(1e8), [1e5, 1e10]);
    expect(curve.map((p) => p.eventsPerDay)).toEqual([1e5, 1e10]);
    expect(curve[1]!.usdPerYear.batch! / curve[0]!.usdPerYear.batch!).toBeGreaterThan(1000);
  });

  it('rejects a price sheet with a bad field, naming it', async () => {
    const text = await readFile(new URL('../../../bench/pricing/aws-us-east-1.yaml', import.meta.url), 'utf8');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, text.replace('usd: 0.04048', 'usd: -1'));
    await expect(loadPriceSheet(bad)).rejects.toThrow('/prices/computeVcpuHour/usd must be >= 0 (got -1)');
    await writeFile(bad, text.replace('source: https://aws.amazon.com/fargate/pricing/\n    note: "confirmed', 'note: "confirmed'));
    await expect(loadPriceSheet(bad)).rejects.toThrow("/prices/computeVcpuHour must have required property 'source'");
  });

  it('loads the shipped sheet with a source and a date for every price', () => {
    const s: PriceSheet = sheet;
    for (const price of Object.values(s.prices)) expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    expect(s.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
