/**
 * One fault from the page at a time per tier or service: a second kill of a worker that is
 * still being replaced, or a second broker restart while the broker is down, would stack faults
 * the run cannot tell apart. What a fault hits is its target; it stays busy until the fault settles.
 */

/** What the run said to a fault: why not, or that it went in (settling when it has been seen through). */
export type FaultAnswer = { refused: string } | { injected: Promise<unknown> };

/** The tier or service a page fault hits; undefined for a spec the run will refuse anyway. */
export function faultTarget(spec: string): string | undefined {
  const kill = /^kill:([a-z]+)$/.exec(spec);
  if (kill) return `the ${kill[1]} worker`;
  if (spec === 'broker-restart') return 'the Kafka broker';
  return undefined;
}

export class FaultGate {
  /** Target -> the fault in flight on it. */
  private readonly busy = new Map<string, string>();

  /**
   * Asks `inject` for `spec` unless its target has a fault in flight: 202, or 409 with why not.
   * The target is held from the moment the fault is injected until its answer's promise settles.
   */
  run(spec: string, inject: (spec: string) => FaultAnswer): { status: 202 | 409; message: string } {
    const target = faultTarget(spec);
    const inFlight = target === undefined ? undefined : this.busy.get(target);
    if (inFlight !== undefined) return { status: 409, message: `${inFlight} is still in flight on ${target}: one fault at a time there` };
    const answer = inject(spec);
    if ('refused' in answer) return { status: 409, message: answer.refused };
    if (target !== undefined) {
      this.busy.set(target, spec);
      const release = () => this.busy.delete(target);
      answer.injected.then(release, release);
    }
    return { status: 202, message: `injected ${spec}` };
  }

  get inFlight(): number {
    return this.busy.size;
  }
}
