import { rulesToSqlColumns } from '../../src/events/rules.ts';
import type { DatasetRule } from '../../src/events/types.ts';

/**
 * The same aggregate over any relation with the raw zone's columns: the one translation of the
 * dataset's rules into SQL, which DuckDB runs in the batch job, Spark over a view (batch on
 * Spark) and over the curated Iceberg table, and PostgreSQL in the lakehouse's warehouse
 * (src/lakehouse). Pure: it loads no engine. Every name is double-quoted and the grouping is by
 * position, which all four read alike (Spark with spark.sql.ansi.doubleQuotedIdentifiers; PostgreSQL
 * would fold an unquoted eventTimeMicros to lower case, and has no GROUP BY ALL).
 */
export function aggregateSqlFrom(source: string, windowMs: number, rules: DatasetRule[]): string {
  const windowMicros = windowMs * 1000;
  const flags = rulesToSqlColumns(rules);
  return [
    'SELECT "key",',
    `  "eventTimeMicros" - ("eventTimeMicros" % ${windowMicros}) AS "windowStartMicros",`,
    '  count(*)::BIGINT AS "count",',
    `  sum("amountCents")::BIGINT AS "sumCents"${flags.length > 0 ? ',' : ''}`,
    ...flags.map((column, i) => `  ${column}${i < flags.length - 1 ? ',' : ''}`),
    `FROM ${source}`,
    'GROUP BY 1, 2',
  ].join('\n');
}
