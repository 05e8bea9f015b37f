import type { Admin } from 'kafkajs';
import type { Clock } from '../../events/index.ts';
import type { ResourceSampler } from '../../metrics/resources.ts';
import type { KafkaEndpoint, RestartableService } from '../../services/types.ts';
import type { TierName } from '../../tiers/types.ts';
import type { TierRunner, TierSpec } from '../tier-runner.ts';

/** summary.json's faults[]: docs/outputs.md. One record per tier the fault hit. */
export interface FaultRecord {
  spec: string;
  tier: TierName;
  /** When the fault began (the kill, the server's stop), µs on the run's clock. */
  atMicros: number;
  /** From the fault to the first result the tier made visible after it; null if it never did. */
  recoveryMicros: number | null;
  /** Service faults: from the fault until the server served again. */
  outageMicros?: number;
  /** A worker that ended without being asked to (not a --fault), replaced as an orchestrator would. */
  unplanned?: true;
}

/** The servers a service fault can stop and start (native services this session owns). */
export interface FaultServices {
  kafka?: RestartableService;
  s3?: RestartableService;
}

export interface FaultContext {
  runners: TierRunner[];
  specs: Map<TierName, TierSpec>;
  admin: Admin;
  config: { kafka: KafkaEndpoint; clock: Clock; sampler?: ResourceSampler };
  services?: FaultServices;
  startMicros: number;
  onError: (tier: TierName, error: string) => void;
}

/** A fault that was injected; its records are read once the tiers have drained, before they stop. */
export interface InjectedFault {
  records(): FaultRecord[];
}
