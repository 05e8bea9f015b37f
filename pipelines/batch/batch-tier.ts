import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createKafkaDriver } from '../../src/kafka/driver/index.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { createLakeSink, type LakeSink } from '../../src/lake/sink.ts';
import { TierStatus } from '../../src/tiers/status.ts';
import type { Tier, TierContext } from '../../src/tiers/types.ts';
import { configureHttpfs, httpfsLoads, openWarehouse, type BatchReadPath, type Warehouse } from '../../src/warehouse/duckdb.ts';
import { readCurated } from './curated.ts';
import { newBatchJobState, runBatchJob, type BatchRunReport } from './job.ts';
import { batchOptions, type BatchOptions, type BatchOverrides } from './options.ts';
import { describeError } from '../../src/errors.ts';
import { isTransient, outageRetry } from '../../src/retry.ts';

/** How soon a job run that S3 failed is run again. */
const jobRetryDelayMs = 2_000;

export interface BatchTier extends Tier {
  readonly runs: () => BatchRunReport[];
  readonly options: BatchOptions;
}

/**
 * Batch: a lake sink lands raw events in S3 as Parquet, and a scheduled job — nightly in
 * production, every periodMs in the lab — aggregates the new partitions with DuckDB and writes
 * the curated zone. Results are visible when the job's PUT of a partition is acknowledged.
 */
export function createBatchTier(context: TierContext, overrides: BatchOverrides = {}): BatchTier {
  const options = batchOptions(overrides);
  const kafka = createKafkaDriver(context.kafkaClient, context.kafka, { clientId: `tierlab-batch-${context.runId}` });
  const status = new TierStatus();
  const state = newBatchJobState();
  const runs: BatchRunReport[] = [];
  let s3: S3Client | undefined;
  let warehouse: Warehouse | undefined;
  let lake: LakeSink | undefined;
  let stagingDir: string | undefined;
  let readPath: BatchReadPath | undefined;
  let running = false;
  let schedule: Promise<void> | undefined;
  const wake = new AbortController();

  async function runOnce(): Promise<void> {
    const report = await runBatchJob(
      {
        s3: s3!,
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
        context.onVisible(batch);
      },
    );
    runs.push(report);
    status.usage.s3Requests.list += report.requests.list;
    status.usage.s3Requests.get += report.requests.get;
    status.usage.s3Requests.put += report.requests.put;
    status.usage.s3BytesWritten += report.bytesWritten;
    context.logger.info({ tier: 'batch', ...report }, 'batch job finished');
  }

  async function scheduleLoop(): Promise<void> {
    const nowMs = () => context.clock.nowMicros() / 1000;
    let next = nowMs() + options.periodMs;
    let failingSinceMs: number | undefined;
    while (running) {
      await sleep(Math.max(0, next - nowMs()), undefined, { signal: wake.signal }).catch(() => undefined);
      if (!running) break;
      next += options.periodMs;
      try {
        await runOnce();
        failingSinceMs = undefined;
      } catch (error) {
        // A run that S3 failed (an outage, issue 11) is run again soon, as a scheduler retries a
        // failed job, for up to outageRetry.forMs; a run is idempotent (what it made visible is
        // remembered only once its PUT is acknowledged). Anything else, or longer, fails the tier.
        failingSinceMs ??= nowMs();
        if (running && isTransient(error) && nowMs() - failingSinceMs < outageRetry.forMs) {
          context.logger.warn({ tier: 'batch', err: describeError(error) }, 'batch job run failed; retrying');
          next = Math.min(next, nowMs() + Math.min(options.periodMs, jobRetryDelayMs));
          continue;
        }
        status.fail(error);
        running = false;
      }
    }
  }

  return {
    name: 'batch',
    options,
    // The lab runs the "nightly" job every periodMs; its latency under the real schedule is projected.
    projection: { compressedPeriodMs: options.periodMs, realPeriodMs: options.realPeriodMs },
    facts: () => ({
      readPath: readPath ?? 'staged',
      jobRuns: runs.length,
      jobSeconds: runs.reduce((sum, run) => sum + (run.finishedMicros - run.startedMicros) / 1e6, 0),
    }),
    runs: () => [...runs],
    async start() {
      status.state = 'starting';
      s3 = createS3Client(context.s3);
      await s3.send(new CreateBucketCommand({ Bucket: context.bucket })).catch((error: { name?: string }) => {
        if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
      });
      warehouse = await openWarehouse();
      readPath = (await httpfsLoads(warehouse.connection)) ? 'httpfs' : 'staged';
      if (readPath === 'httpfs') await configureHttpfs(warehouse, context.s3);
      stagingDir = await mkdtemp(join(tmpdir(), 'tierlab-batch-'));
      lake = createLakeSink(
        {
          kafka,
          s3,
          bucket: context.bucket,
          topics: { events: context.topics.events, deadLetter: context.topics.deadLetter },
          // Named like every tier's group (tierlab-RUN-TIER): the harness reads its committed offsets after a kill.
          groupId: `tierlab-${context.runId}-batch`,
          warehouse,
          clock: context.clock,
          logger: context.logger,
          status,
        },
        options.lake,
      );
      await lake.start();
      running = true;
      schedule = scheduleLoop();
      status.state = 'running';
    },
    async stop() {
      status.stopping();
      running = false;
      wake.abort();
      await schedule;
      await lake?.stop();
      warehouse?.close();
      s3?.destroy();
      if (stagingDir) await rm(stagingDir, { recursive: true, force: true });
      warehouse = undefined;
      s3 = undefined;
      status.stopped();
    },
    health: () => status.health(),
    async readCommittedResult() {
      const reader = createS3Client(context.s3);
      const db = await openWarehouse();
      try {
        return await readCurated(reader, context.bucket, db);
      } finally {
        db.close();
        reader.destroy();
      }
    },
  };
}
