import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from './list-objects.ts';
import { flattenEvent } from '../events/index.ts';
import type { Logger } from '../log.ts';
import { retryRetriable } from '../retry.ts';
import { describeError } from '../errors.ts';
import { retryThroughOutage } from '../retry.ts';
import { sendDeadLetters, type DeadLetter } from '../kafka/dead-letter.ts';
import type { KafkaDriver, RecordProducer, RunningConsumer } from '../kafka/driver/index.ts';
import { reasonKey, takeIn, type TakenEvent } from '../tiers/intake.ts';
import { consumerFailures, type TierStatus } from '../tiers/status.ts';
import type { Clock } from '../events/index.ts';
import type { TierName } from '../tiers/types.ts';
import type { Warehouse } from '../warehouse/duckdb.ts';
import { rowsToParquet, type FlatRow } from './parquet.ts';
import { partitionBuffers } from './partition-buffers.ts';
import { hourPartition, parseRawObjectKey, rawObjectKey, rawPrefix } from './raw-zone.ts';

import { defaultLakeSinkOptions, type LakeSinkOptions } from './sink-options.ts';

export { defaultLakeSinkOptions, type LakeSinkOptions };

export interface LakeSinkContext {
  /** The tier the sink lands events for: its dead letters are labelled with it. */
  tier: TierName;
  kafka: KafkaDriver;
  s3: S3Client;
  bucket: string;
  topics: { events: string; deadLetter: string };
  groupId: string;
  warehouse: Warehouse;
  clock: Clock;
  logger: Logger;
  status: TierStatus;
}

export interface LakeStats {
  /** When each raw object's PUT was acknowledged, by key: the batch job's events landed then. */
  landedMicros: Map<string, number>;
  objectsWritten: number;
  bytesWritten: number;
  putRequests: number;
  flushes: number;
}

interface PartitionBuffer {
  events: TakenEvent[];
  letters: DeadLetter[];
  firstOffset: bigint;
  lastOffset: bigint;
}

/** The raw columns: the event flattened, plus when it was sent and when the sink read it. */
export function rawRow(taken: TakenEvent): FlatRow {
  return { ...flattenEvent(taken.event), sentMicros: taken.sentMicros, readMicros: taken.readMicros };
}

/**
 * Lands raw events from Kafka in the S3 raw zone as Parquet, one object per partition, hour and
 * offset range, then commits the offsets. On start it resumes after the highest offset already
 * in the lake, so records written before a crash are not written again under another name.
 */
export function createLakeSink(context: LakeSinkContext, options: LakeSinkOptions = defaultLakeSinkOptions) {
  const stats: LakeStats = { landedMicros: new Map(), objectsWritten: 0, bytesWritten: 0, putRequests: 0, flushes: 0 };
  let consumer: RunningConsumer | undefined;
  let producer: RecordProducer | undefined;

  async function flushPartition(partition: number, buffer: PartitionBuffer): Promise<void> {
    const byHour = new Map<string, { dt: string; hour: string; rows: FlatRow[] }>();
    for (const taken of buffer.events) {
      const { dt, hour } = hourPartition(taken.event.eventTimeMicros);
      const group = byHour.get(`${dt}/${hour}`) ?? byHour.set(`${dt}/${hour}`, { dt, hour, rows: [] }).get(`${dt}/${hour}`)!;
      group.rows.push(rawRow(taken));
    }
    for (const group of byHour.values()) {
      const body = await rowsToParquet(context.warehouse.connection, group.rows);
      const key = rawObjectKey({
        dt: group.dt,
        hour: group.hour,
        topic: context.topics.events,
        partition,
        firstOffset: buffer.firstOffset,
        lastOffset: buffer.lastOffset,
      });
      // Through an S3 outage (issue 11): the key is named by the offsets it holds, so a retried PUT writes the same object.
      await retryThroughOutage(() => context.s3.send(new PutObjectCommand({ Bucket: context.bucket, Key: key, Body: body })), {
        onRetry: (error, attempt) => context.logger.warn({ err: describeError(error), key, attempt }, 'raw object PUT failed; retrying'),
      });
      stats.landedMicros.set(key, context.clock.nowMicros());
      stats.objectsWritten++;
      stats.putRequests++;
      stats.bytesWritten += body.length;
      context.status.usage.s3Requests.put++;
      context.status.usage.s3BytesWritten += body.length;
    }
    context.status.wroteToKafka(buffer.letters);
    await sendDeadLetters(producer!, context.topics.deadLetter, context.tier, buffer.letters);
    await retryRetriable(() => consumer!.commit([{ partition, offset: buffer.lastOffset + 1n }]));
    context.status.count(buffer.events.length, buffer.letters.map((letter) => reasonKey(letter.reason)));
  }

  const buffers = partitionBuffers<PartitionBuffer>(
    options,
    context.clock,
    async (taken) => {
      stats.flushes++;
      for (const [partition, buffer] of taken) await flushPartition(partition, buffer);
    },
    (error) => context.status.fail(error),
  );

  /** Where each partition's records already in the lake end, from the object names alone. */
  async function landedOffsets(): Promise<Map<number, bigint>> {
    const next = new Map<number, bigint>();
    const { objects, requests } = await listObjects(context.s3, context.bucket, rawPrefix);
    context.status.usage.s3Requests.list += requests;
    for (const object of objects) {
      const name = parseRawObjectKey(object.key);
      if (!name || name.topic !== context.topics.events) continue;
      if (name.lastOffset + 1n > (next.get(name.partition) ?? 0n)) next.set(name.partition, name.lastOffset + 1n);
    }
    return next;
  }

  return {
    stats,
    async start(): Promise<void> {
      producer = await context.kafka.producer();
      // Records already in the lake (landed before a crash, not yet committed) are skipped, not landed twice.
      const resumeAt = await landedOffsets();
      consumer = await context.kafka.consume({
        groupId: context.groupId,
        topic: context.topics.events,
        maxWaitMs: 100,
        autoCommit: false,
        onBatch: async (batch) => {
          const from = resumeAt.get(batch.partition);
          const records = from === undefined ? batch.records : batch.records.filter((record) => BigInt(record.offset) >= from);
          if (records.length === 0) return;
          const readMicros = context.clock.nowMicros();
          const intake = takeIn(batch.partition, records, readMicros, readMicros);
          const buffer = buffers.of(batch.partition, () => ({ events: [], letters: [], firstOffset: BigInt(records[0]!.offset), lastOffset: 0n }));
          buffer.events.push(...intake.accepted);
          buffer.letters.push(...intake.rejected);
          buffer.lastOffset = batch.nextOffset - 1n;
          await buffers.added(records.length);
        },
        ...consumerFailures(context.status, context.logger),
      });
      buffers.startTimer();
    },
    /** Flushes what is buffered, then stops consuming. */
    async stop(): Promise<void> {
      await buffers.stopTimer();
      await consumer?.stop();
      await buffers.flush().catch(() => undefined);
      await consumer?.close();
      await producer?.close();
    },
    flush: buffers.flush,
    landedOffsets,
  };
}

export type LakeSink = ReturnType<typeof createLakeSink>;
