import { hourPartition, rawObjectKey } from '../../../src/lake/raw-zone.ts';

/*
 * Where the lake sink (src/lake/sink.ts) would have put a run's events: the raw zone's objects,
 * one per Kafka partition, flush and event-time hour, named by their offset range. The batch
 * floor writes the same objects to S3 so the job reads what it reads in a live run — how many
 * objects there are is a large part of what the job costs over one local file. Pure, so the
 * layout is tested without a broker.
 */

/** One generated record in send order. Malformed ones (no row) take an offset but are never written. */
export interface LayoutRecord<Row> {
  key: string;
  eventTimeMicros: number;
  row?: Row;
}

export interface LayoutOptions {
  topic: string;
  partitions: number;
  /** The producer's partitioner: the generator keys by entity with Kafka's default (murmur2). */
  partitionOfKey: (key: string, partitions: number) => number;
  /** The sink's flush triggers (LakeSinkOptions): this many records buffered… */
  flushRecords: number;
  /** …or the oldest buffered this long ago. Event time stands in for arrival time (no lag). */
  flushMs: number;
}

export interface PlannedObject<Row> {
  key: string;
  rows: Row[];
}

interface Buffer<Row> {
  firstOffset: bigint;
  lastOffset: bigint;
  rows: Array<{ eventTimeMicros: number; row: Row }>;
}

/**
 * The raw objects the sink would write for these records, in write order. A flush takes every
 * partition's buffer at once; within a buffer, rows are split by the hour of their event time.
 */
export function planRawObjects<Row>(records: Iterable<LayoutRecord<Row>>, options: LayoutOptions): PlannedObject<Row>[] {
  const objects: PlannedObject<Row>[] = [];
  const nextOffset = new Map<number, bigint>();
  let buffers = new Map<number, Buffer<Row>>();
  let buffered = 0;
  let oldestMicros = 0;
  const flushMicros = options.flushMs * 1000;

  const flush = (): void => {
    for (const [partition, buffer] of buffers) {
      const byHour = new Map<string, PlannedObject<Row>>();
      for (const { eventTimeMicros, row } of buffer.rows) {
        const { dt, hour } = hourPartition(eventTimeMicros);
        const id = `${dt}/${hour}`;
        let object = byHour.get(id);
        if (!object) {
          const key = rawObjectKey({ dt, hour, topic: options.topic, partition, firstOffset: buffer.firstOffset, lastOffset: buffer.lastOffset });
          object = { key, rows: [] };
          byHour.set(id, object);
        }
        object.rows.push(row);
      }
      objects.push(...byHour.values());
    }
    buffers = new Map();
    buffered = 0;
  };

  for (const record of records) {
    if (buffered > 0 && record.eventTimeMicros - oldestMicros >= flushMicros) flush();
    const partition = options.partitionOfKey(record.key, options.partitions);
    const offset = nextOffset.get(partition) ?? 0n;
    nextOffset.set(partition, offset + 1n);
    let buffer = buffers.get(partition);
    if (!buffer) {
      buffer = { firstOffset: offset, lastOffset: offset, rows: [] };
      buffers.set(partition, buffer);
    }
    buffer.lastOffset = offset;
    if (record.row !== undefined) buffer.rows.push({ eventTimeMicros: record.eventTimeMicros, row: record.row });
    if (buffered === 0) oldestMicros = record.eventTimeMicros;
    buffered++;
    if (buffered >= options.flushRecords) flush();
  }
  if (buffered > 0) flush();
  return objects;
}
