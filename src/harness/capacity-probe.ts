import type { Probe } from '../capacity/search.ts';
import { TierlabError } from '../errors.ts';
import { loadDataset, systemClock, type Clock } from '../events/index.ts';
import type { Logger } from '../log.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { holdPeriodMs } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import type { StreamGenerator } from './generator/types.ts';
import { achievedPerSec } from './outcome.ts';
import { runTiers, type RunProgress } from './run-tiers.ts';
import { workerTierRunner } from './worker-runner.ts';

export interface ProbeContext {
  runId: string;
  scenario: Scenario;
  services: Services;
  tier: TierName;
  generator: StreamGenerator;
  stepSec: number;
  /** Seconds at the start of each step kept out of its figures (the new worker's JIT, its group join). */
  warmupSec: number;
  clock?: Clock;
  logger: Logger;
  onProgress?: (progress: RunProgress) => void;
}

/**
 * One capacity step: the tier alone, in a fresh worker process, fed the scenario's stream at a
 * constant offered rate for stepSec, measured like any run. A tier that errors or gets a wrong
 * answer at this rate has no capacity here: that ends the search, with the reason.
 */
export function capacityProbe(context: ProbeContext): Probe {
  const { scenario, services, tier } = context;
  const clock = context.clock ?? systemClock;
  let step = 0;
  return async (offeredPerSec) => {
    step++;
    const profile = await loadDataset(scenario.dataset);
    const result = await runTiers({
      runId: `${context.runId}-s${step}-${tier}`,
      kafka: services.kafka.endpoint,
      s3: services.s3.endpoint,
      profile,
      seed: scenario.seed,
      rate: { kind: 'constant', ratePerSec: offeredPerSec },
      durationMs: context.stepSec * 1000,
      warmupMs: context.warmupSec * 1000,
      windowMs: scenario.windowMs ?? profile.windowMs,
      partitions: scenario.partitions,
      tiers: [tier],
      tierOptions: { batch: scenario.batch, microbatch: scenario.microbatch, streaming: scenario.streaming },
      // A tier that cannot keep up would drain for long; what it left behind is already in its backlog.
      drainTimeoutMs: holdPeriodMs(tier, scenario) + 10_000,
      clock,
      logger: context.logger,
      launch: workerTierRunner,
      generator: context.generator,
      ...(context.onProgress ? { onProgress: context.onProgress } : {}),
    });
    const outcome = result.tiers[0]!;
    if (outcome.state === 'errored') throw new TierlabError('TIER_FAILED', `${tier} errored at ${offeredPerSec}/s: ${outcome.error}`);
    const latency = outcome.latency.summary();
    return {
      achievedPerSec: achievedPerSec(outcome),
      p99Micros: latency.p99Micros,
      count: latency.count,
      backlog: outcome.backlog,
      generatorLagP99Micros: result.generator.lag.p99Micros,
      generatorFellBehind: result.generator.fellBehind,
    };
  };
}
