import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { compareAggregates, loadDataset, systemClock } from '../../src/events/index.ts';
import { expectedResultOf } from '../../src/harness/generator/ground-truth.ts';
import { inProcessGenerator } from '../../src/harness/generator/send.ts';
import type { StreamPlan } from '../../src/harness/generator/types.ts';
import { bucketFor, topicsFor } from '../../src/harness/launch.ts';
import { tierContextOf, type TierSpec } from '../../src/harness/tier-runner.ts';
import { workerTierRunner } from '../../src/harness/worker-runner.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { defaultKafkaClient, kafkaClientNames, type KafkaClientName } from '../../src/kafka/driver/index.ts';
import { ensureTopic, highWatermarks } from '../../src/kafka/topics.ts';
import { silentLogger } from '../../src/log.ts';
import type { KafkaEndpoint, S3Endpoint } from '../../src/services/types.ts';
import type { Guarantee } from '../../src/tiers/guarantee.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { createTier, resolveTierOptions } from '../../src/tiers/registry.ts';

const { kafka, s3 } = inject('services');

type RestartableTier = 'streaming' | 'microbatch';

/**
 * Issue 11: a worker that dies leaves its windows in the results topic; a new worker restores them
 * and goes on from the group's committed offsets, skipping what the dead one had already applied.
 *
 * The first worker runs in a process of its own and kills itself with SIGKILL (killAfterEvents)
 * right after a results write is acknowledged and before its offsets are committed: the worst
 * moment for at-least-once, so the new worker is sure to read again events that are already in
 * the results. Nothing is flushed, committed or closed, and its group membership lingers until
 * the session times out (30 s), as after a real crash. The second worker, in this process, is a
 * fresh tier with the same run, group and topics.
 */
async function crashAndRestart(
  tier: RestartableTier,
  kafkaClient: KafkaClientName,
  endpoints: { kafka: KafkaEndpoint; s3: S3Endpoint },
  guarantee: Guarantee = 'at-least-once',
  firstWorker: { killAfterEvents?: number; failTransactionAfterEvents?: number } = { killAfterEvents: 8_000 },
  windows: { windowMs?: number; allowedLatenessMs?: number } = {},
) {
  const profile = await loadDataset('payments');
  const windowMs = windows.windowMs ?? profile.windowMs;
  const runId = `restart-${randomUUID().slice(0, 8)}`;
  const topics = topicsFor(runId, tier);
  const partitions = 6;
  const admin = createKafkaClient(endpoints.kafka, { clientId: 'tierlab-restart-test' }).admin();
  await admin.connect();
  const generator = await inProcessGenerator(endpoints.kafka);
  try {
    await ensureTopic(admin, topics.events, partitions);
    await ensureTopic(admin, topics.results, partitions);
    await ensureTopic(admin, topics.deadLetter, 1);
    const lateness = windows.allowedLatenessMs === undefined ? {} : { allowedLatenessMs: windows.allowedLatenessMs };
    const tierOverrides = tier === 'microbatch' ? { triggerMs: 2_000, ...lateness } : { guarantee, ...lateness };
    const spec = (extra: object): TierSpec => ({
      name: tier,
      runId,
      kafka: endpoints.kafka,
      kafkaClient,
      s3: endpoints.s3,
      bucket: bucketFor(runId, tier),
      topics,
      windowMs,
      rules: profile.rules,
      tierOptions: resolveTierOptions({ [tier]: { ...tierOverrides, ...extra } }),
      engineCacheDir: serviceSettingsFrom(process.env).engineCacheDir,
    });

    const first = workerTierRunner(spec(firstWorker));
    await first.start();
    const startMicros = systemClock.nowMicros() + 500_000;
    const durationMs = 20_000;
    await first.measure({ warmupEndsMicros: startMicros, generatorEndsMicros: startMicros + durationMs * 1000 });
    const plan: StreamPlan = { profile, seed: 11, rate: { kind: 'constant', ratePerSec: 2_000 }, startMicros, durationMs, windowMs, topic: topics.events, partitions };
    let sendingDone = false;
    const sending = generator.generate(plan).finally(() => (sendingDone = true));

    // The first worker dies by its own hand (a SIGKILL, or ending itself after a failed transaction), mid-stream.
    const deadline = Date.now() + 30_000;
    while (first.health().state !== 'errored' && Date.now() < deadline) await sleep(50);
    const firstDeath = { error: first.health().error ?? '', whileSending: !sendingDone, alive: processAlive(first.pid) };

    // A new worker: same run, group and topics; it restores its windows before consuming.
    let visibleReported = 0;
    const second = await createTier(tier, tierContextOf(spec({}), silentLogger, (batch) => (visibleReported += batch.events.length)), spec({}).tierOptions);
    await second.start();
    const { report } = await sending;

    // Drained when the group has committed every partition's end offset.
    const groupId = `tierlab-${runId}-${tier}`;
    const ends = await highWatermarks(admin, topics.events);
    const drainDeadline = Date.now() + 90_000;
    let drained = false;
    while (!drained && Date.now() < drainDeadline && second.health().state === 'running') {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.events] });
      drained = [...ends].every(([partition, end]) => BigInt(committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1') >= end);
      if (!drained) await sleep(250);
    }
    await second.stop();
    const health = second.health();
    const facts = second.facts();
    const expected = await expectedResultOf(plan);
    const comparison = compareAggregates(expected.groundTruth.result(), await second.readCommittedResult());
    return { firstDeath, produced: report.produced, validEvents: expected.groundTruth.events, drained, health, facts, comparison: { ...comparison, expectedWindows: expected.groundTruth.size }, visibleReported };
  } finally {
    await generator.close();
    await admin.disconnect();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(kafkaClientNames)('a tier worker killed mid-stream with the %s client (real Kafka)', (kafkaClient) => {
  it.each(['streaming', 'microbatch'] as const)('%s: a new worker restores the windows and ends equal to the ground truth', async (tier) => {
    const run = await crashAndRestart(tier, kafkaClient, { kafka, s3 });
    console.log(
      `[restart ${kafkaClient} ${tier}] produced ${run.produced}, first died: ${run.firstDeath.error}; second: ${JSON.stringify(run.health.counts)}, ` +
        `${JSON.stringify(run.facts)}, mismatches ${run.comparison.mismatches.length}`,
    );
    // The first worker really crashed (SIGKILL), and before the stream ended.
    expect(run.firstDeath.error).toMatch(/SIGKILL/);
    expect(run.firstDeath.alive).toBe(false);
    expect(run.firstDeath.whileSending).toBe(true);
    // The second ran to the end of the stream, cleanly.
    expect(run.drained).toBe(true);
    expect(run.health.state).toBe('stopped');
    // It restored windows, and met events again that were already in them: the restore is what kept them from counting twice.
    expect(run.facts.restoredWindows).toBeGreaterThan(0);
    expect(run.health.counts.duplicatesSkipped ?? 0).toBeGreaterThan(0);
    // Its committed result is the ground truth: nothing lost, nothing counted twice.
    expect(run.comparison.mismatches.slice(0, 5)).toEqual([]);
    expect(run.comparison.equal).toBe(true);
  }, 240_000);
});

/*
 * Issue 19, item 5: windows of 2 s that close 4 s after their end, so a 20 s stream closes most of
 * them. Both workers forget windows as they close; the new one leaves closed windows out of its
 * restore except those a replay from the committed offsets can reach, and still ends equal to the
 * ground truth (no event of the stream is late: each partition is written in event-time order).
 */
describe('a worker that forgets closed windows, killed mid-stream (real Kafka)', () => {
  it.each(['streaming', 'microbatch'] as const)('%s: the restarted worker holds only open windows and ends equal to the ground truth', async (tier) => {
    const run = await crashAndRestart(tier, defaultKafkaClient, { kafka, s3 }, 'at-least-once', { killAfterEvents: 8_000 }, { windowMs: 2_000, allowedLatenessMs: 4_000 });
    console.log(`[restart ${tier}, 2 s windows] second: ${JSON.stringify(run.health.counts)}, ${JSON.stringify(run.facts)}`);
    expect(run.firstDeath.error).toMatch(/SIGKILL/);
    expect(run.drained).toBe(true);
    expect(run.health.counts.rejectedByReason).not.toHaveProperty('late');
    expect(run.facts.evictedWindows).toBeGreaterThan(0);
    // Of the stream's 20 s, a window is held for its 2 s and 4 s of lateness: the newest third at most.
    expect(run.facts.heldWindows).toBeLessThan(run.comparison.expectedWindows / 2);
    expect(run.comparison.mismatches.slice(0, 5)).toEqual([]);
    expect(run.comparison.equal).toBe(true);
  }, 240_000);
});

/*
 * Exactly-once: the first worker dies inside a transaction, after its results and offsets were
 * sent and before the commit. The broker aborts that transaction when the new worker's producer
 * (same transactional id) starts, so its results never become visible and its offsets never
 * commit: the new worker restores only committed windows, meets no event already applied, and
 * reads the aborted events again.
 */
describe.each(kafkaClientNames)('an exactly-once streaming worker killed inside a transaction with the %s client (real Kafka)', (kafkaClient) => {
  it('a new worker aborts it, applies nothing twice, and ends equal to the ground truth', async () => {
    const run = await crashAndRestart('streaming', kafkaClient, { kafka, s3 }, 'exactly-once');
    console.log(`[restart ${kafkaClient} streaming exactly-once] produced ${run.produced}, first died: ${run.firstDeath.error}; second: ${run.health.state} ${run.health.error ?? ""} ${JSON.stringify(run.health.counts)}, ${JSON.stringify(run.facts)}`);
    expect(run.firstDeath.error).toMatch(/SIGKILL/);
    expect(run.firstDeath.whileSending).toBe(true);
    expect(run.drained).toBe(true);
    expect(run.facts).toMatchObject({ guarantee: 'exactly-once' });
    expect(run.facts.restoredWindows).toBeGreaterThan(0);
    // Committed results and committed offsets moved together, so nothing read again was already applied.
    expect(run.health.counts.duplicatesSkipped ?? 0).toBe(0);
    expect(run.comparison.mismatches.slice(0, 5)).toEqual([]);
    expect(run.comparison.equal).toBe(true);
  }, 240_000);
});

/*
 * Issue 19, item 8: under exactly-once, a transaction that fails (here on purpose, before it
 * commits) leaves the worker's windows ahead of what is committed. The worker ends itself, saying
 * why, so that the harness replaces it as it replaces a crashed one; the replacement restores
 * the committed windows, goes on from the committed offsets, and nothing is applied twice.
 */
describe('an exactly-once streaming worker whose transaction fails (real Kafka)', () => {
  it('ends itself instead of erroring the tier, and a new worker retries: equal to the ground truth, nothing twice', async () => {
    const run = await crashAndRestart('streaming', defaultKafkaClient, { kafka, s3 }, 'exactly-once', { failTransactionAfterEvents: 8_000 });
    console.log(`[restart streaming exactly-once, failed transaction] first ended: ${run.firstDeath.error}; second: ${run.health.state} ${JSON.stringify(run.health.counts)}`);
    expect(run.firstDeath.error).toMatch(/exited \(75\) before it stopped: .*a transaction failed: .*injected fault/);
    expect(run.firstDeath.alive).toBe(false);
    expect(run.drained).toBe(true);
    expect(run.health.counts.duplicatesSkipped ?? 0).toBe(0);
    expect(run.comparison.mismatches.slice(0, 5)).toEqual([]);
    expect(run.comparison.equal).toBe(true);
  }, 240_000);
});
