import { describe, expect, it } from 'vitest';
import { evaluateRules, rulesToSqlColumns, type DatasetRule, type LabEvent } from '../../../src/events/index.ts';
import { openWarehouse } from '../../../src/warehouse/duckdb.ts';

const rules: DatasetRule[] = [
  { name: 'highAmount', field: 'amountCents', op: 'gte', value: 500 },
  { name: 'risky', field: 'country', op: 'in', value: ['NG', 'RU'] },
  { name: 'notPos', field: 'channel', op: 'neq', value: 'pos' },
  { name: 'missingAttr', field: 'nowhere', op: 'notIn', value: ['x'] },
];

const events: LabEvent[] = [
  { seq: 0, key: 'a', eventTimeMicros: 1, amountCents: 500, attrs: { country: 'NG', channel: 'pos' } },
  { seq: 1, key: 'a', eventTimeMicros: 2, amountCents: 499, attrs: { country: 'US', channel: 'atm' } },
  { seq: 2, key: 'b', eventTimeMicros: 3, amountCents: 10_000, attrs: { country: 'RU', channel: 'ecommerce' } },
];

describe('dataset rules', () => {
  it('flag events by data, in code', () => {
    expect(events.map((e) => evaluateRules(e, rules))).toEqual([['highAmount', 'risky'], ['notPos'], ['highAmount', 'risky', 'notPos']]);
  });

  it('give the same counts in DuckDB SQL, the batch tier\'s path', async () => {
    const warehouse = await openWarehouse();
    try {
      await warehouse.connection.run('CREATE TABLE raw (seq BIGINT, key VARCHAR, amountCents BIGINT, country VARCHAR, channel VARCHAR, nowhere VARCHAR)');
      for (const e of events) {
        await warehouse.connection.run(
          `INSERT INTO raw VALUES (${e.seq}, '${e.key}', ${e.amountCents}, '${e.attrs.country}', '${e.attrs.channel}', NULL)`,
        );
      }
      const reader = await warehouse.connection.runAndReadAll(`SELECT key, ${rulesToSqlColumns(rules).join(', ')} FROM raw GROUP BY key ORDER BY key`);
      const rows = reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
      const expected = ['a', 'b'].map((key) => {
        const flags = Object.fromEntries(rules.map((r) => [r.name, 0]));
        for (const e of events.filter((x) => x.key === key)) for (const name of evaluateRules(e, rules)) flags[name]! += 1;
        return { key, ...flags };
      });
      expect(rows).toEqual(expected);
    } finally {
      warehouse.close();
    }
  });
});
