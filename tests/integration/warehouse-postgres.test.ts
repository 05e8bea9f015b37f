import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, isTierlabError } from '../../src/errors.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import type { ModeChoice } from '../../src/services/types.ts';
import { provisionWarehouse, type WarehouseHandle } from '../../src/services/warehouse.ts';
import { connectWarehouse, createTable, loadRows, timedQuery, type Column, type WarehouseConnection } from '../../src/warehouse/postgres/index.ts';
import { freePort } from './free-port.ts';

/*
 * The warehouse server of issue 21, provisioned as a command that serves a warehouse would
 * (WAREHOUSE_URL, one `services up` left, docker, or Debian's PostgreSQL natively), here rather than
 * in global-setup: only this file needs it. No skip: without PostgreSQL the file fails and says
 * what to install (scripts/test.sh installs it as root).
 */
const env = { ...process.env, TIERLAB_POSTGRES_PORT: process.env.TIERLAB_POSTGRES_PORT ?? String(await freePort()) };
let warehouse: WarehouseHandle;
let connection: WarehouseConnection;

beforeAll(async () => {
  try {
    warehouse = await provisionWarehouse({
      mode: (process.env.TIERLAB_SERVICES_MODE as ModeChoice | undefined) ?? 'auto',
      ownership: 'session',
      settings: serviceSettingsFrom(env),
      env,
      onProgress: (message) => console.log(`[warehouse] ${message}`),
    });
  } catch (error) {
    throw new Error(`the warehouse test needs PostgreSQL, and none could be provisioned:\n${describeError(error)}`);
  }
  connection = await connectWarehouse(warehouse.endpoint);
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await warehouse?.stop();
});

const columns: Column[] = [
  { name: 'event_id', type: 'text', required: true },
  { name: 'account', type: 'text' },
  { name: 'amount_cents', type: 'bigint' },
  { name: 'flagged', type: 'boolean' },
  { name: 'event_time', type: 'timestamptz' },
];

describe('the warehouse (real PostgreSQL)', () => {
  // A table of its own, so a warehouse that `services up` left running is shared safely.
  const table = `it_events_${randomUUID().slice(0, 8)}`;
  const rowCount = 5_000;
  const rows = Array.from({ length: rowCount }, (_, i) => ({
    event_id: `e-${i}`,
    account: `acct-${i % 7}`,
    amount_cents: 100 + i,
    flagged: i % 10 === 0,
    event_time: new Date(Date.UTC(2026, 0, 5, 9, 0, 0) + i * 1_000),
  }));
  const count = async () => Number((await connection.client.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);

  it('is PostgreSQL 15 or later, says its version, and answers', async () => {
    expect(warehouse.description.server).toMatch(/^PostgreSQL/);
    expect(Number(/^(\d+)/.exec(warehouse.description.version)?.[1])).toBeGreaterThanOrEqual(15);
    expect((await warehouse.health()).ok).toBe(true);
  });

  it('creates a table from a column list, loads rows with COPY and queries them exactly', async () => {
    await createTable(connection.client, table, columns);
    const loaded = await loadRows(connection.client, table, rows);
    expect(loaded.rows).toBe(rowCount);
    expect(loaded.elapsedMicros).toBeGreaterThan(0);

    const result = await timedQuery<{ account: string; events: string; amount_cents: string; flagged: string }>(
      connection.client,
      `SELECT account, count(*) AS events, sum(amount_cents) AS amount_cents, count(*) FILTER (WHERE flagged) AS flagged
         FROM "${table}" GROUP BY account ORDER BY account`,
    );
    expect(result.elapsedMicros).toBeGreaterThan(0);
    const expected = new Map<string, { events: number; amountCents: number; flagged: number }>();
    for (const row of rows) {
      const sums = expected.get(row.account) ?? { events: 0, amountCents: 0, flagged: 0 };
      expected.set(row.account, { events: sums.events + 1, amountCents: sums.amountCents + row.amount_cents, flagged: sums.flagged + Number(row.flagged) });
    }
    expect(result.rows.map((r) => [r.account, Number(r.events), Number(r.amount_cents), Number(r.flagged)])).toEqual(
      [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([account, s]) => [account, s.events, s.amountCents, s.flagged]),
    );
    const point = await timedQuery(connection.client, `SELECT event_time FROM "${table}" WHERE event_id = $1`, ['e-61']);
    expect((point.rows[0] as { event_time: Date }).event_time.toISOString()).toBe('2026-01-05T09:01:01.000Z');
  });

  it('keeps text as it was sent: tabs, newlines, backslashes and NULLs', async () => {
    const odd = `tab\there\nnewline \\ backslash \\N`;
    await loadRows(connection.client, table, [{ event_id: 'odd', account: odd }, { event_id: 'null-account', account: null }]);
    const back = await connection.client.query(`SELECT event_id, account FROM "${table}" WHERE event_id IN ('odd', 'null-account') ORDER BY event_id`);
    expect(back.rows).toEqual([
      { event_id: 'null-account', account: null },
      { event_id: 'odd', account: odd },
    ]);
  });

  it('rejects a load whose rows do not fit, naming the column, and writes nothing of it', async () => {
    const before = await count();
    const rejected = async (load: Array<Record<string, unknown>>) => {
      const error = await loadRows(connection.client, table, load).then(() => undefined, (e: unknown) => e);
      expect(isTierlabError(error, 'SCHEMA_REJECTED'), String(error)).toBe(true);
      return error as { message: string; details: Record<string, unknown> };
    };
    // Schema drift: a field the table does not have.
    const renamed = await rejected([{ event_id: 'd-1', amount_cents: 1 }, { event_id: 'd-2', amount_cents: 2, colour: 'red' }]);
    expect(renamed.details).toMatchObject({ table, column: 'colour' });
    expect(renamed.message).toContain('no column "colour"');
    // A type change: the third row's amount is no longer integer cents.
    const retyped = await rejected([{ event_id: 'd-3', amount_cents: 3 }, { event_id: 'd-4', amount_cents: 4 }, { event_id: 'd-5', amount_cents: '12.50' }]);
    expect(retyped.details).toMatchObject({ table, column: 'amount_cents', row: 2 });
    // A required column missing.
    const missing = await rejected([{ account: 'acct-x', amount_cents: 5 }]);
    expect(missing.details).toMatchObject({ column: 'event_id', row: 0 });
    expect(await count()).toBe(before);
  });
});
