import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummary } from '../../src/results/read-summary.ts';
import { qualifies, slaP99Micros } from '../../src/results/recommend.ts';
import { loadScenario, scenarioNames } from '../../src/scenarios/scenario.ts';
import type { LakehouseSummary } from '../../src/results/lakehouse.ts';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-teach-'));
afterAll(() => rm(out, { recursive: true, force: true }));

/*
 * Issue 24: every shipped scenario says what it teaches (`expect:`), and a change that makes one
 * recommend another tier fails here. The demo is run (isolated) by lab-run.test.ts, which checks
 * its `expect` the same way; the others run here side by side with no warm-up, the quickest run
 * that still measures all three tiers: what is checked is which tier the figures choose, and the
 * scenarios' SLAs sit orders of magnitude from the tiers they separate.
 */
const taught = (await Promise.all((await scenarioNames()).map(async (name) => ({ name, expect: (await loadScenario(name)).expect })))).filter(
  (scenario) => scenario.name !== 'demo',
);

describe('the shipped scenarios recommend what they teach (real Kafka and S3)', () => {
  it('every shipped scenario says what it teaches', () => {
    for (const scenario of taught) expect(scenario.expect, scenario.name).toBeDefined();
  });

  it.each(taught)('$name recommends $expect', async ({ name, expect: tier }) => {
    const dir = join(out, name);
    const { code, stdout, stderr } = await runCli(['run', name, '--quick', '--execution', 'together', '--no-warmup', '--out', dir]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const summary = await readSummary(join(dir, (await readdir(dir))[0]!));
    if (summary.lakehouse) checkLakehouse(summary.lakehouse);
    const { tier: chosen, why } = summary.recommendation;
    if (chosen !== null) {
      expect(chosen, why).toBe(tier);
      return;
    }
    // A machine too loaded to meet a sub-second SLA at all (2 shared cores, a cold broker) makes
    // no recommendation; the lesson still holds when the fastest correct tier is the one taught.
    // What this pin is for is a change that makes another tier win, and that still fails.
    const fastest = Object.entries(summary.tiers)
      .filter(([, t]) => qualifies(t))
      .sort(([, a], [, b]) => slaP99Micros(a) - slaP99Micros(b))[0]?.[0];
    expect(fastest, why).toBe(tier);
  }, 240_000);
});

/**
 * The lakehouse scenario's run also lands, curates and serves its stream (issue 21): checked here,
 * on the same run, rather than in a second one. What is deterministic for the seed is asserted
 * exactly (counts add up, verdicts, which zones agree with the ground truth); figures that are
 * timings only for being measured at all.
 */
function checkLakehouse(lakehouse: LakehouseSummary): void {
  expect(lakehouse.reconciled, JSON.stringify(lakehouse.counts)).toBe(true);
  expect(lakehouse.counts.raw).toBe(lakehouse.counts.produced);
  expect(lakehouse.zones.map((zone) => [zone.zone, zone.engine, zone.matchesGroundTruth])).toEqual([
    ['raw', 'duckdb-ndjson', false], // drifted lines read as NULLs and wrong cents
    ['curated', 'spark-iceberg', true], // exactly the events the tiers count
    ['served', 'postgresql', false], // without the rows it refused
    ['served', 'duckdb-file', false],
  ]);
  for (const zone of lakehouse.zones) {
    expect(zone.queries.map((query) => query.name), zone.engine).toEqual(['aggregate', 'topN', 'pointLookup']);
    expect(zone.queryP50Micros, zone.engine).toBeGreaterThan(0);
    expect(zone.bytesScanned, zone.engine).toBeGreaterThan(0);
    expect(zone.storageBytes, zone.engine).toBeGreaterThan(0);
    expect(zone.freshnessP50Micros, zone.engine).toBeGreaterThan(0);
  }
  expect(lakehouse.drift.map(({ case: drift, raw, curated, served }) => [drift, raw, curated, served])).toEqual([
    ['new-field', 'accepted', 'evolved', 'rejected'],
    ['renamed-field', 'accepted', 'rejected', 'rejected'],
    ['type-change', 'accepted', 'rejected', 'rejected'],
    ['malformed-json', 'accepted', 'rejected', 'rejected'],
  ]);
  expect(lakehouse.drift[0]!.reasons.served).toContain('deviceId');
  expect(lakehouse.counts.refusedByWarehouse).toBe(lakehouse.drift[0]!.records);
  expect(lakehouse.swamp.undocumentedFields.map((field) => field.field)).toEqual(expect.arrayContaining(['deviceId', 'amount_cents']));
  expect(lakehouse.cost?.options.map((option) => option.option)).toEqual([
    'lake-raw', 'lakehouse-iceberg', 'warehouse-snowflake', 'warehouse-bigquery', 'warehouse-redshift', 'warehouse-self-run',
  ]);
}
