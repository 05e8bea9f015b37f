import { escapeIdentifier, type ClientBase } from 'pg';
import { TierlabError } from '../../errors.ts';

/**
 * The column types a warehouse table is made of, named for what they hold. A small closed set, so
 * the lakehouse can declare one schema for PostgreSQL and DuckDB alike (amounts are integer cents).
 */
export const columnTypes = {
  bigint: 'bigint',
  integer: 'integer',
  double: 'double precision',
  text: 'text',
  boolean: 'boolean',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
} as const;

export type ColumnType = keyof typeof columnTypes;

export interface Column {
  name: string;
  type: ColumnType;
  /** NOT NULL: a row without it is rejected at load. */
  required?: boolean;
}

/** `CREATE TABLE` for a column list; names are quoted, so any name is taken as it is written. */
export function createTableSql(table: string, columns: readonly Column[], options: { ifNotExists?: boolean } = {}): string {
  if (columns.length === 0) {
    throw new TierlabError('BAD_INPUT', `table "${table}" needs at least one column`, { details: { table } });
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (column.name === '') throw new TierlabError('BAD_INPUT', `table "${table}" has a column without a name`, { details: { table } });
    if (seen.has(column.name)) {
      throw new TierlabError('BAD_INPUT', `table "${table}" names column "${column.name}" twice`, { details: { table, column: column.name } });
    }
    if (!Object.hasOwn(columnTypes, column.type)) {
      throw new TierlabError(
        'BAD_INPUT',
        `column "${column.name}" of table "${table}" has type "${column.type}", not one of ${Object.keys(columnTypes).join(', ')}`,
        { details: { table, column: column.name, type: column.type } },
      );
    }
    seen.add(column.name);
  }
  const definitions = columns.map((c) => `${escapeIdentifier(c.name)} ${columnTypes[c.type]}${c.required ? ' NOT NULL' : ''}`);
  return `CREATE TABLE ${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${escapeIdentifier(table)} (${definitions.join(', ')})`;
}

export async function createTable(
  client: ClientBase,
  table: string,
  columns: readonly Column[],
  options: { ifNotExists?: boolean } = {},
): Promise<void> {
  await client.query(createTableSql(table, columns, options));
}
