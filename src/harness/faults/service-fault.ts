import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../../errors.ts';
import type { RestartableService } from '../../services/types.ts';
import type { FaultContext, FaultRecord, InjectedFault } from './types.ts';
import { serviceOf, type ServiceFault } from './spec.ts';

/** The resource sampler's name for each service's process (lab-run.ts), and its restarts' (`NAME#n`). */
const samplerNames = { kafka: 'kafka-broker', s3: 's3-server' } as const;

/**
 * broker-restart@T and s3-outage@T+D: T after the stream starts, stops the server cleanly and
 * starts it again on the same data, at once (broker-restart) or D after the fault began
 * (s3-outage). Every tier of the pass gets a record: its recovery runs from the fault to the first
 * result it made visible once the server was down (a result acknowledged during the server's
 * clean shutdown does not end it).
 */
export async function injectServiceFault(fault: ServiceFault, index: number, context: FaultContext): Promise<InjectedFault | undefined> {
  const { clock, sampler } = context.config;
  const service: RestartableService | undefined = context.services?.[serviceOf(fault)];
  // availability.ts refuses such a run before it starts; a caller that skipped it gets no fault, and is told.
  if (!service) {
    for (const runner of context.runners) context.onError(runner.name, `${fault.text}: this run's ${serviceOf(fault)} server cannot be restarted`);
    return undefined;
  }
  await sleep(Math.max(0, (context.startMicros + fault.atMs * 1000 - clock.nowMicros()) / 1000));
  const atMicros = clock.nowMicros();
  let downMicros: number | undefined;
  let upMicros: number | undefined;
  try {
    await service.down();
    downMicros = clock.nowMicros();
    for (const runner of context.runners) runner.watchRecovery?.(downMicros);
    if (fault.kind === 's3-outage') await sleep(Math.max(0, (atMicros + fault.forMs * 1000 - clock.nowMicros()) / 1000));
    await service.up();
    upMicros = clock.nowMicros();
    sampler?.watch(`${samplerNames[serviceOf(fault)]}#${index + 1}`, service.pid);
  } catch (error) {
    for (const runner of context.runners) context.onError(runner.name, `${fault.text}: the ${serviceOf(fault)} server could not be ${downMicros === undefined ? 'stopped' : 'started again'}: ${describeError(error)}`);
  }
  return {
    records: () =>
      context.runners.map((runner): FaultRecord => {
        const first = downMicros === undefined ? undefined : runner.health().visibleSince?.[String(downMicros)];
        return {
          spec: fault.text,
          tier: runner.name,
          atMicros,
          recoveryMicros: first === undefined ? null : first - atMicros,
          ...(upMicros !== undefined ? { outageMicros: upMicros - atMicros } : {}),
        };
      }),
  };
}
