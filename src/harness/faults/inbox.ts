import type { FaultSpec } from './spec.ts';

/**
 * Faults asked for while a run is going (the live demo's buttons), handed to the pass running
 * then. Outside a pass, or for a fault that pass cannot take, the caller is told why instead.
 */
export class FaultInbox {
  #target: ((fault: FaultSpec) => string | undefined) | undefined;

  /** Injects `fault` into the running pass at once; returns why not when it cannot. */
  inject(fault: FaultSpec): string | undefined {
    return this.#target ? this.#target(fault) : 'no measured stream is running now';
  }

  /** While a pass's stream runs, faults go to `target` (which injects, or says why not); returns the close. */
  open(target: (fault: FaultSpec) => string | undefined): () => void {
    this.#target = target;
    return () => {
      if (this.#target === target) this.#target = undefined;
    };
  }
}
