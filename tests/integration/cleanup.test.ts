import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findStores, ofRun, removeStores } from '../../src/harness/cleanup.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { runCli, startCli } from './cli.ts';

const { kafka, s3 } = inject('services');
const out = await mkdtemp(join(tmpdir(), 'tierlab-it-cleanup-'));
afterAll(() => rm(out, { recursive: true, force: true }));
const scenario = new URL('./fixtures/jvm-engine.yaml', import.meta.url).pathname;

/** The one run a CLI call wrote into its --out folder. */
const onlyRun = async (dir: string) => (await readdir(dir))[0]!;

/*
 * Issue 19, item 6: a run removes the topics, consumer groups and buckets it made when it ends,
 * unless --keep, and `tierlab clean` removes what older runs left. Other files' runs share this
 * broker and lake, so nothing here removes anything by a rule that could take theirs.
 */
describe("a run's topics, consumer groups and buckets (real Kafka and S3)", () => {
  it('are removed when the run ends, and kept with --keep', async () => {
    const gone = join(out, 'gone');
    const first = await runCli(['tier', 'batch', '--scenario', scenario, '--no-warmup', '--out', gone]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/removed the run's \d+ topics, \d+ consumer groups and 1 buckets/);
    expect(await findStores(kafka, s3, ofRun(await onlyRun(gone)))).toEqual({ topics: [], groups: [], buckets: [] });

    const kept = join(out, 'kept');
    // The streaming tier, quicker to drain, for the topics and the group alone.
    const second = await runCli(['tier', 'streaming', '--scenario', scenario, '--no-warmup', '--keep', '--out', kept]);
    expect(second.code, second.stderr).toBe(0);
    const stores = await findStores(kafka, s3, ofRun(await onlyRun(kept)));
    expect(stores.topics.length).toBeGreaterThanOrEqual(3); // events, results, dead letters
    expect(stores.groups.length).toBeGreaterThanOrEqual(1);
    await removeStores(kafka, s3, stores);
  });

  it('`tierlab clean` removes what a run that was killed left, and not what a newer one holds', async () => {
    const killed = '20200101-000000-cleanup-test-0000';
    const running = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}-cleanup-test-0001`;
    const admin = createKafkaClient(kafka, { clientId: 'tierlab-it-cleanup' }).admin();
    const client = createS3Client(s3);
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: `tierlab.${killed}.events` }, { topic: `tierlab.${running}.events` }], waitForLeaders: true });
      for (const id of [killed, running]) await client.send(new CreateBucketCommand({ Bucket: `tierlab-${id}-batch` }));

      const listed = await runCli(['clean', '--older-than', '1d', '--dry-run']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(`topic tierlab.${killed}.events`);
      expect(listed.stdout).not.toContain(running);
      expect(await findStores(kafka, s3, ofRun(killed))).toMatchObject({ topics: [`tierlab.${killed}.events`], buckets: [`tierlab-${killed}-batch`] });

      const cleaned = await runCli(['clean', '--older-than', '1d']);
      expect(cleaned.code, cleaned.stderr).toBe(0);
      expect(await findStores(kafka, s3, ofRun(killed))).toEqual({ topics: [], groups: [], buckets: [] });
      const newer = await findStores(kafka, s3, ofRun(running));
      expect(newer).toMatchObject({ topics: [`tierlab.${running}.events`], buckets: [`tierlab-${running}-batch`] });
      await removeStores(kafka, s3, newer);
    } finally {
      await admin.disconnect();
      client.destroy();
    }
  });

  it('a run killed half-way leaves no run folder that could pass for a result', async () => {
    // A scenario of its own name, so the stores it leaves are found by name without touching other files' runs.
    const killedScenario = join(out, 'killed-run.yaml');
    await writeFile(killedScenario, (await readFile(scenario, 'utf8')).replace('durationSec: 15', 'durationSec: 60'));
    const dir = join(out, 'killed');
    const child = startCli(['tier', 'streaming', '--scenario', killedScenario, '--no-warmup', '--out', dir]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    // Killed once events flow and results are being written: the point a folder made at the start would already hold files.
    while (!/generating .*[1-9][\d,]* events produced/.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`the run ended before it was killed:\n${stderr}`);
      await sleep(200);
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    const left = await findStores(kafka, s3, (name) => name.includes('-killed-run-'));
    expect(left.topics.length, 'the killed run had made its topics').toBeGreaterThan(0);
    await removeStores(kafka, s3, left);
  }, 120_000);

  it('refuses an --older-than that is not a duration, naming it', async () => {
    const ran = await runCli(['clean', '--older-than', 'yesterday']);
    expect(ran.code).toBe(2); // bad input, as for every command
    expect(ran.stderr).toContain('--older-than must be a duration such as 500ms, 30s, 2m, 1h or 1d (got "yesterday")');
  });
});
