import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type BatchReadPath = 'httpfs' | 'staged';

export interface Warehouse {
  connection: DuckDBConnection;
  close(): void;
}

/** An embedded DuckDB; in memory unless a file is named. */
export async function openWarehouse(path = ':memory:'): Promise<Warehouse> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * httpfs is not built into @duckdb/node-api and INSTALL needs the internet, so it is tried and
 * the batch tier falls back to staging objects through the S3 client when it will not load.
 */
export async function httpfsLoads(connection: DuckDBConnection): Promise<boolean> {
  try {
    await connection.run('LOAD httpfs');
    return true;
  } catch {
    return false;
  }
}

/** SQL string literal, for paths and keys DuckDB cannot take as prepared parameters. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
