import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/events/index.ts';
import { loadScenario, scenarioNames } from '../../../src/scenarios/scenario.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scenarios', () => {
  it('ship the seed\'s cases, each valid and naming a real dataset', async () => {
    expect(await scenarioNames()).toEqual(['demo', 'exec-dashboard', 'fraud-detection', 'iot-alerts', 'ops-dashboard']);
    for (const name of await scenarioNames()) {
      const scenario = await loadScenario(name);
      expect((await loadDataset(scenario.dataset)).name).toBe(scenario.dataset);
      expect(scenario.question.length).toBeGreaterThan(20);
    }
    expect((await loadScenario('exec-dashboard')).slaMs).toBe(86_400_000);
    expect((await loadScenario('fraud-detection')).slaMs).toBe(500);
  });

  it('--quick shortens the run and keeps the rest', async () => {
    const full = await loadScenario('ops-dashboard');
    const quick = await loadScenario('ops-dashboard', { quick: true });
    expect(quick.durationSec).toBeLessThan(full.durationSec);
    expect(quick.slaMs).toBe(full.slaMs);
    expect(quick.batch.realPeriodMs).toBe(full.batch.realPeriodMs);
    expect(quick.quick).toBe(true);
  });

  it('take the streaming guarantee from the file or --guarantee, and price exactly-once as its own architecture', async () => {
    const plain = await loadScenario('fraud-detection');
    expect(plain.streaming.guarantee).toBe('at-least-once');
    expect(plain.architectures.streaming).toBe('streaming-at-least-once');
    const flagged = await loadScenario('fraud-detection', { guarantee: 'exactly-once' });
    expect(flagged.streaming.guarantee).toBe('exactly-once');
    expect(flagged.architectures.streaming).toBe('streaming-exactly-once');
    const text = await readFile(new URL('../../../bench/scenarios/demo.yaml', import.meta.url), 'utf8');
    const inFile = join(dir, 'exactly-once.yaml');
    await writeFile(inFile, `${text}\nstreaming:\n  guarantee: exactly-once\n`);
    expect((await loadScenario(inFile)).streaming.guarantee).toBe('exactly-once');
    const bad = join(dir, 'bad-guarantee.yaml');
    await writeFile(bad, `${text}\nstreaming:\n  guarantee: exactly-twice\n`);
    await expect(loadScenario(bad)).rejects.toThrow('/streaming/guarantee must be equal to one of the allowed values');
  });

  it('reject a bad field or an unknown name, naming it', async () => {
    const text = await readFile(new URL('../../../bench/scenarios/demo.yaml', import.meta.url), 'utf8');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, text.replace('triggerMs: 5000', 'triggerMs: 500'));
    await expect(loadScenario(bad)).rejects.toThrow('/microbatch/triggerMs must be >= 1000 (got 500)');
    await expect(loadScenario('dmeo')).rejects.toThrow('unknown scenario "dmeo"; known: demo, exec-dashboard');
  });
});
