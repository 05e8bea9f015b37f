import type { ClientBase } from 'pg';
import type { DatasetProfile } from '../events/index.ts';
import { isTierlabError, TierlabError } from '../errors.ts';
import { createTableSql, loadRows, type Column } from '../warehouse/postgres/index.ts';
import { sqlString, type Warehouse } from '../warehouse/duckdb.ts';
import type { CpuMeter } from './cpu-meter.ts';

/**
 * The served table's name, in each warehouse: tierlab's own, since a run drops and makes it again
 * and the warehouse may be one of the user's (WAREHOUSE_URL). It stays after the run, to query.
 */
export const servedTable = 'tierlab_lakehouse_events';

/**
 * The warehouse's table, declared once from the dataset (schema on write): the event's fields and
 * the dataset's documented attributes. A field a producer adds later is not in it, and a load
 * carrying one is refused by the server, naming the column, until someone changes the table.
 */
export function servedColumns(profile: Pick<DatasetProfile, 'attributes'>): Column[] {
  return [
    { name: 'seq', type: 'bigint', required: true },
    { name: 'key', type: 'text', required: true },
    { name: 'eventTimeMicros', type: 'bigint', required: true },
    { name: 'amountCents', type: 'bigint', required: true },
    ...profile.attributes.map((attribute): Column => ({ name: attribute.name, type: 'text' })),
  ];
}

/** A warehouse the curated rows are loaded into. */
export interface ServedTarget {
  /** postgresql or duckdb-file, as the zone row names it. */
  engine: string;
  createTable(columns: readonly Column[]): Promise<void>;
  /** Loads the export's rows in which every `excluded` column is NULL, without those columns; the rows loaded. */
  load(file: string, excluded: readonly string[]): Promise<number>;
  /** The column a refused load names as one the table does not have, if that is why it was refused. */
  unknownColumn(error: unknown): string | undefined;
  /** CPU of the load's work outside this process: the warehouse server's, where it is readable. */
  serverCpu?: CpuMeter | undefined;
}

export interface Refusal {
  column: string;
  /** The server's own words. */
  reason: string;
  rows: number;
}

export interface ServedLoad {
  loaded: number;
  refused: number;
  refusals: Refusal[];
}

/** SQL that holds for a row in which every one of `columns` is NULL (true for none). */
export const nullIn = (columns: readonly string[]) => columns.map((column) => `"${column.replaceAll('"', '""')}" IS NULL`).join(' AND ') || 'true';
const except = (columns: readonly string[]) => (columns.length > 0 ? ` EXCLUDE (${columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ')})` : '');

/**
 * Loads one export, as a warehouse's schema on write allows: the whole file first; when the server
 * refuses it for a column its table lacks, the rows that carry a value there are set aside with
 * the server's reason and the rest are loaded again without it. Nothing is lost: loaded + refused
 * = the file's rows. `reader` (an embedded DuckDB) reads the file to count what is set aside.
 */
export async function loadRefusing(target: ServedTarget, file: string, reader: Warehouse): Promise<ServedLoad> {
  const excluded: string[] = [];
  const refusals: Refusal[] = [];
  for (;;) {
    try {
      const loaded = await target.load(file, excluded);
      return { loaded, refused: refusals.reduce((sum, refusal) => sum + refusal.rows, 0), refusals };
    } catch (error) {
      const column = target.unknownColumn(error);
      if (column === undefined || excluded.includes(column)) throw error;
      const counted = await reader.connection.runAndReadAll(
        `SELECT count(*)::BIGINT AS n FROM read_parquet(${sqlString(file)}) WHERE ${nullIn(excluded)} AND "${column.replaceAll('"', '""')}" IS NOT NULL`,
      );
      refusals.push({ column, reason: (error as Error).message, rows: Number(counted.getRowObjectsJS()[0]!.n) });
      excluded.push(column);
    }
  }
}

/** The served zone on the warehouse server: COPY, through the pg client, of the rows DuckDB reads from the export. */
export function postgresTarget(client: ClientBase, reader: Warehouse, serverCpu?: CpuMeter): ServedTarget {
  return {
    engine: 'postgresql',
    serverCpu,
    async createTable(columns) {
      await client.query(`DROP TABLE IF EXISTS "${servedTable}"`);
      await client.query(createTableSql(servedTable, columns));
    },
    async load(file, excluded) {
      const read = await reader.connection.runAndReadAll(`SELECT *${except(excluded)} FROM read_parquet(${sqlString(file)}) WHERE ${nullIn(excluded)}`);
      return (await loadRows(client, servedTable, read.getRowObjectsJS())).rows;
    },
    unknownColumn(error) {
      if (!isTierlabError(error, 'SCHEMA_REJECTED') || error.details?.sqlState !== '42703') return undefined;
      return typeof error.details.column === 'string' ? error.details.column : undefined;
    },
  };
}

const duckdbUnknownColumn = /does not have a column with name "([^"]+)"/;

/** The served zone as an embedded database file: DuckDB inserts from the export by column name. */
export function duckdbFileTarget(database: Warehouse): ServedTarget {
  return {
    engine: 'duckdb-file',
    async createTable(columns) {
      await database.connection.run(`DROP TABLE IF EXISTS "${servedTable}"`);
      await database.connection.run(createTableSql(servedTable, columns));
    },
    async load(file, excluded) {
      try {
        const result = await database.connection.run(
          `INSERT INTO "${servedTable}" BY NAME SELECT *${except(excluded)} FROM read_parquet(${sqlString(file)}) WHERE ${nullIn(excluded)}`,
        );
        return Number(result.rowsChanged);
      } catch (error) {
        const column = duckdbUnknownColumn.exec((error as Error).message)?.[1];
        if (column === undefined) throw error;
        // DuckDB's message goes on with suggestions ("Did you mean ..."): its first line is the refusal.
        const refusal = (error as Error).message.split('\n')[0];
        throw new TierlabError('SCHEMA_REJECTED', `the load into "${servedTable}" was rejected: ${refusal}; nothing of it was written`, {
          cause: error,
          details: { table: servedTable, column },
        });
      }
    },
    unknownColumn(error) {
      return isTierlabError(error, 'SCHEMA_REJECTED') && typeof error.details?.column === 'string' ? error.details.column : undefined;
    },
  };
}
