import { describe, expect, it } from 'vitest';
import { WindowAggregator, compareAggregates, type LabEvent, type WindowAggregate } from '../../../src/events/index.ts';
import type { TopicRecord } from '../../../src/kafka/read-topic.ts';
import { resultMessage, type StoredWindow } from '../../../src/kafka/results.ts';
import { StoredStateFold } from '../../../src/kafka/stored-state.ts';
import { PartitionWatermarks, closedThrough, windowEndOf } from '../../../src/tiers/lateness.ts';
import { settledWindow } from '../../../src/tiers/restore.ts';
import { ResumableWindows, type HeldWindow } from '../../../src/tiers/resumable-windows.ts';

const second = 1_000_000;
const windowMs = 60_000;
const allowedLatenessMs = 60_000;
const rules = [{ name: 'big', field: 'amountCents', op: 'gte' as const, value: 900 }];
const partitions = 4;
const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
const partitionOf = (key: string) => Number(key.slice(1)) % partitions;

/** Three hours of event time, an event every 100 ms, laid out on partitions as a keyed producer would: 180 windows a key. */
function longStream(random: () => number): LabEvent[][] {
  const log: LabEvent[][] = Array.from({ length: partitions }, () => []);
  for (let seq = 0; seq < 3 * 3600 * 10; seq++) {
    const key = keys[Math.floor(random() * keys.length)]!;
    log[partitionOf(key)]!.push({ seq, key, eventTimeMicros: seq * 100_000, amountCents: Math.floor(random() * 1000), attrs: {} });
  }
  return log;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * A streaming worker's rule, as pipelines/streaming/streaming-tier.ts applies it to each batch:
 * skip what a window already holds, dead-letter what is late against the partition's watermark,
 * apply the rest, write the windows touched, then forget the windows closed.
 */
class Worker {
  readonly windows = new ResumableWindows(windowMs, rules);
  readonly watermarks = new PartitionWatermarks();
  late = 0;
  peak = 0;

  batch(partition: number, events: LabEvent[], from: number): TopicRecord[] {
    const updated = new Set<HeldWindow>();
    events.forEach((event, i) => {
      const held = this.windows.find(event);
      if (this.windows.holds(held, partition, from + i)) return;
      if (windowEndOf(event.eventTimeMicros, windowMs) <= closedThrough(this.watermarks.of(partition), allowedLatenessMs)) {
        this.late++;
        return;
      }
      updated.add(this.windows.apply(held, event, partition, from + i));
      this.watermarks.advance(partition, event.eventTimeMicros);
    });
    const watermark = String(this.watermarks.of(partition));
    const written = [...updated].map((held) => record(resultMessage(held.window, held, watermark)));
    this.peak = Math.max(this.peak, this.windows.size);
    this.windows.evict(partition, closedThrough(this.watermarks.of(partition), allowedLatenessMs), from + events.length);
    return written;
  }
}

const record = (message: ReturnType<typeof resultMessage>): TopicRecord => ({
  partition: 0,
  offset: '0',
  key: Buffer.from(message.key),
  value: Buffer.from(message.value),
  headers: message.headers ?? {},
});

/** The last value of each window in a changelog: what a reader of the results topic ends with. */
function lastValues(changelog: TopicRecord[]): WindowAggregate[] {
  const latest = new Map<string, WindowAggregate>();
  for (const r of changelog) latest.set(r.key!.toString(), JSON.parse(r.value!.toString()) as WindowAggregate);
  return [...latest.values()];
}

/** Feeds each partition's log from `offsets` (moved as it goes): partitions in turn, each a batch of 1 to 40 records, so they run a little ahead of one another. */
function feedInTurns(log: LabEvent[][], offsets: number[], random: () => number, handle: (partition: number, events: LabEvent[], from: number) => void): void {
  while (offsets.some((offset, p) => offset < log[p]!.length)) {
    for (let p = 0; p < log.length; p++) {
      const from = offsets[p]!;
      const to = Math.min(log[p]!.length, from + 1 + Math.floor(random() * 40));
      if (from < to) handle(p, log[p]!.slice(from, to), from);
      offsets[p] = to;
    }
  }
}

function truthOf(log: LabEvent[][]): WindowAggregator {
  const truth = new WindowAggregator(windowMs, rules);
  for (const events of log) for (const event of events) truth.add(event);
  return truth;
}

describe('windows past the allowed lateness are forgotten', () => {
  it('holds a bounded number of windows over a long stream, and its results still equal the ground truth', () => {
    const random = seeded(3);
    const log = longStream(random);
    const truth = truthOf(log);
    const worker = new Worker();
    const changelog: TopicRecord[] = [];
    feedInTurns(log, log.map(() => 0), random, (p, events, from) => changelog.push(...worker.batch(p, events, from)));
    expect(compareAggregates(truth.result(), lastValues(changelog)).mismatches).toEqual([]);
    expect(worker.late).toBe(0);
    // 9,000 windows in all; at any time a key has its current window, the one before (within the
    // lateness), and for a moment a new one: at most three a key.
    expect(truth.size).toBeGreaterThan(8_000);
    expect(worker.peak).toBeLessThanOrEqual(3 * keys.length);
    expect(worker.windows.size + worker.windows.evicted).toBe(truth.size);
  });

  it('after a crash at any point, a restore that leaves out settled windows and a replay from the committed offsets still give the ground truth', () => {
    const random = seeded(11);
    const log = longStream(random);
    const truth = truthOf(log);
    let skipped = 0;
    for (let trial = 0; trial < 5; trial++) {
      // The dead worker: batches of each partition up to a crash point, a write the crash partly
      // lost, and commits that lag the writes.
      const dead = new Worker();
      const changelog: TopicRecord[] = [];
      const committed = new Map<number, number>();
      const crashAt = log.map((events) => Math.floor(events.length * (0.2 + 0.7 * random())));
      const offsets = log.map(() => 0);
      while (offsets.some((offset, p) => offset < crashAt[p]!)) {
        for (let p = 0; p < partitions; p++) {
          const from = offsets[p]!;
          const to = Math.min(crashAt[p]!, from + 1 + Math.floor(random() * 40));
          if (from >= to) continue;
          const written = dead.batch(p, log[p]!.slice(from, to), from);
          const lastWrite = to === crashAt[p];
          changelog.push(...written.filter(() => !lastWrite || random() < 0.5));
          // Rarely: a commit lagging minutes behind leaves closed windows a replay still reaches.
          if (!lastWrite && random() < 0.03) committed.set(p, to);
          offsets[p] = to;
        }
      }
      expect(dead.windows.evicted).toBeGreaterThan(0);

      // The results topic as a reader meets it: its partitions one after another, each in order.
      const byResultPartition: TopicRecord[][] = [[], [], []];
      for (const r of changelog) byResultPartition[r.key!.toString().length % 3]!.push(r);
      const fold = new StoredStateFold('results', settledWindow(windowMs, { groupId: 'g', allowedLatenessMs, watermark: 'partition' }, committed));
      let foldPeak = 0;
      for (const r of byResultPartition.flat()) {
        fold.add(r);
        foldPeak = Math.max(foldPeak, fold.size);
      }
      const state = fold.state(changelog.length);
      // Settled windows were left out as the read went, not only at its end.
      expect(foldPeak).toBeLessThan(lastValues(changelog).length);
      expect(state.windows.length).toBeLessThan(foldPeak);

      // The new worker: restore, then replay each partition from its committed offset.
      const next = new Worker();
      for (const stored of state.windows) next.windows.restore(stored);
      for (const [p, micros] of state.partitionWatermarks) next.watermarks.advance(p, micros);
      const resumed = log.map((_, p) => committed.get(p) ?? 0);
      feedInTurns(log, resumed, random, (p, events, from) => changelog.push(...next.batch(p, events, from)));
      expect(compareAggregates(truth.result(), lastValues(changelog)).mismatches.slice(0, 3)).toEqual([]);
      expect(next.late).toBe(0);
      expect(next.peak).toBeLessThanOrEqual(3 * keys.length + state.windows.length);
      skipped += next.windows.duplicatesSkipped;
    }
    expect(skipped).toBeGreaterThan(0);
  });
});

describe('StoredStateFold', () => {
  it('holds about the windows it keeps while it reads, sweeping those the rising watermark settles', () => {
    const fold = new StoredStateFold('results', settledWindow(windowMs, { groupId: 'g', allowedLatenessMs, watermark: 'tier' }, new Map([[0, 1e9]])));
    let peak = 0;
    // 20,000 windows, one record each, in event-time order: each arrives open and is closed two windows later.
    for (let i = 0; i < 20_000; i++) {
      const aggregate = { key: `k${i % 50}`, windowStartMicros: Math.floor(i / 50) * windowMs * 1000, count: 1, sumCents: 1, flags: {} };
      fold.add(record(resultMessage(aggregate, { partition: 0, next: i + 1 }, String(aggregate.windowStartMicros))));
      peak = Math.max(peak, fold.size);
    }
    const state = fold.state(20_000);
    expect(state.windows.length).toBe(100); // the last two windows of each key: the one before them closed at 399 min less a minute
    expect(state.watermarkMicros).toBe(399 * windowMs * 1000);
    expect(peak).toBeLessThanOrEqual(4_096);
  });

  it('refuses a record without a position, naming where it is', () => {
    const fold = new StoredStateFold('results');
    fold.add({ partition: 3, offset: '17', key: Buffer.from('a|0'), value: Buffer.from('{}'), headers: {} });
    expect(() => fold.state(1)).toThrow(/result a\|0 at results\/3@17 has no valid tierlab-through header/);
  });
});

describe('ResumableWindows.evict', () => {
  const event = (key: string, micros: number): LabEvent => ({ seq: 0, key, eventTimeMicros: micros, amountCents: 1, attrs: {} });

  it('forgets only closed windows of the partition whose events all lie before the offset still readable', () => {
    const windows = new ResumableWindows(windowMs, rules);
    windows.add(event('a', 10 * second), 0, 5); // window [0, 60 s), position 6
    windows.add(event('b', 20 * second), 0, 9); // window [0, 60 s), position 10
    windows.add(event('a', 70 * second), 0, 11); // window [60, 120 s)
    windows.add(event('c', 30 * second), 1, 3); // another partition
    expect(windows.evict(0, 59 * second, 100)).toBe(0); // nothing has closed
    expect(windows.evict(0, 60 * second, 8)).toBe(1); // a's first window; b's may still be read again at offset 8 or 9
    expect(windows.find(event('a', 10 * second))).toBeUndefined();
    expect(windows.find(event('b', 20 * second))).toBeDefined();
    expect(windows.evict(0, 60 * second, 10)).toBe(1);
    expect(windows.size).toBe(2);
    expect(windows.partitions().sort()).toEqual([0, 1]);
    expect(windows.evict(1, 1_000 * second, 4)).toBe(1);
    expect(windows.partitions()).toEqual([0]);
    expect(windows.evicted).toBe(3);
  });

  it('keeps one entry per window when a restore replaces it', () => {
    const windows = new ResumableWindows(windowMs, rules);
    const stored = (count: number, next: number): StoredWindow => ({
      aggregate: { key: 'a', windowStartMicros: 0, count, sumCents: count, flags: { big: 0 } },
      position: { partition: 2, next },
    });
    windows.restore(stored(1, 4));
    windows.restore(stored(2, 7));
    expect(windows.size).toBe(1);
    expect(windows.evict(2, 60 * second, 6)).toBe(0);
    expect(windows.evict(2, 60 * second, 7)).toBe(1);
    expect(windows.size).toBe(0);
    expect(windows.partitions()).toEqual([]);
  });
});

describe('settledWindow: what a restart need not take back', () => {
  const stored = (windowStartMicros: number, partition: number, next: number): StoredWindow => ({
    aggregate: { key: 'a', windowStartMicros, count: 1, sumCents: 1, flags: {} },
    position: { partition, next },
  });
  const watermarks = { watermarkMicros: 200 * second, partitionWatermarks: new Map([[0, 200 * second], [1, 100 * second]]) };
  const committed = new Map([[0, 50], [1, 50]]);

  it('is a window closed at its watermark and applied only through committed offsets', () => {
    const byPartition = settledWindow(windowMs, { groupId: 'g', allowedLatenessMs, watermark: 'partition' }, committed);
    expect(byPartition(stored(60 * second, 0, 50), watermarks)).toBe(true); // ends at 120 s, closed through 140 s
    expect(byPartition(stored(60 * second, 0, 51), watermarks)).toBe(false); // a replay from 50 may reach it
    expect(byPartition(stored(120 * second, 0, 10), watermarks)).toBe(false); // ends at 180 s: still open
    expect(byPartition(stored(0, 1, 10), watermarks)).toBe(false); // partition 1 is closed only through 40 s
    expect(byPartition(stored(0, 2, 0), watermarks)).toBe(false); // no watermark, nothing committed
    // Micro-batch's one watermark closes every partition's windows alike.
    const byTier = settledWindow(windowMs, { groupId: 'g', allowedLatenessMs, watermark: 'tier' }, committed);
    expect(byTier(stored(0, 1, 10), watermarks)).toBe(true);
    expect(byTier(stored(0, 1, 10), { watermarkMicros: undefined, partitionWatermarks: new Map() })).toBe(false);
  });
});
