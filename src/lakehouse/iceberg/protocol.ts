import { TierlabError } from '../../errors.ts';

/**
 * What the Iceberg curation engine (engines/jvm/iceberg, Main.java) says on stdout, one JSON
 * object a line: `ready` once, then one reply per command, carrying the command's id. Snapshot ids
 * are 64-bit and come as strings, so that no digit is lost to a double.
 */
export interface ReadyLine {
  type: 'ready';
  /** e.g. "Spark 4.1.1, Iceberg 1.12.0 on Java 17.0.15". */
  version: string;
  /** From the JVM's start to ready: Spark's session, the catalog, the table's first load, a first job. */
  startupMs: number;
  /** The table as the SQL names it, e.g. "lake.lakehouse.events". */
  table: string;
}

export interface CuratedLine {
  type: 'curated';
  id: number;
  /** Raw objects this run took (those no earlier commit had). */
  objects: number;
  /** Their non-blank lines: appended + every dead-lettered count. */
  lines: number;
  appended: number;
  /** Dead-lettered lines by reason, e.g. { "type change: amountCents": 1, "malformed JSON": 2 }. */
  deadLettered: Record<string, number>;
  /** Columns this run added to the table (schema evolved). */
  columnsAdded: Array<{ name: string; type: string }>;
  /** The run's commit; null when there was nothing new to take. */
  snapshotId: string | null;
  filesWritten: number;
  /** Bytes of the data files this run wrote. */
  dataBytes: number;
  deadLetterObjects: number;
  /** The run's wall time, from listing the raw zone to its commit. */
  wallMicros: number;
}

export interface AnsweredLine {
  type: 'answered';
  id: number;
  name: string;
  /** Each timed run, from submitting the SQL to its last row in the driver. */
  micros: number[];
  /** What Iceberg planned for one run: the data files kept after pruning, and their size. */
  bytesScanned: number;
  dataFilesScanned: number;
  dataFilesSkipped: number;
  scanReports: number;
  rowCount: number;
  /** At most the command's maxRows of them, by column name. */
  rows: Array<Record<string, string | number | boolean | null>>;
}

export interface StatsLine {
  type: 'stats';
  id: number;
  snapshotId: string | null;
  snapshots: number;
  records: number;
  dataFiles: number;
  dataBytes: number;
  /** Everything under the table's folder in the bucket: data and metadata. */
  storageBytes: number;
  storageObjects: number;
  /** Each column's type and its nulls (a column added later is null in every earlier row). */
  columns: Array<{ name: string; type: string; nulls: number }>;
}

/** The rows the table took since a snapshot, as Parquet files on local disk, for the warehouse's load. */
export interface ExportedLine {
  type: 'exported';
  id: number;
  /** The snapshot exported through: the next export starts after it. Null when the table has none yet. */
  snapshotId: string | null;
  rows: number;
  files: string[];
  wallMicros: number;
}

export type CurationLine =
  | ReadyLine
  | CuratedLine
  | AnsweredLine
  | StatsLine
  | ExportedLine
  | { type: 'stopped'; id: number }
  /** id -1: the engine could not start or failed as a whole. */
  | { type: 'error'; id?: number; message: string };

type Kind = 'number' | 'string' | 'object' | 'array' | 'string|null';

const shapes: Record<CurationLine['type'], Record<string, Kind>> = {
  ready: { version: 'string', startupMs: 'number', table: 'string' },
  curated: {
    id: 'number', objects: 'number', lines: 'number', appended: 'number', deadLettered: 'object', columnsAdded: 'array',
    snapshotId: 'string|null', filesWritten: 'number', dataBytes: 'number', deadLetterObjects: 'number', wallMicros: 'number',
  },
  answered: {
    id: 'number', name: 'string', micros: 'array', bytesScanned: 'number', dataFilesScanned: 'number', dataFilesSkipped: 'number',
    scanReports: 'number', rowCount: 'number', rows: 'array',
  },
  stats: {
    id: 'number', snapshotId: 'string|null', snapshots: 'number', records: 'number', dataFiles: 'number', dataBytes: 'number',
    storageBytes: 'number', storageObjects: 'number', columns: 'array',
  },
  exported: { id: 'number', snapshotId: 'string|null', rows: 'number', files: 'array', wallMicros: 'number' },
  stopped: { id: 'number' },
  error: { message: 'string' },
};

function bad(message: string, line: string): TierlabError {
  return new TierlabError('TIER_FAILED', `the Iceberg curation engine ${message}: ${JSON.stringify(line.slice(0, 160))}`);
}

function fits(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** One line of the engine's stdout, checked field by field: a line that is not one of these names the field that is wrong. */
export function parseCurationLine(line: string): CurationLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw bad('wrote a line that is not JSON', line);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('wrote a line that is not a JSON object', line);
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) throw bad(`wrote a line of unknown type ${JSON.stringify(type)}`, line);
  for (const [field, kind] of Object.entries(shapes[type as CurationLine['type']])) {
    if (!fits(record[field], kind)) throw bad(`wrote a ${type} line whose ${field} is not a ${kind}`, line);
  }
  if (type === 'answered' && !(record.micros as unknown[]).every((micros) => fits(micros, 'number'))) {
    throw bad('wrote an answered line whose micros are not all numbers', line);
  }
  if (type === 'curated' && !Object.values(record.deadLettered as object).every((count) => fits(count, 'number'))) {
    throw bad('wrote a curated line whose deadLettered counts are not all numbers', line);
  }
  return record as unknown as CurationLine;
}
