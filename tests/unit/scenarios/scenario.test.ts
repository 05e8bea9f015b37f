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
    expect(await scenarioNames()).toEqual(['demo', 'exec-dashboard', 'fraud-detection', 'iot-alerts', 'lakehouse', 'ops-dashboard']);
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

  it('say when their results are read and what they teach, every shipped one', async () => {
    const taught = Object.fromEntries(await Promise.all((await scenarioNames()).map(async (name) => [name, (await loadScenario(name)).expect])));
    expect(taught).toEqual({ demo: 'microbatch', 'exec-dashboard': 'batch', 'fraud-detection': 'streaming', 'iot-alerts': 'streaming', lakehouse: 'batch', 'ops-dashboard': 'microbatch' });
    // Only the lakehouse scenario serves a warehouse, with its defaults filled in; its drift is the scenario's.
    const lakehouse = await loadScenario('lakehouse');
    expect(lakehouse.lakehouse).toEqual({ landFlushMs: 5_000, curateEveryMs: 15_000, queryRuns: 5, topN: 10 });
    expect(lakehouse.drift?.map((spec) => spec.case)).toEqual(['new-field', 'renamed-field', 'type-change', 'malformed-json']);
    expect((await loadScenario('demo')).lakehouse).toBeUndefined();
    const exec = await loadScenario('exec-dashboard', { quick: true });
    expect(exec.reads).toEqual({ kind: 'cron', cron: '0 9 * * MON', tz: 'Europe/London' });
    // The nightly job's phase is kept through --quick, and its mean period follows from it.
    expect(exec.batch).toMatchObject({ schedule: '0 2 * * *', tz: 'Europe/London', realPeriodMs: 86_400_000, periodMs: 10_000 });
    expect((await loadScenario('ops-dashboard')).reads).toEqual({ kind: 'every', everyMs: 60_000 });
    expect((await loadScenario('fraud-detection')).reads).toEqual({ kind: 'continuous' });
  });

  it('take a weekly schedule as one run every 7 days, and refuse a bad cron, zone or reads, naming it', async () => {
    const text = await readFile(new URL('../../../bench/scenarios/exec-dashboard.yaml', import.meta.url), 'utf8');
    const write = async (name: string, content: string) => {
      const path = join(dir, `${name}.yaml`);
      await writeFile(path, content);
      return path;
    };
    const weekly = await loadScenario(await write('weekly', text.replace('schedule: "0 2 * * *"', 'schedule: "0 23 * * SUN"')));
    expect(weekly.batch.realPeriodMs).toBe(7 * 86_400_000);
    await expect(loadScenario(await write('bad-cron', text.replace('schedule: "0 2 * * *"', 'schedule: "0 2 * * FUNDAY"')))).rejects.toThrow(
      'batch schedule must be a cron of 5 fields',
    );
    await expect(loadScenario(await write('bad-tz', text.replace('tz: Europe/London }   #', 'tz: Europe/Londn }   #')))).rejects.toThrow(
      'batch schedule time zone must be an IANA name such as Europe/London or UTC (got "Europe/Londn")',
    );
    await expect(loadScenario(await write('bad-reads', text.replace('cron: "0 9 * * MON"', 'cron: "9am Mondays"')))).rejects.toThrow(
      '/reads must be a cron of 5 fields',
    );
    await expect(loadScenario(await write('both', text.replace('schedule: "0 2 * * *"', 'schedule: "0 2 * * *", realPeriodMs: 3600000')))).rejects.toThrow(
      'batch: give schedule ("0 2 * * *") or realPeriodMs (3600000), not both',
    );
  });
});
