import type { FaultContext, InjectedFault } from './types.ts';
import { injectKill } from './kill.ts';
import { injectServiceFault } from './service-fault.ts';
import type { FaultSpec } from './spec.ts';

/**
 * Injects each fault at its time after the stream starts; resolves once every one has been.
 * `firstIndex` numbers the replaced processes (`tier:NAME#n`) after faults injected before.
 */
export async function scheduleFaults(faults: FaultSpec[], context: FaultContext, firstIndex = 0): Promise<InjectedFault[]> {
  const injected = await Promise.all(
    faults.map((fault, i) => (fault.kind === 'kill' ? injectKill(fault, firstIndex + i, context) : injectServiceFault(fault, firstIndex + i, context))),
  );
  return injected.filter((entry) => entry !== undefined);
}
