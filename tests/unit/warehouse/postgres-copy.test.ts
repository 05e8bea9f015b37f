import { describe, expect, it } from 'vitest';
import { isTierlabError, type TierlabError } from '../../../src/errors.ts';
import { copyStatement, copyTextLine, copyTextValue, loadColumns, rejectionOf } from '../../../src/warehouse/postgres/copy.ts';
import { createTableSql } from '../../../src/warehouse/postgres/table.ts';
import { refusal } from '../thrown.ts';

describe("COPY's text format", () => {
  it('writes NULL as \\N and each kind of value as PostgreSQL reads it', () => {
    expect([null, undefined, true, false, 42, -1.5, 12345678901234567890n].map(copyTextValue)).toEqual([
      '\\N',
      '\\N',
      't',
      'f',
      '42',
      '-1.5',
      '12345678901234567890',
    ]);
    expect(copyTextValue(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('2026-01-02T03:04:05.006Z');
    expect(copyTextValue({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
  });

  it('escapes backslash, tab, newline and carriage return, so a string arrives as it was', () => {
    expect(copyTextValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    // The text "\N" is a string, not NULL: its backslash is escaped.
    expect(copyTextValue('\\N')).toBe('\\\\N');
    expect(copyTextValue('naïve ✓')).toBe('naïve ✓');
  });

  it('writes a row in the order of the column list, NULL for a column the row lacks', () => {
    expect(copyTextLine({ b: 2, a: 'x' }, ['a', 'b', 'c'])).toBe('x\t2\t\\N\n');
  });

  it('loads every column any row names, in the order first seen', () => {
    expect(loadColumns([{ id: 1, amount: 2 }, { id: 2, note: 'n' }, { amount: 3, id: 4 }])).toEqual(['id', 'amount', 'note']);
  });

  it('quotes the table and column names of the COPY statement', () => {
    expect(copyStatement('events', ['id', 'Amount "x"'])).toBe('COPY "events" ("id", "Amount ""x""") FROM STDIN');
  });
});

describe('a rejected load names the column (schema-on-write)', () => {
  const rejection = (error: Parameters<typeof rejectionOf>[0]): TierlabError => {
    const found = rejectionOf(error, 'events');
    expect(isTierlabError(found, 'SCHEMA_REJECTED')).toBe(true);
    return found as TierlabError;
  };

  it('a column the table does not have (42703)', () => {
    const error = rejection({ code: '42703', message: 'column "colour" of relation "events" does not exist' });
    expect(error.details).toEqual({ table: 'events', column: 'colour', sqlState: '42703' });
    expect(error.message).toContain('no column "colour"');
  });

  it("a value the column's type does not take, with the row it is in", () => {
    const error = rejection({
      code: '22P02',
      message: 'invalid input syntax for type bigint: "12.5"',
      where: 'COPY events, line 3, column amount_cents: "12.5"',
    });
    expect(error.details).toEqual({ table: 'events', column: 'amount_cents', sqlState: '22P02', row: 2 });
    expect(error.message).toContain('column "amount_cents": invalid input syntax for type bigint');
  });

  it('a required column left out (23502), named by the server', () => {
    const error = rejection({
      code: '23502',
      message: 'null value in column "id" of relation "events" violates not-null constraint',
      column: 'id',
      where: 'COPY events, line 1: "\\N\t1"',
    });
    expect(error.details).toMatchObject({ column: 'id', row: 0 });
  });

  it('leaves any other failure as it was: it is not the rows\' fault', () => {
    expect(rejectionOf({ code: '42P01', message: 'relation "nope" does not exist' }, 'nope')).toBeUndefined();
    expect(rejectionOf({ code: '57P01', message: 'terminating connection due to administrator command' }, 'events')).toBeUndefined();
  });
});

describe('CREATE TABLE from a column list', () => {
  it('quotes names and maps each column type, NOT NULL where required', () => {
    expect(
      createTableSql('events', [
        { name: 'event_id', type: 'text', required: true },
        { name: 'amount_cents', type: 'bigint' },
        { name: 'at', type: 'timestamptz' },
        { name: 'score', type: 'double' },
      ]),
    ).toBe('CREATE TABLE "events" ("event_id" text NOT NULL, "amount_cents" bigint, "at" timestamp with time zone, "score" double precision)');
    expect(createTableSql('t', [{ name: 'x', type: 'jsonb' }], { ifNotExists: true })).toBe('CREATE TABLE IF NOT EXISTS "t" ("x" jsonb)');
  });

  it('refuses no columns, a column named twice, and a type it does not know, naming them', () => {
    expect(refusal(() => createTableSql('t', []))).toContain('at least one column');
    expect(refusal(() => createTableSql('t', [{ name: 'a', type: 'text' }, { name: 'a', type: 'bigint' }]))).toContain('"a" twice');
    expect(refusal(() => createTableSql('t', [{ name: 'a', type: 'varchar' as never }]))).toContain('"a" of table "t" has type "varchar"');
  });
});
