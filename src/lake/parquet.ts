import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../warehouse/duckdb.ts';

export type FlatRow = Record<string, string | number>;

/**
 * Encodes rows as a Parquet file with DuckDB (the engine already embedded for the batch tier),
 * through newline-delimited JSON; column types come from the values (integers stay BIGINT).
 */
export async function rowsToParquet(connection: DuckDBConnection, rows: FlatRow[]): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'tierlab-parquet-'));
  try {
    const input = join(dir, 'rows.ndjson');
    const output = join(dir, 'rows.parquet');
    await writeFile(input, rows.map((row) => JSON.stringify(row)).join('\n'));
    await ndjsonToParquet(connection, input, output);
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same encoding from a file of rows, one JSON object a line, to a Parquet file: for more rows than memory should hold. */
export async function ndjsonToParquet(connection: DuckDBConnection, input: string, output: string): Promise<void> {
  await connection.run(
    `COPY (SELECT * FROM read_json(${sqlString(input)}, format = 'newline_delimited', sample_size = -1)) ` +
      `TO ${sqlString(output)} (FORMAT parquet, COMPRESSION zstd)`,
  );
}
