import type { WindowAggregate } from './types.ts';

const fixedColumns = new Set(['key', 'windowStartMicros', 'count', 'sumCents']);

/**
 * A row of the aggregate SQL (pipelines/batch/aggregate-sql.ts) as the ground truth's shape, from
 * whichever engine answered it: every column beyond the four fixed ones is a rule's flag count.
 * Engines return 64-bit integers as bigint (DuckDB), text (PostgreSQL) or numbers (Spark): all read
 * as numbers, and a sum over no amounts (NULL) as 0.
 */
export function windowAggregateOf(row: Readonly<Record<string, unknown>>): WindowAggregate {
  const flags: Record<string, number> = {};
  for (const [column, value] of Object.entries(row)) if (!fixedColumns.has(column)) flags[column] = Number(value ?? 0);
  return {
    key: String(row.key),
    windowStartMicros: Number(row.windowStartMicros),
    count: Number(row.count),
    sumCents: Number(row.sumCents ?? 0),
    flags,
  };
}
