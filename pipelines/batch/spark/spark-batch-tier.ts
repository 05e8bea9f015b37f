import type { S3Client } from '@aws-sdk/client-s3';
import { createKafkaDriver } from '../../../src/kafka/driver/index.ts';
import { createS3Client, ensureBucket } from '../../../src/lake/s3-client.ts';
import { createLakeSink, type LakeSink } from '../../../src/lake/sink.ts';
import { startEngineProcess, type EngineProcess, type ProgressLine } from '../../../src/tiers/jvm/engine-process.ts';
import { visibilityBatches } from '../../../src/tiers/jvm/jvm-tier.ts';
import { TierStatus } from '../../../src/tiers/status.ts';
import type { Tier, TierContext } from '../../../src/tiers/types.ts';
import { openWarehouse, type Warehouse } from '../../../src/warehouse/duckdb.ts';
import { readCuratedResult } from '../curated.ts';
import { aggregateSqlFrom } from '../aggregate-sql.ts';
import type { BatchOptions } from '../options.ts';
import { sparkCluster } from '../../microbatch/spark/module.ts';
import { sparkBatchModule } from './module.ts';

/** Spark's local mode: one task thread a core of the lab's machine (2). */
const sparkThreads = 2;

/**
 * Batch with its job on Spark (engines/jvm/spark, BatchMain): the same lake sink as the node
 * engine lands the raw zone in S3 (the delivery, in this worker), and a Spark session in local mode,
 * up for the run as a warm cluster would be, runs the job every periodMs: it lists the raw zone
 * through S3A, recomputes each hour partition new objects touched with the same aggregate SQL as
 * DuckDB's (aggregateSqlFrom over a view of the raw rows), and puts the partition's curated
 * Parquet. An event is visible when that PUT returns. Its S3 requests are S3A's own counts.
 */
export function createSparkBatchTier(context: TierContext, options: BatchOptions): Tier {
  const status = new TierStatus();
  const kafka = createKafkaDriver(context.kafkaClient, context.kafka, { clientId: `tierlab-batch-${context.runId}` });
  let s3: S3Client | undefined;
  let warehouse: Warehouse | undefined;
  let lake: LakeSink | undefined;
  let engineProcess: EngineProcess | undefined;
  let stopped: Promise<void> | undefined;
  // The engine reports totals; the tier's usage is the lake sink's plus the engine's.
  let engineS3 = { list: 0, get: 0, put: 0, bytesWritten: 0 };
  let jobs = { runs: 0, micros: 0 };
  const cluster = sparkCluster(context);

  function onProgress(line: ProgressLine): void {
    if (line.s3) {
      const requests = status.usage.s3Requests;
      requests.list += line.s3.list - engineS3.list;
      requests.get += line.s3.get - engineS3.get;
      requests.put += line.s3.put - engineS3.put;
      status.usage.s3BytesWritten += line.s3.bytesWritten - engineS3.bytesWritten;
      engineS3 = line.s3;
    }
    if (line.jobs) jobs = line.jobs;
    for (const batch of visibilityBatches('batch', line.visible)) context.onVisible(batch);
    status.visible += line.visible.length;
  }

  async function start(): Promise<void> {
    status.state = 'starting';
    try {
      s3 = createS3Client(context.s3);
      await ensureBucket(s3, context.bucket);
      engineProcess = await startEngineProcess(
        {
          engine: 'spark',
          module: sparkBatchModule,
          config: {
            tier: 'batch',
            windowMs: context.windowMs,
            rules: context.rules,
            guarantee: 'at-least-once',
            maxWaitMs: 0,
            threads: sparkThreads,
            periodMs: options.periodMs,
            s3: context.s3,
            bucket: context.bucket,
            aggregateSql: aggregateSqlFrom('raw', context.windowMs, context.rules),
            ...(cluster ? { [cluster.setting]: cluster.url } : {}),
          },
          engineCacheDir: context.engineCacheDir,
          logger: context.logger,
        },
        { onProgress, onFailure: (error) => status.fail(error) },
      );
      // The lake sink writes the raw zone's Parquet with DuckDB, as the node engine's does.
      warehouse = await openWarehouse();
      lake = createLakeSink(
        {
          tier: 'batch',
          kafka,
          s3,
          bucket: context.bucket,
          topics: { events: context.topics.events, deadLetter: context.topics.deadLetter },
          groupId: `tierlab-${context.runId}-batch`,
          warehouse,
          clock: context.clock,
          logger: context.logger,
          status,
        },
        options.lake,
      );
      await lake.start();
    } catch (error) {
      status.fail(error);
      throw error;
    }
    status.state = 'running';
  }

  async function stop(): Promise<void> {
    status.stopping();
    await engineProcess?.stop();
    await lake?.stop();
    warehouse?.close();
    s3?.destroy();
    status.stopped();
  }

  return {
    name: 'batch',
    // The lab runs the "nightly" job every periodMs; its latency under the real schedule is projected.
    projection: { compressedPeriodMs: options.periodMs, realPeriodMs: options.realPeriodMs },
    facts: () => ({
      engine: { ...(engineProcess?.engine ?? { name: 'spark', version: 'not started' }), ...(cluster ? { cluster: cluster.url } : {}) },
      readPath: 's3a',
      jobRuns: jobs.runs,
      jobSeconds: jobs.micros / 1e6,
    }),
    start,
    stop: () => (stopped ??= stop()),
    health: () => status.health(),
    readCommittedResult: () => readCuratedResult(context.s3, context.bucket),
  };
}
