import type { Probe } from '../capacity/search.ts';
import { TierlabError } from '../errors.ts';
import { systemClock, type Clock } from '../events/index.ts';
import type { Logger } from '../log.ts';
import { scenarioProfile, type Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import type { TierName } from '../tiers/types.ts';
import type { StreamGenerator } from './generator/types.ts';
import { achievedPerSec } from './outcome.ts';
import type { RunProgress } from './run-tiers.ts';
import { runTierAlone } from './tier-alone.ts';

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
 * constant offered rate for stepSec, measured like any run. A tier that errors at this rate has
 * no capacity here: that ends the search, with the reason.
 */
export function capacityProbe(context: ProbeContext): Probe {
  const { tier } = context;
  let step = 0;
  return async (offeredPerSec) => {
    step++;
    const result = await runTierAlone({
      runId: `${context.runId}-s${step}-${tier}`,
      scenario: context.scenario,
      profile: await scenarioProfile(context.scenario),
      services: context.services,
      tier,
      ratePerSec: offeredPerSec,
      durationSec: context.stepSec,
      warmupSec: context.warmupSec,
      generator: context.generator,
      clock: context.clock ?? systemClock,
      logger: context.logger,
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
