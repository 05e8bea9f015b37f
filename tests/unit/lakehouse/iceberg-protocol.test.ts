import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { parseCurationLine } from '../../../src/lakehouse/iceberg/protocol.ts';
import { thrown } from '../thrown.ts';

const curated = {
  type: 'curated', id: 1, objects: 2, lines: 10, appended: 8, deadLettered: { 'malformed JSON': 2 }, columnsAdded: [{ name: 'channel', type: 'string' }],
  snapshotId: '8123456789012345678', filesWritten: 2, dataBytes: 4096, deadLetterObjects: 1, wallMicros: 1_200_000,
};

function refused(line: unknown): string {
  const error = thrown(() => parseCurationLine(typeof line === 'string' ? line : JSON.stringify(line)));
  expect(isTierlabError(error, 'TIER_FAILED')).toBe(true);
  return (error as Error).message;
}

describe('parseCurationLine', () => {
  it('takes each line the engine writes, snapshot ids as strings (64-bit, no digit lost)', () => {
    expect(parseCurationLine(JSON.stringify(curated))).toEqual(curated);
    expect(parseCurationLine('{"type":"ready","version":"Spark 4.1.1, Iceberg 1.12.0 on Java 17","startupMs":14000,"table":"lake.a.b"}').type).toBe('ready');
    expect(parseCurationLine('{"type":"curated","id":2,"objects":0,"lines":0,"appended":0,"deadLettered":{},"columnsAdded":[],"snapshotId":null,"filesWritten":0,"dataBytes":0,"deadLetterObjects":0,"wallMicros":5}').type).toBe('curated');
    expect(parseCurationLine('{"type":"error","id":3,"message":"boom"}')).toEqual({ type: 'error', id: 3, message: 'boom' });
    expect(parseCurationLine('{"type":"stopped","id":4}')).toEqual({ type: 'stopped', id: 4 });
  });

  it('names the field that is wrong', () => {
    expect(refused({ ...curated, appended: '8' })).toMatch(/curated line whose appended is not a number/);
    expect(refused({ ...curated, snapshotId: 8123 })).toMatch(/whose snapshotId is not a string\|null/);
    expect(refused({ ...curated, deadLettered: { 'malformed JSON': 'two' } })).toMatch(/deadLettered counts are not all numbers/);
    expect(refused({ type: 'answered', id: 1, name: 'q', micros: [1, 'x'], bytesScanned: 1, dataFilesScanned: 1, dataFilesSkipped: 0, scanReports: 1, rowCount: 0, rows: [] })).toMatch(
      /micros are not all numbers/,
    );
    expect(refused({ type: 'stats', id: 1 })).toMatch(/stats line whose snapshotId/);
  });

  it('refuses what is not one of its lines', () => {
    expect(refused('Spark says hello')).toMatch(/not JSON/);
    expect(refused('[1]')).toMatch(/not a JSON object/);
    expect(refused({ type: 'progress' })).toMatch(/unknown type "progress"/);
  });
});
