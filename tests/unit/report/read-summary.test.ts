import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSummary, resolveRun } from '../../../src/results/read-summary.ts';
import { makeRunSummary } from './summary-builder.ts';

let results: string;

beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), 'tierlab-read-summary-'));
  await store('20261124-150355-demo-c02b', JSON.stringify(makeRunSummary()));
  await store('20261124-160000-demo-v1', JSON.stringify({ ...makeRunSummary(), schemaVersion: 1 }));
  await store('20261124-170000-demo-cut', JSON.stringify(makeRunSummary()).slice(0, 200));
  await store('20261124-180000-demo-foreign', JSON.stringify({ name: 'not a summary' }));
});

afterAll(async () => {
  await rm(results, { recursive: true, force: true });
});

async function store(runId: string, text: string): Promise<void> {
  await mkdir(join(results, runId), { recursive: true });
  await writeFile(join(results, runId, 'summary.json'), text);
}

describe('readSummary', () => {
  it('reads a run folder or its summary.json', async () => {
    const dir = join(results, '20261124-150355-demo-c02b');
    expect((await readSummary(dir)).runId).toBe('20261124-150355-demo-c02b');
    expect(await readSummary(join(dir, 'summary.json'))).toEqual(await readSummary(dir));
  });

  it('rejects another schemaVersion with one line naming it and the version this build reads', async () => {
    const path = join(results, '20261124-160000-demo-v1', 'summary.json');
    await expect(readSummary(path)).rejects.toMatchObject({
      code: 'BAD_DATA_FILE',
      message: `${path}: /schemaVersion is 1; this build of tierlab reads summary.json version 3`,
    });
    await expect(readSummary(join(results, '20261124-180000-demo-foreign'))).rejects.toThrow(
      '/schemaVersion is missing; this build of tierlab reads summary.json version 3',
    );
  });

  it('says so for real v1 and v2 files, from runs of earlier builds', async () => {
    for (const version of [1, 2]) {
      const fixture = fileURLToPath(new URL(`../../fixtures/summary-v${version}.json`, import.meta.url));
      await expect(readSummary(fixture)).rejects.toThrow(`${fixture}: /schemaVersion is ${version};`);
    }
  });

  it('reads a real v3 file, from a `tierlab run demo --quick` on this project\'s machine', async () => {
    const summary = await readSummary(fileURLToPath(new URL('../../fixtures/summary.json', import.meta.url)));
    expect(summary.environment.execution).toBe('isolated');
    expect(summary.environment.kafkaClient).toBe('platformatic');
    expect(summary.tiers.streaming!.latency.histogram.length).toBeGreaterThan(20);
    expect(summary.tiers.streaming!.cost.lines.map((line) => line.basis)).toContain('assumed');
    expect(summary.cost.warStory.verdict).toBe('refuted');
  });

  it('names the path of a file that is not JSON, or not there', async () => {
    const cut = join(results, '20261124-170000-demo-cut', 'summary.json');
    await expect(readSummary(cut)).rejects.toMatchObject({ code: 'BAD_DATA_FILE', message: expect.stringContaining(`${cut}: not valid YAML/JSON`) });
    const missing = join(results, 'nothing-here', 'summary.json');
    await expect(readSummary(missing)).rejects.toMatchObject({ code: 'BAD_DATA_FILE', message: `${missing}: cannot be read` });
  });
});

describe('resolveRun', () => {
  it('takes a run id under the results folder, or a path', async () => {
    const dir = join(results, '20261124-150355-demo-c02b');
    expect(await resolveRun('20261124-150355-demo-c02b', results)).toBe(join(dir, 'summary.json'));
    expect(await resolveRun(dir, '/elsewhere')).toBe(join(dir, 'summary.json'));
    expect(await resolveRun(join(dir, 'summary.json'), '/elsewhere')).toBe(join(dir, 'summary.json'));
  });

  it('lists the known runs when the id is unknown', async () => {
    await expect(resolveRun('20990101-000000-nope', results)).rejects.toMatchObject({
      code: 'UNKNOWN_NAME',
      message:
        `no run "20990101-000000-nope" (looked for ${join(results, '20990101-000000-nope')} and 20990101-000000-nope); ` +
        `the newest runs in ${results}: 20261124-150355-demo-c02b, 20261124-160000-demo-v1, 20261124-170000-demo-cut, 20261124-180000-demo-foreign`,
    });
  });
});
