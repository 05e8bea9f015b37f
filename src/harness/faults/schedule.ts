import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { describeError } from '../../errors.ts';
import type { Clock } from '../../events/index.ts';
import type { ResourceSampler } from '../../metrics/resources.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import type { TierName } from '../../tiers/types.ts';
import type { TierRunner, TierSpec } from '../tier-runner.ts';
import { committedBaseline } from './baseline.ts';
import type { Restart, restartableRunner } from './restartable.ts';
import type { FaultSpec } from './spec.ts';

/** summary.json's faults[]: DESIGN.md section 6. */
export interface FaultRecord {
  spec: string;
  tier: TierName;
  /** When the worker was killed, µs on the run's clock. */
  atMicros: number;
  /** From the kill to the first result the new worker made visible; null if it never did. */
  recoveryMicros: number | null;
}

type Restartable = ReturnType<typeof restartableRunner>;

/**
 * Kills each faulted tier's worker at its time after the stream starts and has a new one take
 * over; resolves, once every fault has been injected, with each one's restart.
 */
export async function scheduleFaults(
  faults: FaultSpec[],
  context: {
    runners: TierRunner[];
    specs: Map<TierName, TierSpec>;
    admin: Admin;
    config: { kafka: KafkaEndpoint; clock: Clock; sampler?: ResourceSampler };
    startMicros: number;
    onError: (tier: TierName, error: string) => void;
  },
): Promise<Array<{ fault: FaultSpec; restart: Restart }>> {
  const { clock, sampler, kafka } = context.config;
  const injected = await Promise.all(
    faults.map(async (fault, index) => {
      const runner = context.runners.find((r) => r.name === fault.tier) as Restartable | undefined;
      const spec = context.specs.get(fault.tier);
      if (!runner || !spec) return undefined;
      await sleep(Math.max(0, (context.startMicros + fault.atMs * 1000 - clock.nowMicros()) / 1000));
      try {
        const restart = await runner.restart(() => clock.nowMicros(), () => committedBaseline(context.admin, kafka, spec));
        // The new worker's CPU and memory are the tier's too: lab-run adds `tier:NAME#n` into `tier:NAME`.
        if (runner.pid !== process.pid) sampler?.watch(`tier:${fault.tier}#${index + 1}`, runner.pid);
        return { fault, restart };
      } catch (error) {
        context.onError(fault.tier, `the worker could not be replaced after ${fault.text}: ${describeError(error)}`);
        return undefined;
      }
    }),
  );
  return injected.filter((entry) => entry !== undefined);
}
