/**
 * The raw zone's object keys. Partitioned by the event-time day and hour (dt=, hour=), and
 * named by the Kafka offsets they hold, so that writing the same records again, after a
 * crash or a retry, writes the same keys instead of duplicating data — the scheme of the
 * Kafka Connect S3 sink.
 */
export interface RawObjectName {
  dt: string;
  hour: string;
  topic: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

export const rawPrefix = 'raw/';
export const curatedPrefix = 'curated/';

export function hourPartition(eventTimeMicros: number): { dt: string; hour: string } {
  const iso = new Date(Math.floor(eventTimeMicros / 1000)).toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

export function rawObjectKey(name: RawObjectName): string {
  const first = name.firstOffset.toString().padStart(20, '0');
  const last = name.lastOffset.toString().padStart(20, '0');
  return `${rawPrefix}dt=${name.dt}/hour=${name.hour}/${name.topic}+${name.partition}+${first}+${last}.parquet`;
}

const rawKeyPattern = /^raw\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/(.+)\+(\d+)\+(\d{20})\+(\d{20})\.parquet$/;

export function parseRawObjectKey(key: string): RawObjectName | undefined {
  const match = rawKeyPattern.exec(key);
  if (!match) return undefined;
  const [, dt, hour, topic, partition, first, last] = match as unknown as string[];
  return {
    dt: dt!,
    hour: hour!,
    topic: topic!,
    partition: Number(partition),
    firstOffset: BigInt(first!),
    lastOffset: BigInt(last!),
  };
}

/** The partition folder a raw object belongs to, e.g. "dt=2026-11-24/hour=13". */
export function partitionOf(name: Pick<RawObjectName, 'dt' | 'hour'>): string {
  return `dt=${name.dt}/hour=${name.hour}`;
}

export function curatedObjectKey(partition: string): string {
  return `${curatedPrefix}${partition}/aggregates.parquet`;
}
