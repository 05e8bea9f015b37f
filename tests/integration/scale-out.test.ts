import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { compareAggregates, loadDataset, systemClock } from '../../src/events/index.ts';
import { restartableRunner } from '../../src/harness/faults/restartable.ts';
import { expectedResultOf } from '../../src/harness/generator/ground-truth.ts';
import { inProcessGenerator } from '../../src/harness/generator/send.ts';
import type { StreamPlan } from '../../src/harness/generator/types.ts';
import { bucketFor, topicsFor } from '../../src/harness/launch.ts';
import { scaledRunner } from '../../src/harness/scaled-runner.ts';
import { readCommittedResultOf, type TierSpec } from '../../src/harness/tier-runner.ts';
import { workerTierRunner } from '../../src/harness/worker-runner.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { defaultKafkaClient } from '../../src/kafka/driver/index.ts';
import { ensureTopic } from '../../src/kafka/topics.ts';
import { silentLogger } from '../../src/log.ts';
import { readSummary } from '../../src/results/read-summary.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { resolveTierOptions } from '../../src/tiers/registry.ts';
import { runCli } from './cli.ts';

const { kafka, s3 } = inject('services');
const out = await mkdtemp(join(tmpdir(), 'tierlab-it-scale-out-'));
afterAll(() => rm(out, { recursive: true, force: true }));

/*
 * Issue 19, item 9: a tier as several worker processes in one consumer group (`--workers
 * streaming=N`). The group moves partitions between them; a worker handed one that another has
 * had restores that partition's windows from the results topic before it goes on.
 */
describe('streaming as two worker processes in one group (real Kafka)', () => {
  it('a worker that joins mid-stream takes over partitions the first had, restoring their windows: equal to the ground truth', async () => {
    const profile = await loadDataset('payments');
    const runId = `scale-${randomUUID().slice(0, 8)}`;
    const topics = topicsFor(runId, 'streaming');
    const partitions = 6;
    const admin = createKafkaClient(kafka, { clientId: 'tierlab-scale-out-test' }).admin();
    await admin.connect();
    const generator = await inProcessGenerator(kafka);
    try {
      await ensureTopic(admin, topics.events, partitions);
      await ensureTopic(admin, topics.results, partitions, { 'cleanup.policy': 'compact' });
      await ensureTopic(admin, topics.deadLetter, 1);
      const spec = (index: number): TierSpec => ({
        name: 'streaming',
        runId,
        kafka,
        kafkaClient: defaultKafkaClient,
        s3,
        bucket: bucketFor(runId, 'streaming'),
        topics,
        windowMs: profile.windowMs,
        rules: profile.rules,
        tierOptions: resolveTierOptions({ streaming: { workers: 2 } }),
        engineCacheDir: serviceSettingsFrom(process.env).engineCacheDir,
        worker: { index, of: 2 },
      });
      const first = restartableRunner(() => workerTierRunner(spec(0)));
      const second = restartableRunner(() => workerTierRunner(spec(1)));
      const tier = scaledRunner([first, second]);
      await first.start();
      const startMicros = systemClock.nowMicros() + 500_000;
      const window = { warmupEndsMicros: startMicros, generatorEndsMicros: startMicros + 16_000_000 };
      await first.measure(window);
      const plan: StreamPlan = { profile, seed: 19, rate: { kind: 'constant', ratePerSec: 2_000 }, startMicros, durationMs: 16_000, windowMs: profile.windowMs, topic: topics.events, partitions };
      const sending = generator.generate(plan);
      // The second joins once the first has applied a few seconds of every partition.
      while (first.health().visible < 8_000) await sleep(100);
      await second.start(window);
      await second.measure(window);
      const { report } = await sending;
      const deadline = Date.now() + 90_000;
      while (tier.health().counts.accepted + tier.health().counts.rejected < report.produced && Date.now() < deadline) await sleep(250);
      const result = await tier.stop();
      const expected = await expectedResultOf(plan);
      const comparison = compareAggregates(expected.groundTruth.result(), await readCommittedResultOf(spec(0), silentLogger));
      console.log(`[scale-out] produced ${report.produced}; ${JSON.stringify(result.health.takeovers)}; ${JSON.stringify(result.facts)}`);
      // The result is the ground truth, and the second took partitions over, each restored before it was applied to.
      expect(comparison.mismatches.slice(0, 5)).toEqual([]);
      expect(comparison.equal).toBe(true);
      expect(result.health.counts.accepted + result.health.counts.rejected).toBe(report.produced);
      expect(result.facts.partitionTakeovers).toBeGreaterThan(0);
      for (const takeover of result.health.takeovers ?? []) expect(takeover.firstVisibleMicros).toBeGreaterThanOrEqual(takeover.atMicros);
    } finally {
      await generator.close();
      await admin.disconnect();
    }
  }, 180_000);

  it('`--workers streaming=2 --fault kill:streaming#2@6s`: one killed, replaced; correct, nothing unseen or twice, the pause measured', async () => {
    const scenario = new URL('./fixtures/scale-out.yaml', import.meta.url).pathname;
    const dir = join(out, 'killed');
    const ran = await runCli(['tier', 'streaming', '--scenario', scenario, '--no-warmup', '--workers', 'streaming=2', '--fault', 'kill:streaming#2@6s', '--out', dir]);
    expect(ran.code, ran.stderr).toBe(0);
    const summary = await readSummary(join(dir, (await readdir(dir))[0]!));
    const streaming = summary.tiers.streaming!;
    expect(streaming.scaleOut).toMatchObject({ workers: 2 });
    expect(streaming.state).toBe('ok');
    expect(streaming.correct).toBe(true);
    expect(streaming.unseen).toBe(0);
    expect(streaming.appliedTwice).toBe(0);
    expect(streaming.deadLetters.reconciles).toBe(true);
    const [kill] = summary.faults ?? [];
    expect(kill).toMatchObject({ spec: 'kill:streaming#2@6s', tier: 'streaming' });
    // The group waits out the dead member's session (10 s) before it hands its partitions on.
    expect(kill!.recoveryMicros).toBeGreaterThan(1_000_000);
    expect(ran.stdout).toMatch(/fault kill:streaming#2@6s: recovered in .+; streaming correct, unseen 0, applied twice 0/);
  }, 180_000);

  it('refuses more than one worker for an engine that runs as one, naming the engines that can', async () => {
    const ran = await runCli(['tier', 'batch', '--scenario', new URL('./fixtures/scale-out.yaml', import.meta.url).pathname, '--workers', 'batch=2', '--out', join(out, 'refused')]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('--workers batch=2: batch workers 2: the node engine runs as one worker process; more than one runs on streaming (node)');
  });
});
