import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import {
  defaultWarehouseSheetPath,
  lakehouseAssumptionNames,
  loadWarehouseSheet,
  warehousePriceNames,
  warehouseTermNames,
} from '../../../src/cost/warehouse-sheet.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The shipped sheet, changed by `edit`, written where the loader can read it. */
async function editedSheet(edit: (sheet: Record<string, any>) => void): Promise<string> {
  const sheet = parseYaml(await readFile(defaultWarehouseSheetPath, 'utf8')) as Record<string, any>;
  edit(sheet);
  const path = join(dir, `sheet-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, stringify(sheet));
  return path;
}

describe('the warehouse price sheet', () => {
  it('has every price and term with its source, the day it was read, a note and whether it was verified', async () => {
    const sheet = await loadWarehouseSheet();
    expect(Object.keys(sheet.prices).sort()).toEqual([...warehousePriceNames].sort());
    expect(Object.keys(sheet.terms).sort()).toEqual([...warehouseTermNames].sort());
    for (const [name, entry] of [...Object.entries(sheet.prices), ...Object.entries(sheet.terms)]) {
      expect(entry.source, name).toMatch(/^https:\/\//);
      expect(entry.read, name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.note.length, name).toBeGreaterThan(20);
      expect(typeof entry.verified, name).toBe('boolean');
    }
  });

  it('says of every unverified figure why it could not be read', async () => {
    const sheet = await loadWarehouseSheet();
    const unverified = [...Object.values(sheet.prices), ...Object.values(sheet.terms)].filter((entry) => !entry.verified);
    expect(unverified.length).toBeGreaterThan(0);
    for (const entry of unverified) expect(entry.note).toMatch(/^(NOT|Not)/);
  });

  it('gives every assumption a value and why it is assumed', async () => {
    const sheet = await loadWarehouseSheet();
    expect(Object.keys(sheet.assumptions).sort()).toEqual([...lakehouseAssumptionNames].sort());
    for (const [name, a] of Object.entries(sheet.assumptions)) {
      expect(a.value, name).toBeGreaterThanOrEqual(0);
      expect(a.why.length, name).toBeGreaterThan(20);
    }
  });

  it('rejects a price without its source, naming the field', async () => {
    const path = await editedSheet((s) => delete s.prices.snowflakeCreditUsd.source);
    await expect(loadWarehouseSheet(path)).rejects.toMatchObject({ code: 'BAD_DATA_FILE' });
    await expect(loadWarehouseSheet(path)).rejects.toThrow("/prices/snowflakeCreditUsd must have required property 'source'");
  });

  it('rejects a price without the day it was read, or without its verified flag', async () => {
    const noDate = await editedSheet((s) => delete s.prices.bigqueryOnDemandTib.read);
    await expect(loadWarehouseSheet(noDate)).rejects.toThrow("/prices/bigqueryOnDemandTib must have required property 'read'");
    const noFlag = await editedSheet((s) => delete s.terms.redshiftMinimumSecondsPerQuery.verified);
    await expect(loadWarehouseSheet(noFlag)).rejects.toThrow("/terms/redshiftMinimumSecondsPerQuery must have required property 'verified'");
  });

  it('rejects a bad value with its pointer and the value', async () => {
    const negative = await editedSheet((s) => (s.prices.redshiftRpuHour.usd = -1));
    await expect(loadWarehouseSheet(negative)).rejects.toThrow('/prices/redshiftRpuHour/usd must be >= 0 (got -1)');
    const badDate = await editedSheet((s) => (s.terms.bigqueryFreeTibPerMonth.read = 'yesterday'));
    await expect(loadWarehouseSheet(badDate)).rejects.toThrow('/terms/bigqueryFreeTibPerMonth/read must match pattern');
    const overOne = await editedSheet((s) => (s.assumptions.queryWorkerUtilisation.value = 1.5));
    await expect(loadWarehouseSheet(overOne)).rejects.toThrow('/assumptions/queryWorkerUtilisation/value must be <= 1 (got 1.5)');
  });

  it('rejects a missing price, an unknown one, and an assumption without why', async () => {
    const missing = await editedSheet((s) => delete s.prices.ebsGp3GbMonth);
    await expect(loadWarehouseSheet(missing)).rejects.toThrow("/prices must have required property 'ebsGp3GbMonth'");
    const unknown = await editedSheet((s) => (s.prices.databricksDbu = { ...s.prices.ebsGp3GbMonth }));
    await expect(loadWarehouseSheet(unknown)).rejects.toThrow('/prices/databricksDbu is not a known field');
    const noWhy = await editedSheet((s) => delete s.assumptions.retentionDays.why);
    await expect(loadWarehouseSheet(noWhy)).rejects.toThrow("/assumptions/retentionDays must have required property 'why'");
  });
});
