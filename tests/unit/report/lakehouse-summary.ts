import type { LakehouseSummary, LakehouseZone, ZoneQuery } from '../../../src/results/lakehouse.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { makeRunSummary } from './summary-builder.ts';

const ms = 1_000;
const second = 1_000_000;

function query(name: string, p50Micros: number, p99Micros: number, bytesScanned: number, rows: number): ZoneQuery {
  return { name, runs: 20, p50Micros, p99Micros, bytesScanned, rows };
}

/** A zone whose refresh, p99 and bytes scanned are its queries' figures added, as the lab writes them. */
function zone(fields: Omit<LakehouseZone, 'queryP50Micros' | 'queryP99Micros' | 'bytesScanned'>): LakehouseZone {
  const add = (pick: (q: ZoneQuery) => number) => fields.queries.reduce((sum, q) => sum + pick(q), 0);
  return { ...fields, queryP50Micros: add((q) => q.p50Micros), queryP99Micros: add((q) => q.p99Micros), bytesScanned: add((q) => q.bytesScanned) };
}

/**
 * A quick lakehouse run of 6,000 events, 30 of each drift case: raw lands every line; curation
 * evolves its table for the new field and dead-letters the other 90; the warehouse refuses the 30
 * rows with the new column, so its aggregate misses them. Two warehouses are served (PostgreSQL
 * first, then a DuckDB file): the DuckDB file answers fastest, PostgreSQL keeps the most storage;
 * curated is smallest and slowest, its CPU per refresh assumed (wall time).
 */
export function lakehouseSection(): LakehouseSummary {
  return {
    zones: [
      zone({
        zone: 'raw',
        engine: 'duckdb-ndjson',
        storageBytes: 1_200_000,
        freshnessP50Micros: 2.1 * second,
        freshnessP99Micros: 4.8 * second,
        scanBasis: 'upper bound: every object listed, read whole',
        loadP50Micros: 45 * ms,
        loadRuns: 12,
        rows: 6_000,
        matchesGroundTruth: true,
        refreshCpuMicros: 410 * ms,
        cpuBasis: 'measured',
        queries: [query('aggregate', 180 * ms, 240 * ms, 1_200_000, 24), query('topN', 95 * ms, 130 * ms, 1_200_000, 10), query('pointLookup', 88 * ms, 120 * ms, 1_200_000, 3)],
      }),
      zone({
        zone: 'curated',
        engine: 'spark-iceberg',
        storageBytes: 380_000,
        freshnessP50Micros: 14.2 * second,
        freshnessP99Micros: 31 * second,
        scanBasis: "Spark's bytes read from files",
        loadP50Micros: 6.3 * second,
        loadRuns: 4,
        rows: 5_910,
        matchesGroundTruth: true,
        // The Spark JVM's processes were not this machine's to read: the refresh's wall time stands in.
        refreshCpuMicros: 790 * ms,
        cpuBasis: 'assumed',
        queries: [query('aggregate', 410 * ms, 690 * ms, 210_000, 24), query('topN', 230 * ms, 380 * ms, 210_000, 10), query('pointLookup', 150 * ms, 260 * ms, 40_000, 3)],
      }),
      zone({
        zone: 'served',
        engine: 'postgresql',
        storageBytes: 2_400_000,
        freshnessP50Micros: 22 * second,
        freshnessP99Micros: 44 * second,
        scanBasis: 'pages read × 8 KiB',
        loadP50Micros: 1.9 * second,
        loadRuns: 4,
        rows: 5_880,
        matchesGroundTruth: false,
        refreshCpuMicros: 11 * ms,
        cpuBasis: 'measured',
        queries: [query('aggregate', 9.8 * ms, 14 * ms, 1_150_000, 24), query('topN', 4.1 * ms, 6.3 * ms, 1_150_000, 10), query('pointLookup', 350, 900, 16_384, 3)],
      }),
      zone({
        zone: 'served',
        engine: 'duckdb-file',
        storageBytes: 800_000,
        freshnessP50Micros: 22.4 * second,
        freshnessP99Micros: 45 * second,
        scanBasis: "DuckDB's profiler: bytes read from the file",
        loadP50Micros: 60 * ms,
        loadRuns: 4,
        rows: 5_880,
        matchesGroundTruth: false,
        refreshCpuMicros: 9 * ms,
        cpuBasis: 'measured',
        queries: [query('aggregate', 5.2 * ms, 7.9 * ms, 0, 24), query('topN', 3.1 * ms, 4.0 * ms, 0, 10), query('pointLookup', 1.1 * ms, 1.3 * ms, 0, 3)],
      }),
    ],
    drift: [
      { case: 'new-field', raw: 'accepted', curated: 'evolved', served: 'rejected', records: 30, reasons: { served: 'column "channel" of relation "events" does not exist' } },
      { case: 'renamed-field', raw: 'accepted', curated: 'rejected', served: 'rejected', records: 30, reasons: { curated: 'missing required field amountCents' } },
      { case: 'type-change', raw: 'accepted', curated: 'rejected', served: 'rejected', records: 30, reasons: { curated: 'amountCents: expected long, got string' } },
      { case: 'malformed-json', raw: 'accepted', curated: 'rejected', served: 'rejected', records: 30, reasons: { curated: 'not a JSON object' } },
    ],
    reconciled: true,
    counts: { produced: 6_000, raw: 6_000, curated: 5_910, deadLettered: 90, served: 5_880, refusedByWarehouse: 30 },
    swamp: {
      undocumentedFields: [
        { field: 'channel', lines: 30 },
        { field: 'amount_cents', lines: 30 },
      ],
      duplicateLines: 0,
      unparseableLines: 30,
      filesWithoutSchema: 14,
    },
    steps: {
      curate: { runs: 4, wallMicros: 25 * second, cpuMicros: 31 * second, rows: 6_000 },
      load: { runs: 4, wallMicros: 7.6 * second, cpuMicros: 2 * second, rows: 5_910 },
    },
  };
}

/** The builder's run with a lakehouse section. */
export function lakehouseRunSummary(lakehouse: LakehouseSummary = lakehouseSection()): RunSummary {
  return makeRunSummary({ lakehouse });
}
