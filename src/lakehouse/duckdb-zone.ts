import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, DatasetProfile } from '../events/index.ts';
import { sqlString, type Warehouse } from '../warehouse/duckdb.ts';
import { dashboardQueryNames, type DashboardQueryName } from './dashboard-queries.ts';
import { metered, ownCpu } from './cpu-meter.ts';
import { zoneQuery, type QueryRuns, type ZoneAnswers } from './zone-queries.ts';

/** How bytesScanned is counted on DuckDB: its own profiler's figure, on a cold start. */
export const duckdbScanBasis = "DuckDB's profiler (total_bytes_read) on the query's first run in a freshly opened database: bytes read from the files";

/**
 * Runs the dashboard in a DuckDB zone. Each query gets a freshly opened database, so its first,
 * untimed run reads from the files (what it read is its bytesScanned, from DuckDB's profiler)
 * and no query is timed on another's cached pages; then the timed runs.
 */
export async function queryDuckdbZone(
  open: () => Promise<Warehouse>,
  sql: Record<DashboardQueryName, string>,
  options: QueryRuns & { clock: Clock },
): Promise<ZoneAnswers> {
  const answers: ZoneAnswers = { queries: [], cpuMicros: 0, cpuBasis: 'measured', rows: { aggregate: [], topN: [], pointLookup: [] } };
  const profileDir = await mkdtemp(join(tmpdir(), 'tierlab-duckdb-profile-'));
  try {
    for (const name of dashboardQueryNames) {
      const duckdb = await open();
      try {
        const profile = join(profileDir, `${name}.json`);
        await duckdb.connection.run(`PRAGMA enable_profiling = 'json'`);
        await duckdb.connection.run(`PRAGMA profiling_output = ${sqlString(profile)}`);
        await duckdb.connection.run(`SET custom_profiling_settings = '{"TOTAL_BYTES_READ": "true"}'`);
        await duckdb.connection.run(sql[name]);
        // Read before profiling is turned off: the PRAGMA that turns it off is profiled too, and overwrites the file.
        const bytesScanned = Number((JSON.parse(await readFile(profile, 'utf8')) as { total_bytes_read?: number }).total_bytes_read ?? 0);
        await duckdb.connection.run('PRAGMA disable_profiling');
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
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
  return answers;
}

/**
 * The raw zone as a reader declares it at query time (schema on read): the NDJSON files' fields
 * taken as text and cast, an attribute from `attrs` each. A line whose key or event time cannot
 * be read has no window and is left out; a renamed or retyped amount reads as NULL, and is
 * counted but not summed, which is how a swamp's answers drift from the truth.
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
