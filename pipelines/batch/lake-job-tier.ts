import { runPeriodically } from '../../src/tiers/periodic.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createKafkaDriver } from '../../src/kafka/driver/index.ts';
import { createS3Client, ensureBucket } from '../../src/lake/s3-client.ts';
import { signedObjectGetter, type ObjectGetter } from '../../src/lake/object-getter.ts';
import { createLakeSink, type LakeSink } from '../../src/lake/sink.ts';
import type { LakeSinkOptions } from '../../src/lake/sink-options.ts';
import type { TierEngine } from '../../src/tiers/engine.ts';
import { TierStatus } from '../../src/tiers/status.ts';
import type { LatencyProjection, Tier, TierContext, TierName } from '../../src/tiers/types.ts';
import { configureHttpfs, httpfsLoads, openWarehouse, type BatchReadPath, type Warehouse } from '../../src/warehouse/duckdb.ts';
import { readCuratedResult } from './curated.ts';
import { newBatchJobState, runBatchJob, type BatchRunReport } from './job.ts';
import { describeError } from '../../src/errors.ts';
import { isTransient, outageRetry } from '../../src/retry.ts';

/** How soon a job run that S3 failed is run again. */
const jobRetryDelayMs = 2_000;

/** What tells one lake-job tier from another: the batch tier, or micro-batch on the lake engine. */
export interface LakeJobSpec {
  name: TierName;
  /** How often the job folds the newly landed objects into the curated windows. */
  periodMs: number;
  /** How the sink buffers events before it lands them as objects (Firehose's buffer interval and size). */
  lake: LakeSinkOptions;
  /** Declared only by a tier whose lab schedule stands for a longer real one (batch). */
  projection?: LatencyProjection;
  engine: TierEngine;
}

export interface LakeJobTier extends Tier {
  readonly runs: () => BatchRunReport[];
}

/**
 * Buffered delivery into the lake plus a scheduled DuckDB job: a lake sink lands raw events in S3
 * as Parquet (every lake.flushMs, or at lake.flushRecords), and every periodMs a job aggregates
 * the new objects' partitions and writes the curated zone. Results are visible when the job's PUT
 * of a partition is acknowledged. The batch tier runs it with a compressed "nightly" period; the
 * micro-batch lake engine runs it every trigger.
 */
export function createLakeJobTier(context: TierContext, spec: LakeJobSpec): LakeJobTier {
  const { name } = spec;
  const kafka = createKafkaDriver(context.kafkaClient, context.kafka, { clientId: `tierlab-${name}-${context.runId}` });
  const status = new TierStatus();
  const state = newBatchJobState();
  const runs: BatchRunReport[] = [];
  let s3: S3Client | undefined;
  let objects: ObjectGetter | undefined;
  let warehouse: Warehouse | undefined;
  let lake: LakeSink | undefined;
  let stagingDir: string | undefined;
  let readPath: BatchReadPath | undefined;
  let schedule: Promise<void> | undefined;
  const wake = new AbortController();

  async function runOnce(): Promise<void> {
    const report = await runBatchJob(
      {
        s3: s3!,
        objects: objects!,
        bucket: context.bucket,
        warehouse: warehouse!,
        stagingDir: stagingDir!,
        readPath: readPath!,
        landedMicros: lake!.stats.landedMicros,
        windowMs: context.windowMs,
        rules: context.rules,
        clock: context.clock,
      },
      state,
      (batch) => {
        status.visible += batch.events.length;
        // The job is the same for every lake tier; what it made visible is this tier's.
        context.onVisible({ ...batch, tier: name });
      },
    );
    runs.push(report);
    status.usage.s3Requests.list += report.requests.list;
    status.usage.s3Requests.get += report.requests.get;
    status.usage.s3Requests.put += report.requests.put;
    status.usage.s3BytesWritten += report.bytesWritten;
    context.logger.info({ tier: name, ...report }, `${name} job finished`);
  }

  function scheduleLoop(): Promise<void> {
    const nowMs = () => context.clock.nowMicros() / 1000;
    let failingSinceMs: number | undefined;
    return runPeriodically({
      periodMs: spec.periodMs,
      nowMs,
      signal: wake.signal,
      tick: async () => {
        try {
          await runOnce();
          failingSinceMs = undefined;
        } catch (error) {
          // A run that S3 failed (an outage, issue 11) is run again soon, as a scheduler retries a
          // failed job, for up to outageRetry.forMs; a run is idempotent (what it made visible is
          // remembered only once its PUT is acknowledged). Anything else, or longer, fails the tier.
          failingSinceMs ??= nowMs();
          if (!wake.signal.aborted && isTransient(error) && nowMs() - failingSinceMs < outageRetry.forMs) {
            context.logger.warn({ tier: name, err: describeError(error) }, `${name} job run failed; retrying`);
            return { againInMs: Math.min(spec.periodMs, jobRetryDelayMs) };
          }
          status.fail(error);
          return 'stop';
        }
      },
    });
  }

  return {
    name,
    ...(spec.projection ? { projection: spec.projection } : {}),
    facts: () => ({
      engine: spec.engine,
      readPath: readPath ?? 'staged',
      jobRuns: runs.length,
      jobSeconds: runs.reduce((sum, run) => sum + (run.finishedMicros - run.startedMicros) / 1e6, 0),
    }),
    runs: () => [...runs],
    async start() {
      status.state = 'starting';
      s3 = createS3Client(context.s3);
      objects = signedObjectGetter(context.s3);
      await ensureBucket(s3, context.bucket);
      warehouse = await openWarehouse();
      readPath = (await httpfsLoads(warehouse.connection)) ? 'httpfs' : 'staged';
      if (readPath === 'httpfs') await configureHttpfs(warehouse, context.s3);
      stagingDir = await mkdtemp(join(tmpdir(), `tierlab-${name}-`));
      lake = createLakeSink(
        {
          tier: name,
          kafka,
          s3,
          bucket: context.bucket,
          topics: { events: context.topics.events, deadLetter: context.topics.deadLetter },
          // Named like every tier's group (tierlab-RUN-TIER): the harness reads its committed offsets after a kill.
          groupId: `tierlab-${context.runId}-${name}`,
          warehouse,
          clock: context.clock,
          logger: context.logger,
          status,
        },
        spec.lake,
      );
      await lake.start();
      schedule = scheduleLoop();
      status.state = 'running';
    },
    async stop() {
      status.stopping();
      wake.abort();
      await schedule;
      await lake?.stop();
      warehouse?.close();
      s3?.destroy();
      objects?.destroy();
      if (stagingDir) await rm(stagingDir, { recursive: true, force: true });
      warehouse = undefined;
      s3 = undefined;
      objects = undefined;
      status.stopped();
    },
    health: () => status.health(),
    readCommittedResult: () => readCuratedResult(context.s3, context.bucket),
  };
}
