import { describe, expect, it } from 'vitest';
import { WindowAggregator, compareAggregates, type LabEvent } from '../../../src/events/index.ts';
import { parsePosition, resultMessage, throughHeader, watermarkHeader, type StoredWindow } from '../../../src/kafka/results.ts';
import { ResumableWindows, type HeldWindow } from '../../../src/tiers/resumable-windows.ts';
import { TierStatus } from '../../../src/tiers/status.ts';

const minute = 60_000_000;
const rules = [{ name: 'big', field: 'amountCents', op: 'gte' as const, value: 500 }];
const event = (seq: number, key: string, micros: number, amountCents = 100): LabEvent => ({ seq, key, eventTimeMicros: micros, amountCents, attrs: {} });

const position = (held: { partition: number; next: number } | undefined) => held && { partition: held.partition, next: held.next };

describe('ResumableWindows: apply unless already applied', () => {
  it('applies events and moves each window past their offsets', () => {
    const windows = new ResumableWindows(60_000, rules);
    const w = windows.add(event(0, 'a', 10 * minute, 100), 2, 40)!;
    expect(windows.add(event(1, 'a', 10 * minute + 1, 600), 2, 41)).toBe(w);
    expect(w.window).toMatchObject({ count: 2, sumCents: 700, flags: { big: 1 } });
    expect(position(w)).toEqual({ partition: 2, next: 42 });
    // Another window of the same partition keeps its own position.
    const other = windows.add(event(2, 'a', 11 * minute, 5), 2, 43)!;
    expect(position(other)).toEqual({ partition: 2, next: 44 });
    expect(position(w)).toEqual({ partition: 2, next: 42 });
    expect(windows.duplicatesSkipped).toBe(0);
    expect(windows.aggregator.events).toBe(3);
  });

  it('skips an event at an offset below its window position, and applies one at or above it', () => {
    const windows = new ResumableWindows(60_000, rules);
    const restored = windows.restore({ aggregate: { key: 'a', windowStartMicros: 10 * minute, count: 3, sumCents: 300, flags: { big: 0 } }, position: { partition: 1, next: 100 } });
    expect(windows.aggregator.events).toBe(0);
    expect(windows.restored).toBe(1);
    expect(windows.add(event(7, 'a', 10 * minute + 5), 1, 98)).toBeUndefined();
    expect(windows.add(event(8, 'a', 10 * minute + 6), 1, 99)).toBeUndefined();
    expect(windows.duplicatesSkipped).toBe(2);
    expect(restored.window).toMatchObject({ count: 3, sumCents: 300 });
    const applied = windows.add(event(9, 'a', 10 * minute + 7, 900), 1, 100);
    expect(applied).toBe(restored);
    expect(applied!.window).toMatchObject({ count: 4, sumCents: 1200, flags: { big: 1 } });
    expect(position(applied)).toEqual({ partition: 1, next: 101 });
    // Re-reading the same offset again is a duplicate now.
    expect(windows.add(event(9, 'a', 10 * minute + 7, 900), 1, 100)).toBeUndefined();
    expect(windows.duplicatesSkipped).toBe(3);
    // A window not restored starts empty, whatever the offset.
    expect(windows.add(event(10, 'b', 10 * minute), 1, 5)!.window).toMatchObject({ key: 'b', count: 1 });
    expect(windows.result()).toHaveLength(2);
  });

  it('find, holds and apply are add in steps, so a rule can sit between them (micro-batch lateness)', () => {
    const windows = new ResumableWindows(60_000, rules);
    windows.restore({ aggregate: { key: 'a', windowStartMicros: 0, count: 1, sumCents: 1, flags: { big: 0 } }, position: { partition: 0, next: 10 } });
    const a = windows.find(event(0, 'a', 5));
    expect(a).toBeDefined();
    expect(windows.holds(a, 0, 9)).toBe(true);
    expect(windows.holds(a, 0, 10)).toBe(false);
    expect(windows.apply(a, event(0, 'a', 5, 2), 0, 10)).toBe(a);
    expect(a!.window).toMatchObject({ count: 2, sumCents: 3 });
    const none = windows.find(event(1, 'z', 5));
    expect(none).toBeUndefined();
    expect(windows.holds(none, 0, 0)).toBe(false);
    const created = windows.apply(none, event(1, 'z', 5), 3, 7);
    expect(position(created)).toEqual({ partition: 3, next: 8 });
    expect(windows.find(event(2, 'z', 6))).toBe(created);
  });

  it('fails loudly when one window is fed from two partitions', () => {
    const windows = new ResumableWindows(60_000, rules);
    windows.add(event(0, 'a', 0), 0, 0);
    expect(() => windows.add(event(1, 'a', 1), 1, 0)).toThrow(/partitions 0 and 1/);
  });

  it('after a crash at any point, restoring what was written and replaying from the committed offsets gives the ground truth', () => {
    // Four partitions, keys spread over them as a partitioner would (one key, one partition).
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const partitionOf = (key: string) => Number(key.slice(1)) % 4;
    const log: LabEvent[][] = [[], [], [], []];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let seq = 0; seq < 4000; seq++) {
      const key = keys[Math.floor(random() * keys.length)]!;
      log[partitionOf(key)]!.push(event(seq, key, Math.floor(seq / 40) * 1_000_000, Math.floor(random() * 1000)));
    }
    const truth = new WindowAggregator(60_000, rules);
    for (const partition of log) for (const e of partition) truth.add(e);

    let skipped = 0;
    for (let trial = 0; trial < 25; trial++) {
      // The dead worker: applies batches of each partition, writes every updated window (some
      // writes lost at the crash), and commits only some of what it wrote.
      const dead = new ResumableWindows(60_000, rules);
      const changelog = new Map<string, StoredWindow>();
      const committed = [0, 0, 0, 0];
      log.forEach((events, partition) => {
        const crashAt = Math.floor(random() * events.length);
        let offset = 0;
        while (offset < crashAt) {
          const end = Math.min(crashAt, offset + 1 + Math.floor(random() * 30));
          const updated = new Set<HeldWindow>();
          for (; offset < end; offset++) updated.add(dead.add(events[offset]!, partition, offset)!);
          const lastWrite = end === crashAt;
          for (const held of updated) {
            if (lastWrite && random() < 0.5) continue; // the crash lost this part of the write
            const message = resultMessage(held.window, held);
            changelog.set(message.key, { aggregate: JSON.parse(message.value), position: parsePosition(message.headers![throughHeader])! });
          }
          // Results are written before offsets are committed: the commit lags, sometimes by several batches.
          if (!lastWrite && random() < 0.4) committed[partition] = end;
        }
      });
      // The new worker: restore, then replay each partition from its committed offset.
      const next = new ResumableWindows(60_000, rules);
      for (const stored of changelog.values()) next.restore(stored);
      const written = new Map([...changelog].map(([key, stored]) => [key, stored.aggregate]));
      log.forEach((events, partition) => {
        for (let offset = committed[partition]!; offset < events.length; offset++) {
          const held = next.add(events[offset]!, partition, offset);
          if (held) written.set(`${held.window.key}|${held.window.windowStartMicros}`, { ...held.window, flags: { ...held.window.flags } });
        }
      });
      // What the results topic ends with, and what the worker holds, both equal the ground truth.
      expect(compareAggregates(truth.result(), [...written.values()]).mismatches).toEqual([]);
      expect(compareAggregates(truth.result(), next.result()).mismatches).toEqual([]);
      expect(next.aggregator.events + next.duplicatesSkipped).toBe(log.reduce((n, events, p) => n + events.length - committed[p]!, 0));
      skipped += next.duplicatesSkipped;
    }
    expect(skipped).toBeGreaterThan(0);
  });

  it('without the positions, the same replay counts events twice: the skip is what makes it right', () => {
    const events = Array.from({ length: 10 }, (_, i) => event(i, 'a', i));
    const dead = new ResumableWindows(60_000, rules);
    let held: HeldWindow | undefined;
    for (let offset = 0; offset < 6; offset++) held = dead.add(events[offset]!, 0, offset);
    const stored = { aggregate: { ...held!.window, flags: { ...held!.window.flags } }, position: { partition: held!.partition, next: held!.next } };
    const committed = 3;
    const resumed = new ResumableWindows(60_000, rules);
    resumed.restore(stored);
    const naive = new WindowAggregator(60_000, rules);
    naive.restore(stored.aggregate);
    for (let offset = committed; offset < events.length; offset++) {
      resumed.add(events[offset]!, 0, offset);
      naive.add(events[offset]!);
    }
    expect(resumed.result()[0]!.count).toBe(10);
    expect(resumed.duplicatesSkipped).toBe(3);
    expect(naive.result()[0]!.count).toBe(13);
  });
});

describe('result records carry the position', () => {
  it('in a header, leaving the value the aggregate alone', () => {
    const aggregate = { key: 'a', windowStartMicros: 60_000_000, count: 2, sumCents: 3, flags: { big: 0 } };
    expect(resultMessage(aggregate)).toEqual({ key: 'a|60000000', value: JSON.stringify(aggregate) });
    const message = resultMessage(aggregate, { partition: 4, next: 1234567 });
    expect(JSON.parse(message.value)).toEqual(aggregate);
    expect(message.headers).toEqual({ [throughHeader]: '4:1234567' });
    expect(resultMessage(aggregate, { partition: 0, next: 1 }, '1700000000000000').headers).toEqual({
      [throughHeader]: '0:1',
      [watermarkHeader]: '1700000000000000',
    });
  });

  it('parse back, and a malformed header is no position', () => {
    expect(parsePosition('4:1234567')).toEqual({ partition: 4, next: 1234567 });
    for (const bad of [undefined, '', '4', '4:', ':5', '-1:5', '4:5:6', 'a:b']) expect(parsePosition(bad)).toBeUndefined();
  });
});

describe('TierStatus duplicates', () => {
  it('counts events found already applied as accepted, visible and skipped, and only says so when there were some', () => {
    const status = new TierStatus();
    status.count(5, []);
    status.alreadyApplied(0);
    expect(status.health().counts).toEqual({ accepted: 5, rejected: 0, rejectedByReason: {} });
    status.alreadyApplied(3);
    expect(status.health().counts).toEqual({ accepted: 8, rejected: 0, rejectedByReason: {}, duplicatesSkipped: 3 });
    expect(status.visible).toBe(3);
  });
});
