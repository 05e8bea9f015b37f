import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../src/lake/list-objects.ts';
import type { Clock, DatasetRule } from '../../src/events/index.ts';
import { curatedObjectKey, parseRawObjectKey, partitionOf, rawPrefix } from '../../src/lake/raw-zone.ts';
import type { VisibilityBatch } from '../../src/tiers/types.ts';
import { sqlString, type BatchReadPath, type Warehouse } from '../../src/warehouse/duckdb.ts';
import { stageKeys } from '../../src/warehouse/stage.ts';
import type { ObjectGetter } from '../../src/lake/object-getter.ts';
import { readVisibleRows, sqlList } from './visible-events.ts';
import { noPhaseMicros, timePhase, type PhaseMicros } from './job-phases.ts';
import { aggregateSqlFrom } from './aggregate-sql.ts';

export interface BatchJobContext {
  /** When each raw object landed, as the lake sink saw its PUT acknowledged (absent: unknown). */
  landedMicros: ReadonlyMap<string, number>;
  /** LIST and PUT. */
  s3: S3Client;
  /** The staging GETs: signed requests of their own (object-getter.ts), the job's critical path. */
  objects: ObjectGetter;
  bucket: string;
  warehouse: Warehouse;
  /** Where objects are staged for DuckDB when httpfs cannot be loaded; kept across runs. */
  stagingDir: string;
  readPath: BatchReadPath;
  windowMs: number;
  rules: DatasetRule[];
  clock: Clock;
}

/** What the job remembers between runs: which raw objects it has already made visible. */
export interface BatchJobState {
  processed: Set<string>;
  /** Local path (staged) or s3:// URL (httpfs) of every raw object, by partition. */
  inputs: Map<string, string[]>;
}

export interface BatchRunReport {
  startedMicros: number;
  finishedMicros: number;
  partitionsWritten: number;
  objectsRead: number;
  rowsMadeVisible: number;
  bytesWritten: number;
  requests: { list: number; get: number; put: number };
  /** When the last curated PUT was acknowledged: the job's own work ends there, before the lab's visibility scan. */
  lastVisibleMicros?: number;
  /** Where the run's wall time went (job-phases.ts); with httpfs, DuckDB's GETs fall in `query`. */
  phaseMicros: PhaseMicros;
}

export function newBatchJobState(): BatchJobState {
  return { processed: new Set(), inputs: new Map() };
}

/**
 * One run of the "nightly" job: find the raw objects that landed since the last run, recompute
 * the aggregates of every hour partition they touch from all of that partition's objects, and
 * overwrite the partition's curated Parquet. A partition's new events are visible when its PUT
 * is acknowledged. Staged objects are fetched with bounded parallel GETs (stageKeys). Once every
 * partition is written, the new rows' times are read in a second, narrow scan of the same files
 * (visible-events.ts): the lab's measurement, kept off the path of the job's own work.
 */
export async function runBatchJob(
  context: BatchJobContext,
  state: BatchJobState,
  onVisible: (batch: VisibilityBatch) => void,
): Promise<BatchRunReport> {
  const startedMicros = context.clock.nowMicros();
  const report: BatchRunReport = {
    startedMicros,
    finishedMicros: 0,
    partitionsWritten: 0,
    objectsRead: 0,
    rowsMadeVisible: 0,
    bytesWritten: 0,
    requests: { list: 0, get: 0, put: 0 },
    phaseMicros: noPhaseMicros(),
  };
  const phase = <T>(name: keyof PhaseMicros, work: () => Promise<T>) => timePhase(report.phaseMicros, name, context.clock, work);
  const fresh = new Map<string, string[]>();
  const listed = await phase('list', () => listObjects(context.s3, context.bucket, rawPrefix));
  report.requests.list += listed.requests;
  for (const { key } of listed.objects) {
    const name = parseRawObjectKey(key);
    if (!name || state.processed.has(key)) continue;
    const partition = partitionOf(name);
    (fresh.get(partition) ?? fresh.set(partition, []).get(partition)!).push(key);
  }

  const { connection } = context.warehouse;
  const written: Array<{ keys: string[]; newInputs: string[]; writeStartMicros: number; visibleMicros: number }> = [];
  for (const [partition, keys] of fresh) {
    const newInputs =
      context.readPath === 'httpfs'
        ? keys.map((key) => `s3://${context.bucket}/${key}`)
        : await phase('get', () => stageKeys(context.objects, context.bucket, keys, context.stagingDir));
    if (context.readPath === 'staged') report.requests.get += keys.length;
    report.objectsRead += keys.length;
    const inputs = [...(state.inputs.get(partition) ?? []), ...newInputs];
    const outDir = join(context.stagingDir, 'curated-out', partition);
    const outPath = join(outDir, 'aggregates.parquet');
    await phase('query', async () => {
      await mkdir(outDir, { recursive: true });
      await connection.run(`COPY (${aggregateSql(inputs, context.windowMs, context.rules)}) TO ${sqlString(outPath)} (FORMAT parquet)`);
    });
    const body = await phase('put', () => readFile(outPath));
    const writeStartMicros = context.clock.nowMicros();
    await phase('put', () => context.s3.send(new PutObjectCommand({ Bucket: context.bucket, Key: curatedObjectKey(partition), Body: body })));
    written.push({ keys, newInputs, writeStartMicros, visibleMicros: context.clock.nowMicros() });
    report.requests.put++;
    report.bytesWritten += body.length;
    report.partitionsWritten++;
    state.inputs.set(partition, inputs);
    for (const key of keys) state.processed.add(key);
  }
  report.lastVisibleMicros = written.at(-1)?.visibleMicros;
  // The lab's instrument, after the job's own work: which events each PUT made visible, read back
  // from the staged inputs. A real job does not do it, so it must not delay a partition's PUT.
  for (const { keys, newInputs, writeStartMicros, visibleMicros } of written) {
    const events = await phase('scan', async () => {
      const visibleRows = await readVisibleRows(connection, newInputs);
      return visibleRows.events(keys.map((key) => context.landedMicros.get(key)));
    });
    report.rowsMadeVisible += events.length;
    onVisible({ tier: 'batch', processingStartMicros: startedMicros, writeStartMicros, visibleMicros, events });
  }
  report.finishedMicros = context.clock.nowMicros();
  return report;
}

/** The batch tier's answer, in SQL: the same windows, counts, cents and rule flags, over these Parquet files. */
export function aggregateSql(inputs: string[], windowMs: number, rules: DatasetRule[]): string {
  return aggregateSqlFrom(`read_parquet(${sqlList(inputs)}, union_by_name = true, hive_partitioning = false)`, windowMs, rules);
}
