import { describe, expect, it } from 'vitest';
import type { IncomingRecord } from '../../../src/kafka/driver/index.ts';
import { TakenOffsets } from '../../../src/tiers/intake.ts';

const records = (from: number, to: number): IncomingRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ key: null, value: null, offset: String(from + i), timestampMs: 0, header: () => undefined }));
const offsets = (list: IncomingRecord[]) => list.map((record) => Number(record.offset));

describe('the offsets a worker has taken in', () => {
  it('drops what a restarted consumer reads again, per partition, and keeps what is new', () => {
    const taken = new TakenOffsets();
    expect(offsets(taken.fresh(0, records(0, 9)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(offsets(taken.fresh(1, records(0, 2)))).toEqual([0, 1, 2]);
    // The consumer restarted from a commit at 5: 5..9 were taken already, 10..12 are new.
    expect(offsets(taken.fresh(0, records(5, 12)))).toEqual([10, 11, 12]);
    expect(offsets(taken.fresh(0, records(3, 8)))).toEqual([]);
    expect(offsets(taken.fresh(0, records(13, 13)))).toEqual([13]);
    expect(offsets(taken.fresh(1, records(3, 4)))).toEqual([3, 4]);
    expect(taken.fresh(2, [])).toEqual([]);
  });
});
