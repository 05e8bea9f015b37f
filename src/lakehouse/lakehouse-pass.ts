import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { Clock, DatasetProfile, RateShape } from '../events/index.ts';
import { expectedResultOf } from '../harness/generator/ground-truth.ts';
import type { StreamGenerator, StreamPlan } from '../harness/generator/types.ts';
import { bucketFor } from '../harness/launch.ts';
import { createKafkaClient } from '../kafka/client.ts';
import { createKafkaDriver, type KafkaClientName } from '../kafka/driver/index.ts';
import { ensureTopic } from '../kafka/topics.ts';
import { createS3Client } from '../lake/s3-client.ts';
import type { Logger } from '../log.ts';
import type { LakehouseSummary } from '../results/lakehouse.ts';
import type { KafkaEndpoint, S3Endpoint, WarehouseEndpoint } from '../services/types.ts';
import { openWarehouse } from '../warehouse/duckdb.ts';
import { connectWarehouse } from '../warehouse/postgres/index.ts';
import { TierlabError } from '../errors.ts';
import { curateAndServe, newCurateServeState } from './curate-serve.ts';
import { startIcebergEngine } from './iceberg/engine.ts';
import type { LakehouseOptions } from './options.ts';
import { createRawLander } from './raw-lander.ts';
import { lakehouseDeadLetterPrefix, lakehouseRawPrefix } from './raw-zone.ts';
import { duckdbFileTarget, postgresTarget, servedColumns } from './serve.ts';
import { lakehouseCost } from './cost.ts';
import { processCpu } from './cpu-meter.ts';
import { summarizeLakehouse } from './summarize.ts';
import type { Reads } from '../metrics/staleness.ts';
import { askEveryZone } from './zones.ts';

export interface LakehousePassContext {
  runId: string;
  profile: DatasetProfile;
  seed: number;
  rate: RateShape;
  durationMs: number;
  windowMs: number;
  partitions: number;
  options: LakehouseOptions;
  kafka: KafkaEndpoint;
  s3: S3Endpoint;
  warehouse: WarehouseEndpoint;
  /** The warehouse server's pid where it runs on this machine: its CPU is then measured, not assumed. */
  warehousePid?: number | undefined;
  /** For the $/year: the volume projected to, and how often the dashboard is read. */
  eventsPerDay: number;
  reads: Reads;
  kafkaClient: KafkaClientName;
  engineCacheDir: string;
  generator: StreamGenerator;
  clock: Clock;
  logger: Logger;
  onStage?: (message: string) => void;
}

/** How long the raw zone may take, after the stream ends, to land what was produced. */
const landDrainMs = 60_000;

/**
 * The stream through a lakehouse (issue 21): landed raw as NDJSON in the lake, curated into an
 * Iceberg table by an orchestrated step every `curateEveryMs` (and once after the stream), each
 * curation's new rows loaded into two warehouses (PostgreSQL, a DuckDB file); then every zone is
 * asked the same dashboard queries and counted, so nothing can go missing unseen.
 */
export async function runLakehousePass(context: LakehousePassContext): Promise<LakehouseSummary> {
  const { clock, options } = context;
  const id = `${context.runId}-lakehouse`;
  const topic = `tierlab.${id}.events`;
  const bucket = bucketFor(context.runId, 'lakehouse');
  const s3 = createS3Client(context.s3);
  const workDir = await mkdtemp(join(tmpdir(), 'tierlab-lakehouse-'));
  const cleanups: Array<() => Promise<unknown> | void> = [() => s3.destroy(), () => rm(workDir, { recursive: true, force: true })];
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const admin = createKafkaClient(context.kafka, { clientId: `tierlab-${id}` }).admin();
    await admin.connect();
    await ensureTopic(admin, topic, context.partitions).finally(() => admin.disconnect());

    context.onStage?.('lakehouse: starting the Iceberg curation engine (Spark)');
    const engine = await startIcebergEngine(
      {
        s3: context.s3,
        bucket,
        rawPrefix: lakehouseRawPrefix,
        warehousePrefix: 'lakehouse/iceberg',
        deadLetterPrefix: lakehouseDeadLetterPrefix.replace(/\/$/, ''),
        table: 'lakehouse.events',
      },
      { engineCacheDir: context.engineCacheDir, logger: context.logger },
    );
    cleanups.unshift(() => engine.stop());
    const reader = await openWarehouse();
    cleanups.unshift(() => reader.close());
    const servedFile = join(workDir, 'served.duckdb');
    const servedDb = await openWarehouse(servedFile);
    let servedDbOpen = true;
    cleanups.unshift(() => (servedDbOpen ? servedDb.close() : undefined));
    const pg = await connectWarehouse(context.warehouse, { applicationName: `tierlab-${id}` });
    cleanups.unshift(() => pg.close());
    const targets = [postgresTarget(pg.client, reader, processCpu(context.warehousePid)), duckdbFileTarget(servedDb)];
    for (const target of targets) await target.createTable(servedColumns(context.profile));

    const driver = createKafkaDriver(context.kafkaClient, context.kafka, { clientId: `tierlab-${id}` });
    const failures: unknown[] = [];
    const lander = createRawLander(
      { kafka: driver, s3, bucket, topic, groupId: `tierlab-${id}-raw`, clock, logger: context.logger, onFatal: (error) => failures.push(error) },
      { flushRecords: 1_000_000, flushMs: options.landFlushMs },
    );
    await lander.start();
    cleanups.unshift(() => lander.stop().catch(() => undefined));

    const plan: StreamPlan = {
      profile: context.profile,
      seed: context.seed,
      rate: context.rate,
      startMicros: clock.nowMicros() + 500_000,
      durationMs: context.durationMs,
      windowMs: context.windowMs,
      topic,
      partitions: context.partitions,
    };
    context.onStage?.(`lakehouse: the stream lands raw; curate and serve every ${options.curateEveryMs / 1000} s`);
    const step = { engine, targets, reader, exportDir: join(workDir, 'exports'), clock };
    const state = newCurateServeState(targets);
    let streamEnded = false;
    const streaming = context.generator.generate(plan).finally(() => (streamEnded = true));
    while (!streamEnded) {
      // The wait ends with the stream too, and its timer with it, so nothing is left pending.
      const waiting = new AbortController();
      await Promise.race([sleep(options.curateEveryMs, undefined, { signal: waiting.signal }).catch(() => undefined), streaming.catch(() => undefined)]);
      waiting.abort();
      if (!streamEnded) await curateAndServe(step, state);
    }
    const stream = await streaming;
    for (let waited = 0; lander.stats.lines < stream.report.produced && waited < landDrainMs && failures.length === 0; waited += 100) await sleep(100);
    await lander.stop();
    if (failures.length > 0) throw new TierlabError('TIER_FAILED', `the lakehouse's raw zone failed: ${String(failures[0])}`, { cause: failures[0] });
    await curateAndServe(step, state);

    servedDbOpen = false;
    await servedDb.connection.run('CHECKPOINT');
    servedDb.close();
    context.onStage?.('lakehouse: asking every zone the dashboard queries');
    const expected = await expectedResultOf(plan);
    const zones = await askEveryZone({
      s3,
      bucket,
      stagingDir: join(workDir, 'raw'),
      lander: lander.stats,
      engine,
      pg: pg.client,
      warehousePid: context.warehousePid,
      servedFile,
      profile: context.profile,
      windowMs: context.windowMs,
      topN: options.topN,
      truth: expected.groundTruth.result(),
      runs: { warmups: 1, runs: options.queryRuns },
      clock,
    });
    const summary = summarizeLakehouse({ produced: stream.report.produced, expected, state, lander: lander.stats, zones, profile: context.profile });
    const cost = await lakehouseCost({ eventsPerDay: context.eventsPerDay, reads: context.reads, zones: summary.zones, steps: summary.steps });
    return cost ? { ...summary, cost } : summary;
  } finally {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
  }
}
