import type { Clock, DatasetProfile } from '../events/index.ts';
import type { KafkaClientName } from '../kafka/driver/types.ts';
import type { Logger } from '../log.ts';
import type { ResourceSampler } from '../metrics/resources.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { holdPeriodMs, tierOptionsOf } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import type { StreamGenerator } from './generator/types.ts';
import { runTiers, type RunProgress, type TierRunResult } from './run-tiers.ts';
import { localTierRunner } from './tier-runner.ts';
import { workerTierRunner } from './worker-runner.ts';

export interface TierAloneOptions {
  runId: string;
  scenario: Scenario;
  profile: DatasetProfile;
  services: Services;
  tier: TierName;
  /** The tier's Node Kafka client (default: defaultKafkaClient). */
  kafkaClient?: KafkaClientName;
  /** Offered open loop, constant. */
  ratePerSec: number;
  durationSec: number;
  /** Seconds at the start kept out of the figures (the new worker's JIT, its group join). */
  warmupSec: number;
  generator: StreamGenerator;
  clock: Clock;
  logger: Logger;
  sampler?: ResourceSampler;
  onProgress?: (progress: RunProgress) => void;
  /** Run the tier in this process rather than a worker of its own (the floor's in-process row). */
  inProcess?: boolean;
}

/**
 * One tier alone, in a fresh worker process, fed the scenario's dataset at a constant offered
 * rate: a capacity step, a floor row. A tier that falls behind is not waited for long; what it
 * left undone shows in its backlog and its achieved rate.
 */
export function runTierAlone(options: TierAloneOptions): Promise<TierRunResult> {
  const { scenario, tier } = options;
  return runTiers({
    runId: options.runId,
    kafka: options.services.kafka.endpoint,
    ...(options.kafkaClient ? { kafkaClient: options.kafkaClient } : {}),
    s3: options.services.s3.endpoint,
    profile: options.profile,
    seed: scenario.seed,
    rate: { kind: 'constant', ratePerSec: options.ratePerSec },
    durationMs: options.durationSec * 1000,
    warmupMs: options.warmupSec * 1000,
    windowMs: scenario.windowMs ?? options.profile.windowMs,
    partitions: scenario.partitions,
    tiers: [tier],
    tierOptions: tierOptionsOf(scenario),
    drainTimeoutMs: holdPeriodMs(tier, scenario) + 10_000,
    clock: options.clock,
    logger: options.logger,
    launch: options.inProcess ? (spec) => localTierRunner(spec, options.logger.child({ tier: spec.name }), options.clock) : (spec) => workerTierRunner(spec),
    generator: options.generator,
    ...(options.sampler ? { sampler: options.sampler } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
