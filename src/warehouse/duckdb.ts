import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { S3Endpoint } from '../services/types.ts';

/** How the batch job reads the lake: DuckDB's httpfs, objects staged by the S3 client, or Spark's S3A connector (batch on Spark). */
export type BatchReadPath = 'httpfs' | 'staged' | 's3a';

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

/** Lets DuckDB's httpfs read the lake: one secret for the S3 endpoint, path-style as S3-compatible servers want. */
export async function configureHttpfs(warehouse: Warehouse, s3: S3Endpoint): Promise<void> {
  const url = new URL(s3.endpoint);
  await warehouse.connection.run(
    `CREATE SECRET lake (TYPE s3, KEY_ID ${sqlString(s3.accessKeyId)}, SECRET ${sqlString(s3.secretAccessKey)}, ` +
      `REGION ${sqlString(s3.region)}, ENDPOINT ${sqlString(url.host)}, URL_STYLE 'path', USE_SSL ${url.protocol === 'https:'})`,
  );
}
