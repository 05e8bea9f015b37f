import type { Kafka } from 'kafkajs';
import { TierlabError } from '../errors.ts';
import { readTopicToEnd, type TopicRecord } from './read-topic.ts';
import { isBehind, resultEntries, throughHeader, type StoredWindow } from './results.ts';

export interface StoredWatermarks {
  /** The newest watermark any record carries, or undefined. */
  watermarkMicros: number | undefined;
  /** The newest each source partition's windows carry (by their position's partition). */
  partitionWatermarks: Map<number, number>;
}

export interface StoredState extends StoredWatermarks {
  /** The last record of every (key, window) still wanted, with its position. */
  windows: StoredWindow[];
  /** Records read to find them. */
  records: number;
}

/** True for a window a restarted worker need not take back, judged with the watermarks read so far (which only rise). */
export type SettledWindow = (window: StoredWindow, watermarks: StoredWatermarks) => boolean;

/** The windows read are swept of settled ones each time they double past this many. */
const firstSweepAt = 4_096;

/**
 * Folds a results topic's records, in order, into the last stored value and position of each
 * (key, window), and the newest watermarks. `settled` leaves out the windows that can no longer
 * change (see ResumableWindows.evict): a long run's topic holds every window it ever wrote, and
 * taking them all back would hold them all in memory again. They are left out as the read goes
 * (each record as it comes, and every window whenever the map has doubled), so a read holds at
 * most about twice the windows it keeps.
 */
export class StoredStateFold {
  readonly #latest = new Map<string, StoredWindow>();
  readonly #watermarks: StoredWatermarks = { watermarkMicros: undefined, partitionWatermarks: new Map() };
  readonly #topic: string;
  readonly #settled: SettledWindow | undefined;
  #sweepAt = firstSweepAt;
  /** The first record without a position; kept rather than thrown, as a reader's consumer would retry the batch rather than stop. */
  unresumable: TierlabError | undefined;

  constructor(topic: string, settled?: SettledWindow) {
    this.#topic = topic;
    this.#settled = settled;
  }

  /** Windows held so far. */
  get size(): number {
    return this.#latest.size;
  }

  add(record: TopicRecord): void {
    if (this.unresumable) return;
    for (const { id, aggregate, position, watermark } of resultEntries(record, this.#topic)) {
      if (!position) {
        this.unresumable = new TierlabError(
          'TIER_FAILED',
          `result ${id} at ${this.#topic}/${record.partition}@${record.offset} has no valid ${throughHeader} header: its window cannot be resumed`,
          { details: { topic: this.#topic, key: id, partition: record.partition, offset: record.offset } },
        );
        return;
      }
      const stored: StoredWindow = { aggregate, position };
      if (watermark !== undefined) this.#raise(position.partition, Number(watermark));
      if (this.#settled?.(stored, this.#watermarks)) this.#latest.delete(id);
      // Newest by position, as readResults: a late write of a worker that lost the partition does not win.
      else if (!isBehind(position, this.#latest.get(id)?.position)) this.#latest.set(id, stored);
    }
    if (this.#latest.size >= this.#sweepAt) {
      this.#sweep();
      this.#sweepAt = Math.max(this.#sweepAt, this.#latest.size * 2);
    }
  }

  /** What was read, swept once more with the final watermarks. */
  state(records: number): StoredState {
    if (this.unresumable) throw this.unresumable;
    this.#sweep();
    return { windows: [...this.#latest.values()], ...this.#watermarks, records };
  }

  #sweep(): void {
    const settled = this.#settled;
    if (settled) for (const [key, stored] of this.#latest) if (settled(stored, this.#watermarks)) this.#latest.delete(key);
  }

  #raise(partition: number, micros: number): void {
    if (!Number.isFinite(micros)) return;
    const watermarks = this.#watermarks;
    if (watermarks.watermarkMicros === undefined || micros > watermarks.watermarkMicros) watermarks.watermarkMicros = micros;
    if (micros > (watermarks.partitionWatermarks.get(partition) ?? Number.NEGATIVE_INFINITY)) watermarks.partitionWatermarks.set(partition, micros);
  }
}

/**
 * What a restarted worker takes over: every window's newest stored value and position, read from
 * the results topic to the end it had when the call began, less those `settled` leaves out. A
 * record without a position was written by a tier that cannot be resumed, and fails the read
 * rather than count twice.
 */
export async function readStoredState(kafka: Kafka, topic: string, settled?: SettledWindow): Promise<StoredState> {
  const fold = new StoredStateFold(topic, settled);
  const records = await readTopicToEnd(kafka, topic, (record) => fold.add(record));
  return fold.state(records);
}
