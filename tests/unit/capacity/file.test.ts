import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestCapacityFor, parseCapacity, readCapacity, writeCapacity } from '../../../src/capacity/file.ts';
import type { CapacityResult } from '../../../src/results/capacity.ts';
import { isTierlabError, type TierlabError } from '../../../src/errors.ts';

function capacity(scenario: string, runId: string): CapacityResult {
  return {
    schemaVersion: 1,
    scenario,
    runId,
    startedAt: '2026-11-02T09:00:00.000Z',
    slaP99Micros: 500_000,
    environment: { cpus: 8, cpuModel: 'test CPU', node: 'v24.0.0', servicesMode: 'native', kafka: { version: '4.3.0' } },
    quick: true,
    stepSec: 10,
    tiers: {
      streaming: {
        maxRatePerSec: 2_000,
        steps: [
          { offeredPerSec: 1_000, achievedPerSec: 998, p99Micros: 12_000, count: 9_980, generatorLagP99Micros: 150, metSla: true, fellBehind: false },
          { offeredPerSec: 2_000, achievedPerSec: 1_995, p99Micros: 40_000, count: 19_950, generatorLagP99Micros: 160, metSla: true, fellBehind: false },
          { offeredPerSec: 4_000, achievedPerSec: 2_900, p99Micros: 3_000_000, count: 29_000, generatorLagP99Micros: 170, metSla: false, fellBehind: true, reason: 'p99 3.00 s over the SLA of 500 ms' },
        ],
        stoppedBecause: 'stopped at 4,000/s: p99 3.00 s over the SLA of 500 ms',
      },
      microbatch: { maxRatePerSec: null, steps: [], stoppedBecause: 'the measurement failed at 1,000/s: boom', error: 'boom' },
    },
  };
}

function rejection(run: () => unknown): TierlabError {
  try {
    run();
  } catch (error) {
    if (isTierlabError(error, 'BAD_DATA_FILE')) return error;
    throw error;
  }
  throw new Error('expected BAD_DATA_FILE');
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tierlab-capacity-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('capacity.json', () => {
  it('round-trips through a results folder', async () => {
    const result = capacity('demo', '20261102-090000-demo-a1b2');
    const path = await writeCapacity(join(dir, result.runId), result);
    expect(path).toBe(join(dir, result.runId, 'capacity.json'));
    expect(await readCapacity(path)).toEqual(result);
  });

  it('rejects a broken file naming the field and the bad value', () => {
    const broken = capacity('demo', 'r1') as unknown as { tiers: { streaming: { steps: Array<Record<string, unknown>> } } };
    broken.tiers.streaming.steps[1]!.p99Micros = 'fast';
    const error = rejection(() => parseCapacity(JSON.stringify(broken), 'results/r1/capacity.json'));
    expect(error.message).toBe('results/r1/capacity.json: /tiers/streaming/steps/1/p99Micros must be number (got "fast")');
  });

  it('rejects a foreign file: another schema version, an unknown tier, a missing contract field, null for an optional one', () => {
    const parse = (mutate: (value: Record<string, any>) => void) => {
      const value = capacity('demo', 'r1') as Record<string, any>;
      mutate(value);
      return rejection(() => parseCapacity(JSON.stringify(value), 'c.json')).message;
    };
    expect(parse((v) => (v.schemaVersion = 2))).toContain('/schemaVersion must be equal to constant (got 2)');
    expect(parse((v) => (v.tiers.flink = v.tiers.streaming))).toContain('/tiers/flink is not a known field');
    expect(parse((v) => delete v.tiers.streaming.maxRatePerSec)).toContain("/tiers/streaming must have required property 'maxRatePerSec'");
    expect(parse((v) => (v.tiers.streaming.steps[0].reason = null))).toContain('/tiers/streaming/steps/0/reason');
    expect(parse((v) => (v.tiers.batch = null))).toContain('/tiers/batch');
    expect(rejection(() => parseCapacity('{ not json', 'c.json')).message).toMatch(/^c\.json: not valid YAML\/JSON/);
  });

  it('takes added fields, as the contract allows', () => {
    const value = capacity('demo', 'r1') as Record<string, any>;
    value.hostname = 'lab-1';
    value.tiers.streaming.steps[0].cpuSeconds = 1.5;
    expect(parseCapacity(JSON.stringify(value), 'c.json').scenario).toBe('demo');
  });

  it('a missing file cannot be read', async () => {
    await expect(readCapacity(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'BAD_DATA_FILE' });
  });
});

describe('the latest capacity run of a scenario', () => {
  it('is the newest valid one of that scenario; broken ones are skipped and told', async () => {
    const older = '20261101-080000-demo-aaaa';
    const newer = '20261102-080000-demo-bbbb';
    const broken = '20261103-080000-demo-cccc';
    const otherScenario = '20261104-080000-payments-dddd';
    const plainRun = '20261105-080000-demo-eeee';
    await writeCapacity(join(dir, older), capacity('demo', older));
    await writeCapacity(join(dir, newer), capacity('demo', newer));
    await mkdir(join(dir, broken));
    await writeFile(join(dir, broken, 'capacity.json'), '{"schemaVersion": 1, "scenario": "demo"}');
    await writeCapacity(join(dir, otherScenario), capacity('payments', otherScenario));
    await mkdir(join(dir, plainRun));
    await writeFile(join(dir, plainRun, 'summary.json'), '{}');
    await writeFile(join(dir, 'README.txt'), 'not a run');

    const skipped: string[] = [];
    const latest = await latestCapacityFor(dir, 'demo', (path) => skipped.push(path));
    expect(latest?.result.runId).toBe(newer);
    expect(latest?.path).toBe(join(dir, newer, 'capacity.json'));
    expect(skipped).toEqual([join(dir, broken, 'capacity.json')]);
    expect((await latestCapacityFor(dir, 'payments'))?.result.runId).toBe(otherScenario);
  });

  it('is none when there is no such run or no results folder', async () => {
    expect(await latestCapacityFor(dir, 'demo')).toBeUndefined();
    expect(await latestCapacityFor(join(dir, 'missing'), 'demo')).toBeUndefined();
  });
});
