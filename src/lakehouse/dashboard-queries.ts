import { aggregateSqlFrom } from '../../pipelines/batch/aggregate-sql.ts';
import type { DatasetRule } from '../events/types.ts';

/** What the dashboard asks of every zone (issue 21): the batch tier's aggregate, a top-N, a point lookup. */
export const dashboardQueryNames = ['aggregate', 'topN', 'pointLookup'] as const;
export type DashboardQueryName = (typeof dashboardQueryNames)[number];

export interface DashboardQueryParams {
  windowMs: number;
  rules: DatasetRule[];
  /** How many keys the top-N lists (default 10). */
  topN?: number;
  /** The point lookup: one key's rows in the window that starts here. */
  point: { key: string; windowStartMicros: number };
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The dashboard's queries as SQL over one relation with the raw zone's columns (seq, key,
 * eventTimeMicros, amountCents and the attributes), in the dialect DuckDB, PostgreSQL and Spark
 * (with double-quoted identifiers) all read, so every zone answers the same text: names quoted,
 * grouping and ordering by position. The aggregate is the
 * batch tier's own (aggregateSqlFrom); the top-N ranks keys by their cents, ties by key, so its
 * answer is one list; the point lookup's window is a range on eventTimeMicros, which a table
 * partitioned or sorted by event time can prune.
 */
export function dashboardQueries(relation: string, params: DashboardQueryParams): Record<DashboardQueryName, string> {
  const windowMicros = params.windowMs * 1000;
  const { key, windowStartMicros } = params.point;
  return {
    aggregate: aggregateSqlFrom(relation, params.windowMs, params.rules),
    topN: [
      'SELECT "key", sum("amountCents")::BIGINT AS "sumCents", count(*)::BIGINT AS "count"',
      `FROM ${relation}`,
      'GROUP BY 1',
      'ORDER BY 2 DESC, 1',
      `LIMIT ${params.topN ?? 10}`,
    ].join('\n'),
    pointLookup: [
      'SELECT "seq", "key", "eventTimeMicros", "amountCents"',
      `FROM ${relation}`,
      `WHERE "key" = ${sqlString(key)} AND "eventTimeMicros" >= ${windowStartMicros} AND "eventTimeMicros" < ${windowStartMicros + windowMicros}`,
      'ORDER BY 1',
    ].join('\n'),
  };
}
