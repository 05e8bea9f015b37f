import { readFile } from 'node:fs/promises';
import type { Clock, DatasetProfile } from '../events/index.ts';
import { sqlString, type Warehouse } from '../warehouse/duckdb.ts';
import { dashboardQueryNames, type DashboardQueryName } from './dashboard-queries.ts';
import { metered, ownCpu } from './cpu-meter.ts';
import { zoneQuery, type QueryRuns, type ZoneAnswers } from './zone-queries.ts';

/**
 * How bytesScanned is counted on DuckDB. Its profiler's total_bytes_read was tried: it counts a
 * single file's reads, but reports 0 for a scan of several files and for the database's own file,
 * so the operating system's count is taken instead.
 */
export const duckdbScanBasis =
  "bytes this process read from files (rchar, /proc/self/io) during the query's first run in a freshly opened database: DuckDB's reads of the NDJSON or database file";

/** Bytes this process has read through read calls so far (page-cache hits included), or undefined where /proc is not readable. */
async function bytesReadSoFar(): Promise<number | undefined> {
  try {
    const match = /^rchar: (\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the dashboard in a DuckDB zone. Each query gets a freshly opened database, so its first,
 * untimed run reads from the files (what it read is its bytesScanned) and no query is timed on
 * another's cached pages; then the timed runs.
 */
export async function queryDuckdbZone(
  open: () => Promise<Warehouse>,
  sql: Record<DashboardQueryName, string>,
  options: QueryRuns & { clock: Clock },
): Promise<ZoneAnswers> {
  const answers: ZoneAnswers = { queries: [], cpuMicros: 0, cpuBasis: 'measured', rows: { aggregate: [], topN: [], pointLookup: [] } };
  for (const name of dashboardQueryNames) {
    const duckdb = await open();
    try {
      const before = await bytesReadSoFar();
      await duckdb.connection.run(sql[name]);
      const after = await bytesReadSoFar();
      const bytesScanned = before !== undefined && after !== undefined ? after - before : 0;
      for (let i = 1; i < options.warmups; i++) await duckdb.connection.run(sql[name]);
      const micros: number[] = [];
      let rows: Array<Record<string, unknown>> = [];
      // Embedded: DuckDB's threads are this process's, so its CPU is the query's.
      const { cpuMicros } = await metered([ownCpu], async () => {
        for (let i = 0; i < options.runs; i++) {
          const started = options.clock.nowMicros();
          const reader = await duckdb.connection.runAndReadAll(sql[name]);
          micros.push(options.clock.nowMicros() - started);
          if (i === options.runs - 1) rows = reader.getRowObjectsJS();
        }
      });
      answers.cpuMicros += cpuMicros / options.runs;
      answers.queries.push(zoneQuery(name, micros, bytesScanned, rows.length));
      answers.rows[name] = rows;
    } finally {
      duckdb.close();
    }
  }
  return answers;
}

/**
 * The raw zone as a reader declares it at query time (schema on read): the NDJSON files' fields
 * taken as text and cast, an attribute from `attrs` each. A line whose key or event time cannot
 * be read has no window and is left out; a renamed amount reads as NULL (counted, not summed) and
 * a retyped one ("12.50", dollars) casts to 13, taken as cents: no error anywhere, only answers
 * that drift from the truth, which is what a swamp does.
 */
export function rawZoneRelation(files: readonly string[], profile: Pick<DatasetProfile, 'attributes'>): string {
  const attributes = profile.attributes.map((attribute) => attribute.name);
  const attrsType = `STRUCT(${attributes.map((name) => `"${name}" VARCHAR`).join(', ')})`;
  const columns = `{seq: 'VARCHAR', key: 'VARCHAR', eventTimeMicros: 'VARCHAR', amountCents: 'VARCHAR', attrs: '${attrsType}'}`;
  return [
    '(SELECT TRY_CAST("seq" AS BIGINT) AS "seq", "key", TRY_CAST("eventTimeMicros" AS BIGINT) AS "eventTimeMicros",',
    `  TRY_CAST("amountCents" AS BIGINT) AS "amountCents"${attributes.map((name) => `, "attrs"."${name}" AS "${name}"`).join('')}`,
    `  FROM read_json([${files.map(sqlString).join(', ')}], format = 'newline_delimited', ignore_errors = true, columns = ${columns})`,
    '  WHERE "key" IS NOT NULL AND TRY_CAST("eventTimeMicros" AS BIGINT) IS NOT NULL) AS raw_events',
  ].join('\n');
}
