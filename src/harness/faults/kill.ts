import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../../errors.ts';
import type { TierRunner } from '../tier-runner.ts';
import { committedBaseline } from './baseline.ts';
import type { restartableRunner } from './restartable.ts';
import type { ScaledRunner } from '../scaled-runner.ts';
import type { FaultContext, InjectedFault } from './types.ts';
import type { FaultSpec } from './spec.ts';

type Restartable = ReturnType<typeof restartableRunner>;

/**
 * kill:TIER@T: SIGKILLs the tier's worker T after the stream starts and has a new one take over.
 * Its recovery ends at the first result the new worker makes visible.
 */
export async function injectKill(fault: Extract<FaultSpec, { kind: 'kill' }>, index: number, context: FaultContext): Promise<InjectedFault | undefined> {
  const { clock, sampler, kafka } = context.config;
  const runner = context.runners.find((r) => r.name === fault.tier) as (TierRunner & Partial<Restartable>) | undefined;
  const spec = context.specs.get(fault.tier);
  if (!runner?.restart || !spec) return undefined;
  await sleep(Math.max(0, (context.startMicros + fault.atMs * 1000 - clock.nowMicros()) / 1000));
  try {
    const worker = fault.worker === undefined ? undefined : fault.worker - 1;
    const scaled = runner as Partial<ScaledRunner>;
    if (worker !== undefined && worker >= (scaled.workers?.length ?? 1)) {
      context.onError(fault.tier, `${fault.text}: ${fault.tier} runs ${scaled.workers?.length ?? 1} worker process(es); there is no worker ${fault.worker}`);
      return undefined;
    }
    const restart = await runner.restart(() => clock.nowMicros(), () => committedBaseline(context.admin, kafka, spec), worker);
    // The new worker's CPU and memory are the tier's too: lab-run adds `tier:NAME#n` into `tier:NAME`.
    const replaced = scaled.workers?.[worker ?? 0] ?? runner;
    if (replaced.pid !== process.pid) sampler?.watch(`tier:${fault.tier}#${index + 1}`, replaced.pid);
    return {
      records: () => [{ spec: fault.text, tier: fault.tier, atMicros: restart.killedAtMicros, recoveryMicros: restart.recoveryMicros() ?? null }],
    };
  } catch (error) {
    context.onError(fault.tier, `the worker could not be replaced after ${fault.text}: ${describeError(error)}`);
    return undefined;
  }
}
