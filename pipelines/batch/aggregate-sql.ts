import { rulesToSqlColumns } from '../../src/events/rules.ts';
import type { DatasetRule } from '../../src/events/types.ts';

/**
 * The same aggregate over any relation with the raw zone's columns: the one translation of the
 * dataset's rules into SQL, which DuckDB runs in the batch job, and Spark over a view (batch on
 * Spark) and over the curated Iceberg table (src/lakehouse). Pure: it loads no engine.
 */
export function aggregateSqlFrom(source: string, windowMs: number, rules: DatasetRule[]): string {
  const windowMicros = windowMs * 1000;
  const flags = rulesToSqlColumns(rules);
  return [
    'SELECT key,',
    `  eventTimeMicros - (eventTimeMicros % ${windowMicros}) AS windowStartMicros,`,
    '  count(*)::BIGINT AS count,',
    `  sum(amountCents)::BIGINT AS sumCents${flags.length > 0 ? ',' : ''}`,
    ...flags.map((column, i) => `  ${column}${i < flags.length - 1 ? ',' : ''}`),
    `FROM ${source}`,
    'GROUP BY ALL',
  ].join('\n');
}
