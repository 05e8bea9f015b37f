import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { escapeIdentifier, type ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TierlabError } from '../../errors.ts';

export type WarehouseRow = Readonly<Record<string, unknown>>;

export interface LoadResult {
  rows: number;
  /** From the first byte sent to the server's acknowledgement of the COPY, which commits it. */
  elapsedMicros: number;
}

/** COPY's text format marks a missing value with \N. */
const nullMarker = '\\N';

/**
 * One value in COPY's text format. Backslash, tab, newline and carriage return are escaped, so any
 * string arrives as it was. Booleans, numbers, dates and JSON are written as PostgreSQL reads them,
 * and the server, not this function, decides whether they fit the column: that is schema-on-write.
 */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return nullMarker;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return escapeCopyText(value.toISOString());
  if (typeof value === 'string') return escapeCopyText(value);
  return escapeCopyText(JSON.stringify(value));
}

function escapeCopyText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string);
}

/** One row as a COPY text line, its values in the order of `columns`; a column the row lacks is NULL. */
export function copyTextLine(row: WarehouseRow, columns: readonly string[]): string {
  return `${columns.map((column) => copyTextValue(row[column])).join('\t')}\n`;
}

/** Every column any row names, in the order first seen: the load's column list. */
export function loadColumns(rows: Iterable<WarehouseRow>): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

export function copyStatement(table: string, columns: readonly string[]): string {
  return `COPY ${escapeIdentifier(table)} (${columns.map(escapeIdentifier).join(', ')}) FROM STDIN`;
}

/** What of a server error tells which column a load broke; pg's DatabaseError has these fields. */
export interface ServerError {
  message: string;
  code?: string | undefined;
  where?: string | undefined;
  column?: string | undefined;
}

/**
 * The SCHEMA_REJECTED error for a COPY the server refused because a row does not fit the table,
 * naming the column: one the table does not have (42703), a value its type does not take (class 22,
 * "COPY t, line 3, column amount_cents: ..."), a required one missing (23502). Undefined for any
 * other failure, which is not the rows' fault.
 */
export function rejectionOf(error: ServerError, table: string): TierlabError | undefined {
  const code = error.code ?? '';
  let column: string | undefined;
  if (code === '42703') column = /column "([^"]+)"/.exec(error.message)?.[1];
  else if (code.startsWith('22') || code === '23502') column = error.column ?? /, column ([^:]+)(?::|$)/.exec(error.where ?? '')?.[1];
  if (column === undefined) return undefined;
  const line = /, line (\d+)/.exec(error.where ?? '')?.[1];
  const row = line === undefined ? undefined : Number(line) - 1;
  const problem = code === '42703' ? `the table has no column "${column}"` : `column "${column}": ${error.message}`;
  return new TierlabError(
    'SCHEMA_REJECTED',
    `the load into "${table}" was rejected: ${problem}${row === undefined ? '' : ` (row ${row})`}; nothing of it was written`,
    { cause: error, details: { table, column, sqlState: code, ...(row === undefined ? {} : { row }) } },
  );
}

/** Lines are sent in chunks of about this many characters: fewer, larger writes to the socket. */
const chunkChars = 64 * 1024;

function* copyChunks(rows: Iterable<WarehouseRow>, columns: readonly string[]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += copyTextLine(row, columns);
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Bulk-loads rows with COPY FROM STDIN, PostgreSQL's fast path. COPY is one statement, so a load is
 * written whole or not at all; a row that does not fit rejects it with SCHEMA_REJECTED naming the
 * column (see rejectionOf). The clock is passed in, in milliseconds.
 */
export async function loadRows(
  client: ClientBase,
  table: string,
  rows: readonly WarehouseRow[],
  now: () => number = () => performance.now(),
): Promise<LoadResult> {
  const columns = loadColumns(rows);
  if (rows.length === 0 || columns.length === 0) return { rows: 0, elapsedMicros: 0 };
  const started = now();
  const copy = client.query(copyFrom(copyStatement(table, columns)));
  try {
    await pipeline(Readable.from(copyChunks(rows, columns)), copy);
  } catch (error) {
    throw rejectionOf(error as ServerError, table) ?? error;
  }
  return { rows: copy.rowCount, elapsedMicros: Math.round((now() - started) * 1_000) };
}
