import { describe, expect, it } from 'vitest';
import type { CurateServeState } from '../../../src/lakehouse/curate-serve.ts';
import { newCurateServeState } from '../../../src/lakehouse/curate-serve.ts';
import type { CuratedLine } from '../../../src/lakehouse/iceberg/protocol.ts';
import { driftRow } from '../../../src/lakehouse/summarize.ts';
import { nearestRank, refreshFigures, zoneQuery } from '../../../src/lakehouse/zone-queries.ts';

const target = (engine: string) => ({ engine, createTable: async () => undefined, load: async () => 0, unknownColumn: () => undefined });

function curated(fields: Partial<CuratedLine>): CuratedLine {
  return {
    type: 'curated', id: 1, objects: 1, lines: 0, appended: 0, deadLettered: {}, columnsAdded: [], snapshotId: '1',
    filesWritten: 1, dataBytes: 1, deadLetterObjects: 0, wallMicros: 1, ...fields,
  };
}

function stateWith(runs: CuratedLine[], refusedColumn?: string): CurateServeState {
  const state = newCurateServeState([target('postgresql'), target('duckdb-file')]);
  state.curated.push(...runs);
  if (refusedColumn) {
    for (const [engine, served] of state.served) served.refusals.push({ column: refusedColumn, reason: `${engine} has no column "${refusedColumn}"`, rows: 3 });
  }
  return state;
}

describe('what each zone did with a drift case', () => {
  it('a new field: accepted raw, a new curated column, refused by every warehouse in its own words', () => {
    const state = stateWith([curated({ columnsAdded: [{ name: 'deviceId', type: 'string' }] })], 'deviceId');
    expect(driftRow({ case: 'new-field', share: 0.1 }, 3, state)).toEqual({
      case: 'new-field',
      raw: 'accepted',
      curated: 'evolved',
      served: 'rejected',
      records: 3,
      reasons: { served: 'postgresql: postgresql has no column "deviceId"; duckdb-file: duckdb-file has no column "deviceId"' },
    });
  });

  it('a renamed, retyped or cut record: dead-lettered by the curation, so never in a warehouse', () => {
    const state = stateWith([curated({ deadLettered: { 'missing field: amountCents': 2, 'type change: amountCents': 1, 'malformed JSON': 4 } })]);
    for (const [drift, reason] of [
      ['renamed-field', 'missing field: amountCents'],
      ['type-change', 'type change: amountCents'],
      ['malformed-json', 'malformed JSON'],
    ] as const) {
      expect(driftRow({ case: drift, share: 0.1 }, 1, state)).toMatchObject({
        raw: 'accepted',
        curated: 'rejected',
        served: 'rejected',
        reasons: { curated: `dead-lettered: ${reason}`, served: 'never reached the warehouse: the curated zone refused it' },
      });
    }
  });

  it('a new field no warehouse refused (none carried a value) is accepted there; one the curation never saw stays accepted', () => {
    expect(driftRow({ case: 'new-field', share: 0.1, field: 'tier' }, 0, stateWith([curated({})]))).toMatchObject({ curated: 'accepted', served: 'accepted' });
  });
});

describe("a zone's dashboard figures", () => {
  it('takes nearest-rank percentiles of the timed runs, and adds the three queries into one refresh', () => {
    expect(nearestRank([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(nearestRank([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(nearestRank([], 50)).toBe(0);
    const queries = [zoneQuery('aggregate', [10, 30, 20], 100, 5), zoneQuery('topN', [1, 2, 3], 50, 10), zoneQuery('pointLookup', [7], 0, 1)];
    expect(queries[0]).toEqual({ name: 'aggregate', runs: 3, p50Micros: 20, p99Micros: 30, bytesScanned: 100, rows: 5 });
    expect(refreshFigures(queries)).toEqual({ queryP50Micros: 20 + 2 + 7, queryP99Micros: 30 + 3 + 7, bytesScanned: 150 });
  });
});
