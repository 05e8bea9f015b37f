import { performance } from 'node:perf_hooks';
import type { ClientBase, QueryResultRow } from 'pg';

export interface TimedResult<R> {
  rows: R[];
  rowCount: number;
  /** From sending the query to having every row, on the clock passed in. */
  elapsedMicros: number;
}

/**
 * Runs one query and times it as a dashboard sees it: the server's work plus the rows' trip back.
 * The clock is passed in (milliseconds, sub-millisecond resolution), as everywhere in the lab.
 */
export async function timedQuery<R extends QueryResultRow = QueryResultRow>(
  client: ClientBase,
  sql: string,
  params: readonly unknown[] = [],
  now: () => number = () => performance.now(),
): Promise<TimedResult<R>> {
  const started = now();
  const result = await client.query<R>(sql, params as unknown[]);
  const elapsedMicros = Math.round((now() - started) * 1_000);
  return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length, elapsedMicros };
}
