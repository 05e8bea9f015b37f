import { describe, expect, it } from 'vitest';
import type { LakehouseOptionCost } from '../../../src/cost/lakehouse.ts';
import type { LakehouseSummary, LakehouseZone } from '../../../src/results/lakehouse.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { lakehouseCheck, newestRun, zoneMatches, type LakehouseAnswer } from '../../../src/workshops/checks/i-lakehouse.ts';
import type { CheckItem } from '../../../src/workshops/types.ts';
import { runOf, runsMap } from './fixture-runs.ts';

const ms = 1_000;
const second = 1_000_000;

function zone(name: LakehouseZone['zone'], engine: string, refreshMicros: number, freshnessMicros: number, matches: boolean): LakehouseZone {
  return {
    zone: name,
    engine,
    queryP50Micros: refreshMicros,
    queryP99Micros: refreshMicros * 1.5,
    bytesScanned: 0,
    storageBytes: 500_000,
    freshnessP50Micros: freshnessMicros,
    freshnessP99Micros: freshnessMicros * 2,
    scanBasis: '',
    loadP50Micros: 0,
    loadRuns: 1,
    rows: 5_000,
    matchesGroundTruth: matches,
    refreshCpuMicros: 0,
    cpuBasis: 'measured',
    queries: [],
  };
}

const option = (name: LakehouseOptionCost['option'], usdPerYear: number) => ({ option: name, title: name, usdPerYear, measuredShare: 1, lines: [] });

/** The figures of a real quick run of ws-i-drift (2026-12-05, 2 CPUs): Spark's refresh about 2 s, the others tens of ms. */
function lakehouse(): LakehouseSummary {
  return {
    zones: [
      zone('raw', 'duckdb-ndjson', 22.5 * ms, 1.16 * second, false),
      zone('curated', 'spark-iceberg', 2.11 * second, 7.08 * second, true),
      zone('served', 'postgresql', 33.2 * ms, 12.1 * second, false),
      zone('served', 'duckdb-file', 10.8 * ms, 12.1 * second, false),
    ],
    drift: [
      { case: 'new-field', raw: 'accepted', curated: 'evolved', served: 'rejected', records: 131, reasons: { served: 'postgresql: the table has no column "deviceId"' } },
      { case: 'renamed-field', raw: 'accepted', curated: 'rejected', served: 'rejected', records: 37, reasons: { curated: 'dead-lettered: missing field: amountCents', served: 'never reached the warehouse' } },
      { case: 'type-change', raw: 'accepted', curated: 'rejected', served: 'rejected', records: 48, reasons: { curated: 'dead-lettered: type change: amountCents', served: 'never reached the warehouse' } },
      { case: 'malformed-json', raw: 'accepted', curated: 'rejected', served: 'rejected', records: 36, reasons: { curated: 'dead-lettered: malformed JSON', served: 'never reached the warehouse' } },
    ],
    reconciled: true,
    counts: { produced: 6_000, raw: 6_000, curated: 5_872, deadLettered: 128, served: 5_741, refusedByWarehouse: 131 },
    swamp: { undocumentedFields: [], duplicateLines: 0, unparseableLines: 36, filesWithoutSchema: 6 },
    steps: { curate: { runs: 1, wallMicros: 3.4 * second, cpuMicros: 3.5 * second, rows: 6_000 }, load: { runs: 1, wallMicros: 0.17 * second, cpuMicros: 0.16 * second, rows: 5_872 } },
    cost: {
      eventsPerDay: 20_000_000,
      refreshesPerDay: 24,
      options: [
        option('lake-raw', 7_232),
        option('lakehouse-iceberg', 2_344),
        option('warehouse-snowflake', 1_339),
        option('warehouse-bigquery', 308),
        option('warehouse-redshift', 686),
        option('warehouse-self-run', 1_266),
      ],
      assumptions: [],
    },
  };
}

function runWith(change: (l: LakehouseSummary) => void = () => {}, scenario = 'ws-i-drift'): RunSummary {
  return runOf(scenario, (run) => {
    run.lakehouse = lakehouse();
    change(run.lakehouse);
  });
}

const reference: LakehouseAnswer = {
  slowestZone: 'curated',
  freshestZone: 'raw',
  matchesGroundTruth: { raw: 'no', curated: 'yes', served: 'no' },
  drift: {
    'new-field': { raw: 'accepted', curated: 'evolved', served: 'rejected' },
    'renamed-field': { raw: 'accepted', curated: 'rejected', served: 'rejected' },
    'type-change': { raw: 'accepted', curated: 'rejected', served: 'rejected' },
    'malformed-json': { raw: 'accepted', curated: 'rejected', served: 'rejected' },
  },
  nothingLost: 'yes',
  cheapest: 'warehouse-bigquery',
};

const check = (answer: LakehouseAnswer | undefined, ...runs: RunSummary[]) =>
  lakehouseCheck.check({ runs: runsMap(...runs), answer, answerPath: '/nowhere/answer.yaml', exerciseDir: '/nowhere' }, undefined);
const failed = (items: CheckItem[]) => items.filter((i) => i.verdict === 'look-again');

describe('exercise (i): lake, lakehouse or warehouse', () => {
  it('passes the reference answer on a quick run of ws-i-drift', async () => {
    const items = await check(reference, runWith());
    expect(failed(items), JSON.stringify(items, null, 1)).toEqual([]);
    expect(items.map((i) => i.about)).toEqual(['run', 'lesson', ...Array(9).fill('prediction')]);
    expect(items[0]!.text).toBe('run 20261125-100000-ws-i-drift-abcd (ws-i-drift): 6,000 records, drifted new-field 131, renamed-field 37, type-change 48, malformed-json 36');
  });

  it("names a drift case's missed verdicts with the zone's reason, and a hint for each zone missed", async () => {
    const answer = structuredClone(reference);
    answer.drift['new-field'] = { raw: 'accepted', curated: 'rejected', served: 'accepted' };
    const [miss, ...rest] = failed(await check(answer, runWith()));
    expect(rest).toEqual([]);
    expect(miss!.text).toBe(
      'new-field (131 records): you said curated rejected, served accepted; the run says raw accepted, curated evolved, served rejected (postgresql: the table has no column "deviceId")',
    );
    expect(miss!.hint).toMatch(/schema evolution.*; schema on write/);
  });

  it('calls the slowest and freshest zones only where the run measured them far apart', async () => {
    const slowServed = failed(await check({ ...reference, slowestZone: 'served', freshestZone: 'curated' }, runWith()));
    expect(slowServed.map((i) => i.text)).toEqual([
      'you said served; curated (spark-iceberg) refreshed slowest: curated (spark-iceberg) 2.11 s, served (postgresql) 33.2 ms, raw (duckdb-ndjson) 22.5 ms, served (duckdb-file) 10.8 ms',
      'you said curated; raw (duckdb-ndjson) was freshest: raw (duckdb-ndjson) 1.16 s, curated (spark-iceberg) 7.08 s, served (postgresql) 12.1 s, served (duckdb-file) 12.1 s',
    ]);
    // A curation that kept up (1.8 s against the raw zone's 1.16 s) is within the factor: either answer is right.
    const close = runWith((l) => (l.zones[1]!.freshnessP50Micros = 1.8 * second));
    expect(failed(await check({ ...reference, freshestZone: 'curated' }, close))).toEqual([]);
  });

  it('takes a served zone as matching the ground truth only when every warehouse does', async () => {
    expect(zoneMatches(lakehouse())).toEqual({ raw: 'no', curated: 'yes', served: 'no' });
    const onlyPostgres = lakehouse();
    onlyPostgres.zones[2]!.matchesGroundTruth = true;
    expect(zoneMatches(onlyPostgres).served).toBe('no');
    const items = failed(await check({ ...reference, matchesGroundTruth: { raw: 'yes', curated: 'yes', served: 'no' } }, runWith()));
    expect(items.map((i) => i.text)).toEqual(['aggregate = ground truth: you said raw yes; the run says raw no, curated yes, served no']);
  });

  it('takes an option within 25% of the cheapest as a tie, and lists every option against one further off', async () => {
    const tie = runWith((l) => (l.cost!.options.find((o) => o.option === 'warehouse-redshift')!.usdPerYear = 370));
    expect(failed(await check({ ...reference, cheapest: 'warehouse-redshift' }, tie))).toEqual([]);
    const [miss] = failed(await check({ ...reference, cheapest: 'lake-raw' }, runWith()));
    expect(miss!.text).toBe(
      'you said lake-raw; warehouse-bigquery is cheapest at 20,000,000 events and 24 refreshes a day: warehouse-bigquery $308/year, warehouse-redshift $686/year, ' +
        'warehouse-self-run $1,266/year, warehouse-snowflake $1,339/year, lakehouse-iceberg $2,344/year, lake-raw $7,232/year',
    );
    const unpriced = failed(await check(reference, runWith((l) => delete l.cost)));
    expect(unpriced.map((i) => i.about)).toEqual(['run']);
  });

  it('checks only the drift cases the run drifted, and needs at least one', async () => {
    const noNewField = runWith((l) => {
      l.drift[0]!.records = 0;
      l.zones.filter((z) => z.zone === 'served').forEach((z) => (z.matchesGroundTruth = true));
    });
    const answer = { ...reference, matchesGroundTruth: { raw: 'no', curated: 'yes', served: 'yes' } } as const;
    const items = await check(answer, noNewField);
    expect(failed(items)).toEqual([]);
    expect(items[0]!.text).toMatch(/; none of new-field \(its verdicts say nothing, and are not checked\)$/);
    expect(items.filter((i) => i.text.startsWith('new-field'))).toEqual([]);
    const undrifted = failed(await check(reference, runWith((l) => l.drift.forEach((d) => (d.records = 0)))));
    expect(undrifted.map((i) => [i.about, i.text])).toEqual([['run', 'run 20261125-100000-ws-i-drift-abcd drifted no record']]);
  });

  it('says what to run without a run, without a lakehouse section, and calls records unaccounted for a bug', async () => {
    const none = failed(await check(undefined));
    expect(none.map((i) => i.text)).toEqual(['no answer file at /nowhere/answer.yaml', 'no run of a ws-i-* scenario yet']);
    expect(none[1]!.hint).toContain('tierlab tier batch --scenario workshops/i-lakehouse/ws-i-drift.yaml');
    const plain = runOf('ws-i-drift');
    expect(failed(await check(reference, plain)).map((i) => i.text)).toEqual([`run ${plain.runId} has no lakehouse section`]);
    const lost = failed(await check(reference, runWith((l) => (l.reconciled = false))));
    expect(lost.map((i) => i.about)).toEqual(['lesson', 'prediction']);
    expect(lost[0]!.hint).toMatch(/a bug in the lab/);
  });

  it("reads the newest of the exercise's runs, a participant's own ws-i- copy included", async () => {
    const older = runWith(() => {}, 'ws-i-drift');
    const mine = runWith((l) => (l.reconciled = false), 'ws-i-my-drift');
    mine.startedAt = new Date(Date.parse(older.startedAt) + 60_000).toISOString();
    expect(newestRun(runsMap(older, mine))?.scenario.name).toBe('ws-i-my-drift');
    expect(failed(await check(reference, older, mine)).map((i) => i.about)).toEqual(['lesson', 'prediction']);
  });
});
