import { describe, expect, it } from 'vitest';
import { defaultArchitectureChoice, loadAllArchitectures, loadChosenArchitectures, loadPriceSheet, projectCosts, type CostInputs } from '../../../src/cost/index.ts';
import { reprojectCosts } from '../../../src/harness/costs.ts';
import { validateDataValue } from '../../../src/datafiles/load.ts';
import { summarySchema } from '../../../src/results/summary-schema.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { makeRunSummary } from '../report/summary-builder.ts';

const sheet = await loadPriceSheet();
const lakeChoice = { ...defaultArchitectureChoice, microbatch: 'microbatch-lake' };
const architectures = await loadChosenArchitectures(lakeChoice);
const putPer1000 = 0.005;
const getPer1000 = 0.0004;
const vcpuSecond = (0.04048 + 2 * 0.004445) / 3_600;

// A micro-batch run on the lake engine: 20 queries (5 s trigger) over 60,000 events, 3 s of query
// time in all, 9 s of its worker's CPU (delivery included), 100 PUT + 20 LIST and 60 GET of its own.
const lakeRun = {
  cpuSeconds: 9,
  peakRssBytes: 250e6,
  events: 60_000,
  s3Requests: { put: 100, get: 60, list: 20 },
  s3BytesWritten: 3e6,
  kafkaBytesWritten: 0,
  jobSeconds: 3,
  jobRuns: 20,
};
// The same tier on Kafka: no queries, no S3 requests of its own.
const kafkaRun = { ...lakeRun, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0, jobSeconds: undefined, jobRuns: undefined };

const inputs = (eventsPerDay: number, microbatch: CostInputs['tiers']['microbatch']): CostInputs => ({
  sheet,
  architectures,
  kafka: 'per-tier',
  eventsPerDay,
  eventBytes: 200,
  peakToMeanRate: 1,
  realPeriodMs: 86_400_000,
  triggerMs: 5_000,
  tiers: { microbatch },
});

describe('micro-batch on the lake, priced on the lake engine\'s own measurement', () => {
  it('bills its S3 requests per trigger as it measured them, and its queries by their measured time, not its worker\'s CPU', () => {
    const cost = projectCosts(inputs(1e9, lakeRun)).microbatch!;
    expect(cost.architecture).toBe('microbatch-lake');
    const triggersPerDay = 17_280;
    // Per query run: (100 + 20) / 20 = 6 PUT-class, 60 / 20 = 3 GET.
    const requests = ((triggersPerDay * 6) / 1_000) * putPer1000 * 365 + ((triggersPerDay * 3) / 1_000) * getPer1000 * 365;
    expect(cost.lines.find((l) => l.name === 'S3 requests')).toEqual({ name: 'S3 requests', usdPerYear: expect.closeTo(requests, 9), basis: 'measured' });
    // 3 s / 60,000 events x 1e9 events = 50,000 s a day, above the 17,280 s minimum: measured. Its CPU would say 150,000 s.
    expect(cost.lines.find((l) => l.name === 'query compute')).toEqual({ name: 'query compute', usdPerYear: expect.closeTo(50_000 * vcpuSecond * 365, 9), basis: 'measured' });
    // Every line scales with something it measured, or is a stated minimum.
    expect(cost.lines.map((l) => l.name)).toEqual(['delivery to S3', 'lake storage', 'S3 requests', 'query compute']);
  });

  it('keeps the file\'s request counts, assumed, and the tier\'s CPU per event when priced on a Kafka micro-batch, which ran no queries', () => {
    const cost = projectCosts(inputs(1e9, kafkaRun)).microbatch!;
    const requests = ((17_280 * 2) / 1_000) * putPer1000 * 365 + (17_280 / 1_000) * getPer1000 * 365;
    expect(cost.lines.find((l) => l.name === 'S3 requests')).toEqual({ name: 'S3 requests', usdPerYear: expect.closeTo(requests, 9), basis: 'assumed' });
    expect(cost.lines.find((l) => l.name === 'query compute')).toEqual({ name: 'query compute', usdPerYear: expect.closeTo(150_000 * vcpuSecond * 365, 9), basis: 'measured' });
  });

  it('a stored lake run keeps its architecture when projected again with a scenario whose engine is node', async () => {
    const summary = makeRunSummary();
    const microbatch = summary.tiers.microbatch!;
    summary.tiers.microbatch = {
      ...microbatch,
      engine: { name: 'lake', version: 'DuckDB v1.5.6' },
      usage: { ...microbatch.usage, s3Requests: { put: 100, get: 60, list: 20 }, s3BytesWritten: 3e6, jobSeconds: 3, jobRuns: 20 },
      cost: { ...microbatch.cost, architecture: 'microbatch-lake' },
    };
    // The engine is recorded through the schema, so a stored run reads back with it.
    const stored = validateDataValue<RunSummary>(JSON.parse(JSON.stringify(summary)), 'lake.json', summarySchema);
    expect(stored.tiers.microbatch!.engine).toEqual({ name: 'lake', version: 'DuckDB v1.5.6' });
    // A malformed engine is refused, named.
    const broken = JSON.parse(JSON.stringify(summary));
    broken.tiers.microbatch.engine = { name: 'lake' };
    expect(() => validateDataValue(broken, 'broken.json', summarySchema)).toThrow("/tiers/microbatch/engine must have required property 'version'");
    const node = { architectures: defaultArchitectureChoice, batch: { periodMs: 10_000, realPeriodMs: 86_400_000, lake: { flushRecords: 1, flushMs: 1 } }, microbatch: { triggerMs: 5_000, engine: 'node' as const } };
    const again = await reprojectCosts(summary, 1e8, node);
    expect(again.microbatch!.cost.architecture).toBe('microbatch-lake');
    // A tier that ran on the scenario's engine is priced with the scenario's architecture, as before.
    expect(again.streaming!.cost.architecture).toBe(defaultArchitectureChoice.streaming);
    // Without a recorded engine (a run from before engines were recorded), the scenario's architecture stands.
    const { engine: _none, ...older } = summary.tiers.microbatch;
    const olderRun = { ...summary, tiers: { ...summary.tiers, microbatch: older } };
    expect((await reprojectCosts(olderRun, 1e8, node)).microbatch!.cost.architecture).toBe('microbatch-kafka');
  });

  it('ships the lake architecture with the parts this pricing reads', async () => {
    const lake = (await loadAllArchitectures()).find((a) => a.name === 'microbatch-lake')!;
    expect(lake.parts.map((p) => p.kind)).toEqual(['delivery', 'object-storage', 'object-requests', 'job-compute']);
  });
});
