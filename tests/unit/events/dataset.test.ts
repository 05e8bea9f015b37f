import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetNames, loadDataset } from '../../../src/events/index.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function broken(name: string, edit: (text: string) => string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../../../datasets/payments.yaml', import.meta.url), 'utf8');
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, edit(text));
  return path;
}

describe('dataset profiles', () => {
  it('ship payments, clickstream and iot, all valid', async () => {
    expect(await datasetNames()).toEqual(['clickstream', 'iot', 'payments']);
    for (const name of await datasetNames()) expect((await loadDataset(name)).name).toBe(name);
  });

  it('reject an unknown name, listing the known ones', async () => {
    await expect(loadDataset('paymnets')).rejects.toThrow('unknown dataset "paymnets"; known: clickstream, iot, payments');
  });

  it.each([
    ['a share above 1', (t: string) => t.replace('hotShare: 0.2', 'hotShare: 1.5'), '/keys/hotShare must be <= 1 (got 1.5)'],
    ['an unknown field', (t: string) => t.replace('windowMs: 60000', 'windowMs: 60000\ncolour: blue'), '/colour is not a known field'],
    ['a rule on a missing field', (t: string) => t.replace('field: country', 'field: contry'), '/rules/1/field "contry" is not'],
    ['a window that splits hours unevenly', (t: string) => t.replace('windowMs: 60000', 'windowMs: 7000'), '/windowMs (7000) must divide an hour evenly'],
    ['a bad operator', (t: string) => t.replace('op: gte', 'op: bigger'), '/rules/0/op must be equal to one of the allowed values'],
  ])('reject %s, naming the field', async (name, edit, message) => {
    await expect(loadDataset(await broken(name.replaceAll(' ', '-'), edit))).rejects.toThrow(message);
  });
});
