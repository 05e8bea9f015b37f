import { describe, expect, it } from 'vitest';
import type { WindowAggregate } from '../../../src/events/index.ts';
import type { OutgoingRecord } from '../../../src/kafka/driver/index.ts';
import { packedRecordBytes, packedResultMessages, unpackResults, type PackedWindow } from '../../../src/kafka/packed-results.ts';
import type { TopicRecord } from '../../../src/kafka/read-topic.ts';
import { packedHeader, resultEntries, resultMessage, watermarkHeader } from '../../../src/kafka/results.ts';
import { StoredStateFold } from '../../../src/kafka/stored-state.ts';

const aggregate = (key: string, windowStartMicros: number, count: number): WindowAggregate => ({
  key,
  windowStartMicros,
  count,
  sumCents: count * 100,
  flags: { highValue: count % 2 },
});

const windows = (n: number, keyLength = 8): PackedWindow[] =>
  Array.from({ length: n }, (_, i) => ({ window: aggregate(`k${String(i).padStart(keyLength, '0')}`, 60_000_000, i + 1), partition: i % 6, next: 10 * i + 1 }));

const asRead = (message: OutgoingRecord, offset = 0): TopicRecord => ({
  partition: 0,
  offset: String(offset),
  key: message.key === null ? null : Buffer.from(message.key),
  value: message.value === null ? null : Buffer.from(message.value),
  headers: message.headers ?? {},
});

describe('packed results (micro-batch trigger writes)', () => {
  it('reads back every window with its position and the watermark, in as few records as the byte bound allows', () => {
    const written = windows(5_000);
    const records = packedResultMessages(written, 'microbatch-ab12|3', '1700000000000000');
    const bytes = records.map((record) => String(record.value).length);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(packedRecordBytes);
    const total = bytes.reduce((sum, b) => sum + b, 0);
    // Full records: no more than one record beyond what the bytes need.
    expect(records.length).toBeLessThanOrEqual(Math.ceil(total / (0.85 * packedRecordBytes)) + 1);
    const read = records.flatMap((record, i) => resultEntries(asRead(record, i), 'results'));
    expect(read).toHaveLength(5_000);
    expect(read.map((entry) => entry.aggregate)).toEqual(written.map((w) => w.window));
    expect(read.map((entry) => entry.position)).toEqual(written.map(({ partition, next }) => ({ partition, next })));
    expect(new Set(read.map((entry) => entry.watermark))).toEqual(new Set(['1700000000000000']));
    expect(read[7]!.id).toBe(`${written[7]!.window.key}|60000000`);
    expect(records.map((record) => Number(record.headers![packedHeader])).reduce((a, b) => a + b, 0)).toBe(5_000);
  });

  it('gives every record a key of its own under the writer prefix, and no watermark header when there is none', () => {
    const records = packedResultMessages(windows(3_000), 'w1|9');
    expect(new Set(records.map((record) => record.key)).size).toBe(records.length);
    expect(records.every((record) => String(record.key).startsWith('w1|9|'))).toBe(true);
    expect(records.every((record) => record.headers![watermarkHeader] === undefined)).toBe(true);
    expect(packedResultMessages([], 'w1|10')).toEqual([]);
  });

  it('keeps to the byte bound when windows grow longer than the first one', () => {
    const short = windows(10, 1);
    const long = windows(2_000, 400);
    const records = packedResultMessages([...short, ...long], 'w');
    expect(Math.max(...records.map((record) => String(record.value).length))).toBeLessThanOrEqual(packedRecordBytes);
    expect(records.flatMap((record) => unpackResults(String(record.value), 'r'))).toHaveLength(2_010);
  });

  it('names the record and the column when a packed value is not what was written', () => {
    expect(() => unpackResults('[1,2]', 'results/2@17')).toThrow('packed result results/2@17 is not an object of columns with a "key" array');
    const columns = { key: ['a', 'b'], windowStartMicros: [0, 0], count: [1, 2], sumCents: [1, 2], partition: [0, 1], next: [3, 4], flags: { big: [1] } };
    expect(() => unpackResults(JSON.stringify({ ...columns, count: [1] }), 'results/2@17')).toThrow('packed result results/2@17: column "count" is not an array of 2');
    expect(() => unpackResults(JSON.stringify(columns), 'results/2@17')).toThrow('packed result results/2@17: flag column "big" is not an array of 2');
  });

  it('keeps each window\'s own flags when windows carry different ones', () => {
    const mixed: PackedWindow[] = [
      { window: { key: 'a', windowStartMicros: 0, count: 1, sumCents: 5, flags: {} }, partition: 0, next: 1 },
      { window: { key: 'b', windowStartMicros: 0, count: 2, sumCents: 6, flags: { big: 2 } }, partition: 1, next: 2 },
      { window: { key: 'c', windowStartMicros: 0, count: 3, sumCents: 7, flags: { small: 1 } }, partition: 2, next: 3 },
    ];
    const [record] = packedResultMessages(mixed, 'w');
    expect(unpackResults(String(record!.value), 'r').map((w) => w.aggregate)).toEqual(mixed.map((w) => w.window));
  });

  it('restores from packed and single records alike, the furthest position winning', () => {
    const fold = new StoredStateFold('results');
    const first = { window: aggregate('a', 0, 2), partition: 1, next: 5 };
    const later = { window: aggregate('a', 0, 3), partition: 1, next: 9 };
    // A worker that lost the partition lands its older value after the newer one: it must not win.
    fold.add(asRead(packedResultMessages([later, { window: aggregate('b', 0, 1), partition: 2, next: 4 }], 'w2|1', '500')[0]!, 0));
    fold.add(asRead(packedResultMessages([first], 'w1|1', '400')[0]!, 1));
    fold.add(asRead(resultMessage(aggregate('c', 0, 7), { partition: 3, next: 8 }, '450'), 2));
    const state = fold.state(3);
    expect(state.windows.map((w) => [w.aggregate.key, w.aggregate.count, w.position.next]).sort()).toEqual([
      ['a', 3, 9],
      ['b', 1, 4],
      ['c', 7, 8],
    ]);
    expect(state.watermarkMicros).toBe(500);
    expect(state.partitionWatermarks.get(2)).toBe(500);
  });
});
