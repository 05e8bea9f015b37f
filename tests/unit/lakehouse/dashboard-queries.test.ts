import { describe, expect, it } from 'vitest';
import { aggregateSqlFrom } from '../../../pipelines/batch/aggregate-sql.ts';
import { dashboardQueries } from '../../../src/lakehouse/dashboard-queries.ts';

describe('dashboardQueries', () => {
  const rules = [{ name: 'large', field: 'amountCents', op: 'gte' as const, value: 10_000 }];
  const sql = dashboardQueries('lake.ns.events', { windowMs: 60_000, rules, point: { key: "card-'1", windowStartMicros: 120_000_000 } });

  it("uses the batch tier's own aggregate over the relation", () => {
    expect(sql.aggregate).toBe(aggregateSqlFrom('lake.ns.events', 60_000, rules));
  });

  it('ranks ten keys by cents, ties by key, by default', () => {
    expect(sql.topN).toContain('ORDER BY 2 DESC, 1\nLIMIT 10');
  });

  it("looks up one key's window as a range of event time, the key quoted as SQL", () => {
    expect(sql.pointLookup).toContain(`WHERE "key" = 'card-''1' AND "eventTimeMicros" >= 120000000 AND "eventTimeMicros" < 180000000`);
  });
});
