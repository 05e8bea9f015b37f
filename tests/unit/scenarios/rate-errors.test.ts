import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TierlabError } from '../../../src/errors.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-rate-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const demo = await readFile(new URL('../../../bench/scenarios/demo.yaml', import.meta.url), 'utf8');
const demoRate = 'rate: { kind: constant, ratePerSec: 2000 }';

/** demo.yaml with its rate replaced, written to NAME.yaml; the error it is rejected with. */
async function rejection(name: string, rate: string): Promise<{ path: string; error: TierlabError }> {
  expect(demo).toContain(demoRate); // else the replace below would silently test demo.yaml itself
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, demo.replace(demoRate, `rate: ${rate}`));
  const error = await loadScenario(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TierlabError);
  return { path, error: error as TierlabError };
}

describe('a scenario with a bad rate', () => {
  it('names only the branch its kind means: one line, the field and its value, after the file path', async () => {
    const { path, error } = await rejection('bad-factor', '{ kind: bursts, ratePerSec: 2000, factor: 0, burstSec: 5, everySec: 20 }');
    expect(error.code).toBe('BAD_DATA_FILE');
    expect(error.details.problems).toEqual(['/rate/factor must be > 0 (got 0)']);
    expect(error.message).toBe(`${path}: /rate/factor must be > 0 (got 0)`);
  });

  it('a missing field of the meant branch is the only line', async () => {
    const { path, error } = await rejection('no-amplitude', '{ kind: diurnal, ratePerSec: 2000, periodSec: 60 }');
    expect(error.details.problems).toEqual([
      `/rate must have required property 'amplitude' (got {"kind":"diurnal","ratePerSec":2000,"periodSec":60})`,
    ]);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it('a field of another branch is not a known field, and nothing else', async () => {
    const { error } = await rejection('extra', '{ kind: constant, ratePerSec: 2000, factor: 3 }');
    expect(error.details.problems).toEqual(['/rate/factor is not a known field']);
  });

  it('an unknown kind gives one line listing the kinds', async () => {
    const { path, error } = await rejection('stepped', '{ kind: stepped, ratePerSec: 2000 }');
    expect(error.message).toBe(`${path}: /rate/kind must be one of constant, bursts, diurnal (got "stepped")`);
    expect(error.details.problems).toHaveLength(1);
  });

  it('a missing kind or a rate that is not an object gives one line', async () => {
    expect((await rejection('no-kind', '{ ratePerSec: 2000 }')).error.details.problems).toEqual([
      '/rate/kind must be one of constant, bursts, diurnal',
    ]);
    expect((await rejection('number', '5')).error.details.problems).toEqual(['/rate must be object (got 5)']);
  });

  it('the --quick rate is told apart the same way', async () => {
    const path = join(dir, 'quick.yaml');
    await writeFile(path, demo.replace('quick:\n', 'quick:\n  rate: { kind: bursts, ratePerSec: 100, factor: -2, burstSec: 5, everySec: 20 }\n'));
    await expect(loadScenario(path)).rejects.toThrow(`${path}: /quick/rate/factor must be > 0 (got -2)`);
  });

  it('a valid rate of each kind still loads', async () => {
    const rates = [
      '{ kind: constant, ratePerSec: 2000 }',
      '{ kind: bursts, ratePerSec: 2000, factor: 3, burstSec: 5, everySec: 20 }',
      '{ kind: diurnal, ratePerSec: 2000, amplitude: 0.5, periodSec: 60 }',
    ];
    for (const [i, rate] of rates.entries()) {
      const path = join(dir, `ok-${i}.yaml`);
      await writeFile(path, demo.replace(demoRate, `rate: ${rate}`));
      const scenario = await loadScenario(path);
      expect(scenario.rate.kind).toBe(['constant', 'bursts', 'diurnal'][i]);
      expect(scenario.rate.ratePerSec).toBe(2000);
    }
  });
});
