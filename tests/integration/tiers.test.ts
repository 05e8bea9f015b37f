import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { loadDataset, systemClock } from '../../src/events/index.ts';
import type { TierOutcome } from '../../src/harness/outcome.ts';
import { runTiers, type TierRunConfig } from '../../src/harness/run-tiers.ts';
import { kafkaClientNames } from '../../src/kafka/driver/index.ts';
import { projectedLatencyOf } from '../../src/harness/build-summary.ts';
import { silentLogger } from '../../src/log.ts';
import { resolveTierOptions } from '../../src/tiers/registry.ts';

const { kafka, s3 } = inject('services');
const second = 1_000_000;

async function config(overrides: Partial<TierRunConfig>): Promise<TierRunConfig> {
  const profile = await loadDataset('payments');
  return {
    runId: `it-${randomUUID().slice(0, 8)}`,
    kafka,
    s3,
    profile,
    seed: 11,
    rate: { kind: 'constant', ratePerSec: 2_000 },
    // Two batch runs and four triggers: enough for every assertion below (each compares one tier's
    // wait with another's, or with its own processing), and 20 s of stream, not 40.
    durationMs: 20_000,
    warmupMs: 5_000,
    windowMs: profile.windowMs,
    partitions: 6,
    tiers: ['batch', 'microbatch', 'streaming'],
    tierOptions: resolveTierOptions({
      microbatch: { triggerMs: 5_000 },
      batch: { periodMs: 10_000, lake: { flushRecords: 20_000, flushMs: 2_000 } },
    }),
    drainTimeoutMs: 45_000,
    clock: systemClock,
    logger: silentLogger,
    ...overrides,
  };
}

function byName(tiers: TierOutcome[]): Record<string, TierOutcome> {
  return Object.fromEntries(tiers.map((tier) => [tier.name, tier]));
}

// Every tier reaches Kafka through one driver interface; each client must keep every tier correct.
describe.each(kafkaClientNames)('the three tiers on one stream with the %s client (real Kafka and S3)', (kafkaClient) => {
  it('agree with the ground truth, and order by latency as their designs say', async () => {
    const result = await runTiers(await config({ kafkaClient }));
    const outcomes = byName(result.tiers);
    const [batch, microbatch, streaming] = (['batch', 'microbatch', 'streaming'] as const).map((name) => ({
      latency: outcomes[name]!.latency.summary(),
      projectedLatency: projectedLatencyOf(outcomes[name]!, { eventsPerDay: 1e8, schedule: { realPeriodMs: 86_400_000 } }),
    }));
    for (const tier of result.tiers) {
      const { p50Micros, p99Micros, maxMicros, breakdown } = tier.latency.summary();
      console.log(
        `[tiers ${kafkaClient}] ${tier.name}: ${tier.state}, correct ${tier.correct}, p50 ${p50Micros / 1000} ms, p99 ${p99Micros / 1000} ms, ` +
          `max ${maxMicros / 1000} ms, breakdown p50 µs ${JSON.stringify(breakdown)}`,
      );
    }
    expect(result.generator.produced).toBeGreaterThanOrEqual(39_000);
    expect(result.generator.malformed).toBeGreaterThan(0);

    for (const tier of result.tiers) {
      expect(tier.state, `${tier.name}: ${tier.error}`).toBe('ok');
      expect(tier.mismatches, tier.name).toEqual([]);
      expect(tier.correct, tier.name).toBe(true);
      // Every record is either counted or in the dead-letter topic, and the topic holds them all.
      expect(tier.deadLetters, tier.name).toMatchObject({ reconciles: true, rejected: result.generator.malformed });
      expect(tier.visible, tier.name).toBe(result.validEvents);
    }

    // What each tier's design makes true on any machine, busy or not; how fast they are is for the
    // benchmarks (npm run bench, tierlab floor), not for a correctness test.
    expect(streaming!.latency.p50Micros).toBeLessThan(microbatch!.latency.p50Micros);
    expect(microbatch!.latency.p50Micros).toBeLessThan(batch!.latency.p50Micros);
    // Micro-batch latency is mostly waiting for the trigger, not work.
    expect(microbatch!.latency.breakdown.wait).toBeGreaterThan(microbatch!.latency.breakdown.processing);
    // Batch: the wait for the (compressed) schedule dominates.
    expect(batch!.latency.breakdown.wait).toBeGreaterThan(batch!.latency.breakdown.processing);
    // Under the real daily schedule the wait scales up: hours, not seconds.
    expect(batch!.projectedLatency!.p50Micros).toBeGreaterThan(3600 * second);
  }, 240_000);

  it('reports a tier whose worker throws as errored, and the others still finish', async () => {
    const result = await runTiers(
      await config({
        kafkaClient,
        durationMs: 15_000,
        warmupMs: 0,
        tiers: ['microbatch', 'streaming'],
        tierOptions: resolveTierOptions({ microbatch: { triggerMs: 2_000 }, streaming: { failAfterEvents: 5_000 } }),
        drainTimeoutMs: 15_000,
      }),
    );
    const { microbatch, streaming } = byName(result.tiers);
    expect(streaming!.state).toBe('errored');
    expect(streaming!.error).toContain('injected fault: streaming worker failed after 5000 events');
    expect(microbatch!.state).toBe('ok');
    expect(microbatch!.correct).toBe(true);
    expect(microbatch!.deadLetters.reconciles).toBe(true);
  }, 120_000);
});
