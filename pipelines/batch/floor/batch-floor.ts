import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { readCurated } from '../curated.ts';
import { aggregateSql, newBatchJobState, runBatchJob, type BatchRunReport } from '../job.ts';
import { TierlabError } from '../../../src/errors.ts';
import { compareAggregates, generate, windowAggregateOf, type AggregateMismatch, type Clock, type DatasetProfile, type EventSink, type RateShape, type WindowAggregate } from '../../../src/events/index.ts';
import { openFileEventSink } from '../../../src/events/sinks/file.ts';
import type { FlatRow } from '../../../src/lake/parquet.ts';
import { curatedPrefix } from '../../../src/lake/raw-zone.ts';
import { createS3Client } from '../../../src/lake/s3-client.ts';
import { signedObjectGetter } from '../../../src/lake/object-getter.ts';
import { s3WarmupRounds, warmS3Server } from './batch-floor-warmup.ts';
import { defaultLakeSinkOptions, type LakeSinkOptions } from '../../../src/lake/sink-options.ts';
import { rawRow } from '../../../src/lake/sink.ts';
import type { S3Endpoint } from '../../../src/services/types.ts';
import { sampleProcessTree } from '../../../src/metrics/resources.ts';
import { configureHttpfs, httpfsLoads, openWarehouse, sqlString, type BatchReadPath, type Warehouse } from '../../../src/warehouse/duckdb.ts';
import type { LayoutRecord } from './batch-floor-layout.ts';
import { deletePrefix } from '../../../src/lake/list-objects.ts';
import { landRawZone } from './batch-floor-lake.ts';
import type { FloorRow } from '../../../src/results/floor.ts';
import type { TierFloorContext } from '../../../src/tiers/descriptor.ts';
import { cpuDeltaMicros, phaseP50s, ratioToFloor, runStats, type RunSample, type RunStats } from './batch-floor-stats.ts';
import { jobPhases, type PhaseMicros } from '../job-phases.ts';

/*
 * Row (f) of `tierlab floor` (issue 9): the batch job over S3 beside DuckDB alone on the same
 * Parquet from local disk, with the same SQL. Both answers are checked against the generator's
 * ground truth: a floor that computes a different answer is worthless.
 */

export interface BatchFloorOptions {
  s3: S3Endpoint;
  profile: DatasetProfile;
  seed: number;
  /** Events per second (constant), or a scenario's rate shape. */
  rate: number | RateShape;
  durationMs: number;
  windowMs: number;
  /** Measured runs of each row; they alternate, so background load falls on both alike. */
  runs: number;
  clock: Clock;
  /** Unmeasured runs of each row first (first file reads, the S3 client's connections). Default 1. */
  warmupRuns?: number;
  /** Partitions of the events topic the lake sink would have read. Default 6, the scenarios' default. */
  partitions?: number;
  /** The lake sink's flush triggers, which decide how many raw objects the job reads. */
  lake?: LakeSinkOptions;
  /** The first event's scheduled time; fixed, like `tierlab generate --to file`. */
  startMicros?: number;
  /** Rounds of the job's S3 requests before any run, so a server just started is not measured cold (batch-floor-warmup.ts). Default none. */
  s3WarmupRounds?: number;
  /** The S3 server's process (native services): its CPU during the job's runs is measured too. */
  s3ServerPid?: number;
}

export type BatchFloorRowName = 'duckdb-local' | 'batch-job';

export interface BatchFloorRow extends RunStats {
  name: BatchFloorRowName;
  /** Every measured run's wall time, in run order. */
  runMicros: number[];
  /** p50 over duckdb-local's p50. */
  ratioToFloor: number;
  /** Every run's answer equalled the ground truth. */
  correct: boolean;
  mismatchCount: number;
  /** The first differing windows of the first wrong run. */
  mismatches: AggregateMismatch[];
  /** batch-job: the S3 requests of each measured run. */
  requests?: Array<BatchRunReport['requests']>;
  /** batch-job: where each measured run's wall time went, in run order. */
  phaseMicros?: PhaseMicros[];
  /** batch-job: each phase's p50 over the measured runs. */
  breakdownMicros?: PhaseMicros;
  /** batch-job: the S3 server's CPU per event (the batch tier's "broker"), when its pid was given. */
  serverCpuMicrosPerEvent?: number;
}

export interface BatchFloorResult {
  events: number;
  windows: number;
  localParquetBytes: number;
  rawObjects: number;
  rawBytes: number;
  readPath: BatchReadPath;
  rows: [BatchFloorRow, BatchFloorRow];
  /** batch-job p50 / duckdb-local p50; the target is ≤ 1.5. */
  ratio: number;
  correct: boolean;
}

const floorTopic = 'tierlab.floor.events';
const shownMismatches = 10;
const defaultStartMicros = Date.parse('2026-01-05T09:00:00Z') * 1000; // `tierlab generate --to file`'s default

export async function measureBatchFloor(options: BatchFloorOptions): Promise<BatchFloorResult> {
  validate(options);
  const { clock, windowMs } = options;
  const rules = options.profile.rules;
  const warmupRuns = options.warmupRuns ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'tierlab-floor-batch-'));
  const client = createS3Client(options.s3);
  const objects = signedObjectGetter(options.s3);
  const bucket = `tierlab-floor-${randomUUID().slice(0, 8)}`;
  let warehouse: Warehouse | undefined;
  let bucketMade = false;
  try {
    warehouse = await openWarehouse();
    const generated = await generateLocally(options, join(dir, 'events'));
    const events = generated.truth.reduce((sum, window) => sum + window.count, 0);
    if (events === 0) throw new TierlabError('BAD_INPUT', 'batch floor: the rate and duration gave no valid events to aggregate');

    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    bucketMade = true;
    const landed = await landRawZone(client, bucket, warehouse, generated.records, {
      topic: floorTopic,
      partitions: options.partitions ?? 6,
      lake: options.lake ?? defaultLakeSinkOptions,
    });
    const readPath: BatchReadPath = (await httpfsLoads(warehouse.connection)) ? 'httpfs' : 'staged';
    if (readPath === 'httpfs') await configureHttpfs(warehouse, options.s3);
    if (options.s3WarmupRounds) await warmS3Server(client, objects, bucket, dir, options.s3WarmupRounds);

    const local = newRowState();
    const job = newRowState();
    const requests: Array<BatchRunReport['requests']> = [];
    const phases: PhaseMicros[] = [];
    const server = serverCpu(options.s3ServerPid);
    for (let i = 0; i < warmupRuns + options.runs; i++) {
      const measured = i >= warmupRuns;
      // duckdb-local: the job's statement over the one local file, written to local disk.
      const out = join(dir, 'duckdb-local', `run-${i}.parquet`);
      await mkdir(dirname(out), { recursive: true });
      const localRun = await timed(clock, () =>
        warehouse!.connection.run(`COPY (${aggregateSql([generated.parquetPath], windowMs, rules)}) TO ${sqlString(out)} (FORMAT parquet)`),
      );
      if (measured) record(local, localRun.sample, compareAggregates(generated.truth, await readAggregatesFile(warehouse, out)));

      // batch-job: the whole job, from a fresh state and an empty curated zone, over the bucket.
      await deletePrefix(client, bucket, curatedPrefix);
      const stagingDir = await mkdtemp(join(dir, 'staging-'));
      await server.before();
      const jobRun = await timed(clock, () =>
        runBatchJob(
          { landedMicros: new Map(), s3: client, objects, bucket, warehouse: warehouse!, stagingDir, readPath, windowMs, rules, clock },
          newBatchJobState(),
          () => undefined,
        ),
      );
      await server.after(measured);
      await rm(stagingDir, { recursive: true, force: true });
      // The job's own work ends at its last PUT's ack; the visibility scan after it is the lab's (breakdownMicros.scan).
      const { startedMicros, lastVisibleMicros } = jobRun.value;
      const jobSample = lastVisibleMicros === undefined ? jobRun.sample : { ...jobRun.sample, wallMicros: lastVisibleMicros - startedMicros };
      if (measured) {
        record(job, jobSample, compareAggregates(generated.truth, await readCurated(client, bucket, warehouse)));
        requests.push(jobRun.value.requests);
        phases.push(jobRun.value.phaseMicros);
      }
    }

    const localRow = finishRow('duckdb-local', local, events);
    const serverMicros = server.totalMicros();
    const jobRow: BatchFloorRow = {
      ...finishRow('batch-job', job, events),
      requests,
      phaseMicros: phases,
      breakdownMicros: phaseP50s(phases, jobPhases),
      ...(serverMicros !== undefined ? { serverCpuMicrosPerEvent: serverMicros / (events * options.runs) } : {}),
    };
    jobRow.ratioToFloor = ratioToFloor(jobRow.p50Micros, localRow.p50Micros);
    return {
      events,
      windows: generated.truth.length,
      localParquetBytes: (await stat(generated.parquetPath)).size,
      rawObjects: landed.objects,
      rawBytes: landed.bytes,
      readPath,
      rows: [localRow, jobRow],
      ratio: jobRow.ratioToFloor,
      correct: localRow.correct && jobRow.correct,
    };
  } finally {
    warehouse?.close();
    if (bucketMade) {
      await deletePrefix(client, bucket, '').catch(() => undefined);
      await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    }
    client.destroy();
    objects.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

function validate(options: BatchFloorOptions): void {
  const whole = { runs: options.runs, durationMs: options.durationMs, windowMs: options.windowMs, partitions: options.partitions ?? 1 };
  for (const [name, value] of Object.entries({ ...whole, warmupRuns: (options.warmupRuns ?? 0) + 1 })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TierlabError('BAD_INPUT', `batch floor ${name} must be a whole number >= 1 (got ${value})`, { details: { name, value } });
    }
  }
}

interface Generated {
  parquetPath: string;
  records: Array<LayoutRecord<FlatRow>>;
  truth: WindowAggregate[];
}

/** The scenario's events through the file sink, unpaced, keeping each record in send order for the raw zone. */
async function generateLocally(options: BatchFloorOptions, dir: string): Promise<Generated> {
  const file = await openFileEventSink(dir);
  const records: Array<LayoutRecord<FlatRow>> = [];
  const sink: EventSink = {
    async send(batch, sentMicros) {
      for (const record of batch) {
        // rawRow reads only the event and its two times; with no Kafka between, read = sent.
        const row = record.valid ? rawRow({ event: record.event, sentMicros, readMicros: sentMicros, partition: 0, offset: '' }) : undefined;
        records.push({ key: record.key, eventTimeMicros: record.eventTimeMicros, ...(row ? { row } : {}) });
      }
      await file.send(batch, sentMicros);
    },
    close: () => file.close(),
  };
  const result = await generate({
    profile: options.profile,
    seed: options.seed,
    durationMs: options.durationMs,
    rate: typeof options.rate === 'number' ? { kind: 'constant', ratePerSec: options.rate } : options.rate,
    startMicros: options.startMicros ?? defaultStartMicros,
    windowMs: options.windowMs,
    sink,
    clock: options.clock,
    paced: false,
  });
  return { parquetPath: file.paths.parquet, records, truth: result.groundTruth.result() };
}

/** The S3 server's CPU (process tree, /proc ticks of 10 ms) summed over the measured job runs. */
function serverCpu(pid: number | undefined) {
  let before: number | undefined;
  let total: number | undefined;
  const sample = async () => (pid === undefined ? undefined : (await sampleProcessTree(pid))?.cpuSeconds);
  return {
    async before() {
      before = await sample();
    },
    async after(measured: boolean) {
      const after = await sample();
      if (measured && before !== undefined && after !== undefined) total = (total ?? 0) + (after - before) * 1e6;
    },
    totalMicros: () => total,
  };
}

interface RowState {
  samples: RunSample[];
  mismatchCount: number;
  mismatches: AggregateMismatch[];
}

function newRowState(): RowState {
  return { samples: [], mismatchCount: 0, mismatches: [] };
}

function record(state: RowState, sample: RunSample, comparison: { equal: boolean; mismatches: AggregateMismatch[] }): void {
  state.samples.push(sample);
  if (comparison.equal) return;
  if (state.mismatchCount === 0) state.mismatches = comparison.mismatches.slice(0, shownMismatches);
  state.mismatchCount += comparison.mismatches.length;
}

function finishRow(name: BatchFloorRowName, state: RowState, events: number): BatchFloorRow {
  return {
    name,
    ...runStats(state.samples, events),
    runMicros: state.samples.map((sample) => sample.wallMicros),
    ratioToFloor: 1,
    correct: state.mismatchCount === 0,
    mismatchCount: state.mismatchCount,
    mismatches: state.mismatches,
  };
}

/** Wall µs on the run's clock and process CPU (all threads, DuckDB's included) of one call. */
async function timed<T>(clock: Clock, run: () => Promise<T>): Promise<{ value: T; sample: RunSample }> {
  const cpuBefore = process.cpuUsage();
  const startMicros = clock.nowMicros();
  const value = await run();
  const wallMicros = clock.nowMicros() - startMicros;
  return { value, sample: { wallMicros, cpuMicros: cpuDeltaMicros(cpuBefore, process.cpuUsage()) } };
}

/** The local row's answer, read back as the curated zone is (pipelines/batch/curated.ts). */
async function readAggregatesFile(warehouse: Warehouse, path: string): Promise<WindowAggregate[]> {
  const reader = await warehouse.connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)})`);
  return reader.getRowObjectsJS().map(windowAggregateOf);
}

const rowWhat: Record<BatchFloorRowName, string> = {
  'duckdb-local': "DuckDB alone: the batch job's aggregate SQL over the run's events in one local Parquet file, written to local disk",
  'batch-job':
    "the batch job until its last PUT is acknowledged: list the raw zone, stage each object from S3, the same SQL per hour partition, PUT the curated Parquet (raw objects as Firehose's largest buffering hints, 128 MiB or 900 s, would land them; the lab's visibility scan after it, in breakdownMicros.scan, not counted)",
};

/**
 * The raw zone the floor's job reads, landed as a delivery stream set up for a nightly job would
 * land it: Firehose's largest buffering hints, 128 MiB (about 850,000 of the lab's ~157 B events)
 * or 900 s, whichever comes first, so for the floor's feed one object per Kafka partition. An
 * assumption, named in the row: with Firehose's default hints (5 MiB or 300 s) a 10,000 events/s
 * stream flushes every ~3 s, as the scenarios' compressed 2 s flush does (90 objects of ~3,300
 * rows in 30 s), and the job then pays per object: docs/measurement.md has the breakdown.
 */
export const deliveryBufferLake: LakeSinkOptions = { flushRecords: 850_000, flushMs: 900_000 };

/** The batch tier's own floor rows: the same events the open-loop rows were fed (the offered rate, for the same time). */
export async function measureBatchFloorRows(context: TierFloorContext): Promise<FloorRow[]> {
  const result = await measureBatchFloor({
    s3: context.s3,
    profile: context.profile,
    seed: context.seed,
    rate: context.ratePerSec,
    durationMs: context.durationSec * 1000,
    windowMs: context.windowMs,
    // A p50 of 5 runs moved the ratio 1.17–1.58x between invocations; of 21 after 3 warm-ups,
    // 1.30–1.42x (docs/measurement.md), for about 6 s more.
    runs: 21,
    warmupRuns: 3,
    s3WarmupRounds,
    clock: context.clock,
    partitions: context.partitions,
    lake: deliveryBufferLake,
    ...(context.s3ServerPid !== undefined ? { s3ServerPid: context.s3ServerPid } : {}),
  });
  return batchFloorRows(result);
}

/** floor.json rows (docs/outputs.md): count is the number of measured runs; a wrong answer is an error. */
export function batchFloorRows(result: BatchFloorResult): FloorRow[] {
  return result.rows.map((row) => ({
    name: row.name,
    what: row.name === 'batch-job' ? `${rowWhat[row.name]} (${result.rawObjects} objects, ${result.readPath})` : rowWhat[row.name],
    loop: 'none',
    resolution: 'µs',
    count: row.runs,
    p50Micros: row.p50Micros,
    p99Micros: row.p99Micros,
    p999Micros: row.p999Micros,
    maxMicros: row.maxMicros,
    cpuMicrosPerEvent: row.cpuMicrosPerEvent,
    ...(row.serverCpuMicrosPerEvent !== undefined ? { brokerCpuMicrosPerEvent: row.serverCpuMicrosPerEvent } : {}),
    ...(row.name === 'batch-job' ? { ratioToFloor: row.ratioToFloor } : {}),
    ...(row.breakdownMicros ? { breakdownMicros: row.breakdownMicros } : {}),
    ...(row.correct ? {} : { error: `wrong answer: ${row.mismatchCount} window(s) differ from the ground truth` }),
  }));
}
