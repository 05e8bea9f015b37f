import type { DatasetProfile } from '../events/index.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { tierOptionsOf } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import { drainTimeoutFor } from './drain.ts';
import type { TierRunConfig } from './run-tiers.ts';

export type ScenarioRunParts = Pick<TierRunConfig, 'kafka' | 's3' | 'profile' | 'seed' | 'windowMs' | 'partitions' | 'tiers' | 'tierOptions' | 'drainTimeoutMs'>;

/** What the scenario and the services decide of a run of these tiers: the same for a lab run's passes and a soak. */
export function scenarioRunParts(scenario: Scenario, profile: DatasetProfile, services: Services, tiers: TierName[]): ScenarioRunParts {
  return {
    kafka: services.kafka.endpoint,
    s3: services.s3.endpoint,
    profile,
    seed: scenario.seed,
    windowMs: scenario.windowMs ?? profile.windowMs,
    partitions: scenario.partitions,
    tiers,
    tierOptions: tierOptionsOf(scenario),
    drainTimeoutMs: drainTimeoutFor(tiers, scenario),
  };
}
