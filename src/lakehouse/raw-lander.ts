import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Histogram } from 'hdr-histogram-js';
import type { Clock } from '../events/index.ts';
import type { KafkaDriver, RunningConsumer } from '../kafka/driver/index.ts';
import type { Logger } from '../log.ts';
import { newLatencyHistogram, recordMicros } from '../metrics/histogram.ts';
import { describeError } from '../errors.ts';
import { retryRetriable, retryThroughOutage } from '../retry.ts';
import type { LakeSinkOptions } from '../lake/sink-options.ts';
import { partitionBuffers } from '../lake/partition-buffers.ts';
import { lakehouseRawKey, lineEventTimeMicros } from './raw-zone.ts';

export interface RawLanderContext {
  kafka: KafkaDriver;
  s3: S3Client;
  bucket: string;
  topic: string;
  groupId: string;
  clock: Clock;
  logger: Logger;
  /** The consumer gave up or a PUT failed for good: the lakehouse run has failed. */
  onFatal: (error: unknown) => void;
}

export interface LandedObject {
  key: string;
  lines: number;
  bytes: number;
  landedMicros: number;
  /** The PUT's time, retries included: the land step's work for this object. */
  putMicros: number;
}

export interface RawLanderStats {
  objects: LandedObject[];
  lines: number;
  bytes: number;
  /** Event time to landed, for the lines that carry a readable event time. */
  freshness: Histogram;
}

interface PartitionBuffer {
  lines: string[];
  firstOffset: bigint;
  lastOffset: bigint;
}

/**
 * Lands the stream in the raw zone as a delivery stream does (Firehose, the Kafka Connect S3
 * sink): record values as they are, one line each, one object per partition and flush, the
 * offsets committed after the PUT. Nothing is parsed or refused here: that is the raw zone's
 * promise, and the curated step's job.
 */
export function createRawLander(context: RawLanderContext, options: LakeSinkOptions) {
  const stats: RawLanderStats = { objects: [], lines: 0, bytes: 0, freshness: newLatencyHistogram() };
  let consumer: RunningConsumer | undefined;

  async function land(partition: number, buffer: PartitionBuffer): Promise<void> {
    const key = lakehouseRawKey({ topic: context.topic, partition, firstOffset: buffer.firstOffset, lastOffset: buffer.lastOffset });
    const body = `${buffer.lines.join('\n')}\n`;
    const putStarted = context.clock.nowMicros();
    await retryThroughOutage(() => context.s3.send(new PutObjectCommand({ Bucket: context.bucket, Key: key, Body: body })), {
      onRetry: (error, attempt) => context.logger.warn({ err: describeError(error), key, attempt }, 'raw NDJSON PUT failed; retrying'),
    });
    const landedMicros = context.clock.nowMicros();
    for (const line of buffer.lines) {
      const eventTime = lineEventTimeMicros(line);
      if (eventTime !== undefined) recordMicros(stats.freshness, landedMicros - eventTime);
    }
    const bytes = Buffer.byteLength(body);
    stats.objects.push({ key, lines: buffer.lines.length, bytes, landedMicros, putMicros: landedMicros - putStarted });
    stats.lines += buffer.lines.length;
    stats.bytes += bytes;
    await retryRetriable(() => consumer!.commit([{ partition, offset: buffer.lastOffset + 1n }]));
  }

  const buffers = partitionBuffers<PartitionBuffer>(
    options,
    context.clock,
    async (taken) => {
      for (const [partition, buffer] of taken) await land(partition, buffer);
    },
    context.onFatal,
  );

  return {
    stats,
    async start(): Promise<void> {
      consumer = await context.kafka.consume({
        groupId: context.groupId,
        topic: context.topic,
        maxWaitMs: 100,
        autoCommit: false,
        onBatch: async (batch) => {
          const buffer = buffers.of(batch.partition, () => ({ lines: [], firstOffset: BigInt(batch.records[0]!.offset), lastOffset: 0n }));
          // A line per record: a value with a newline in it would split, so it is escaped as JSON text would be.
          for (const record of batch.records) buffer.lines.push((record.value ?? Buffer.alloc(0)).toString('utf8').replaceAll('\n', '\\n'));
          buffer.lastOffset = batch.nextOffset - 1n;
          await buffers.added(batch.records.length);
        },
        onFatal: context.onFatal,
      });
      buffers.startTimer();
    },
    /** Lands what is buffered, then stops consuming. */
    async stop(): Promise<void> {
      await buffers.stopTimer();
      await consumer?.stop();
      await buffers.flush();
      await consumer?.close();
    },
    flush: buffers.flush,
  };
}

