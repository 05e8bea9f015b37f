/**
 * Backpressure (issue 11, item 5): a tier offered more than it can take must keep its memory
 * bounded, leaving the excess in Kafka, not in its process. Judged from samples of the tier
 * worker's RSS and its backlog taken while it is first fed a calm stream and then a flood.
 *
 * The rule. Let `calmPeak` be the worker's peak RSS while it kept up (JIT warm, its windows
 * made), `overloadPeak` its peak RSS during the flood and after it, while the backlog stood, and
 * `backlogPeak` the largest backlog (records sent and not yet visible). The tier holds at most
 * `capRecords` records by design (its client's fetch buffers, the batches in hand, a trigger's
 * events: a fixed cap, whatever the backlog), each costing about `bytesPerHeldRecord`. Memory is
 * bounded when
 *
 *   overloadPeak - calmPeak <= capRecords x bytesPerHeldRecord   (the allowance)
 *
 * The verdict is only worth something if holding the backlog would have broken the bound, so the
 * run is judged only when backlogPeak >= discrimination x capRecords (default 2x): a tier that
 * kept its backlog in memory would then have grown by at least twice the allowance.
 */

export type OverloadPhase = 'calm' | 'flood' | 'after';

export interface OverloadSample {
  /** µs on the run's clock. */
  atMicros: number;
  phase: OverloadPhase;
  /** The tier worker's resident memory. */
  rssBytes: number;
  /** Records sent but not yet visible (nor dead-lettered). */
  backlog: number;
  /** Events made visible so far. */
  visible: number;
}

export interface MemoryBoundOptions {
  /** Records the tier may hold by design, whatever its backlog. */
  capRecords: number;
  /** What one held record costs the worker in RSS, bytes. */
  bytesPerHeldRecord: number;
  /** Key + value bytes per record on the wire, to say what the backlog weighs in Kafka. */
  eventBytes: number;
  /** How many times the cap the backlog must reach for the run to tell. Default 2. */
  discrimination?: number;
}

export interface MemoryBoundVerdict {
  calmPeakRssBytes: number;
  overloadPeakRssBytes: number;
  /** overloadPeak - calmPeak (negative when the overload peak was the lower). */
  growthBytes: number;
  /** capRecords x bytesPerHeldRecord. */
  allowanceBytes: number;
  backlogPeak: number;
  /** The backlog's weight on the wire: backlogPeak x eventBytes. */
  backlogWireBytes: number;
  /** What a tier that held its backlog would have grown by: backlogPeak x bytesPerHeldRecord. */
  backlogHeldBytes: number;
  /** False when the backlog was too small for the bound to tell a bounded tier from one that holds it. */
  judged: boolean;
  bounded: boolean;
}

export const memoryBoundDefaults = { discrimination: 2 } as const;

const peak = (values: number[]) => values.reduce((max, v) => Math.max(max, v), 0);

export function judgeMemoryBound(samples: readonly OverloadSample[], options: MemoryBoundOptions): MemoryBoundVerdict {
  const calm = samples.filter((s) => s.phase === 'calm');
  const overload = samples.filter((s) => s.phase !== 'calm');
  const calmPeakRssBytes = peak(calm.map((s) => s.rssBytes));
  const overloadPeakRssBytes = peak(overload.map((s) => s.rssBytes));
  const backlogPeak = peak(overload.map((s) => s.backlog));
  const growthBytes = overloadPeakRssBytes - calmPeakRssBytes;
  const allowanceBytes = options.capRecords * options.bytesPerHeldRecord;
  const discrimination = options.discrimination ?? memoryBoundDefaults.discrimination;
  const judged = calm.length > 0 && overload.length > 0 && backlogPeak >= discrimination * options.capRecords;
  return {
    calmPeakRssBytes,
    overloadPeakRssBytes,
    growthBytes,
    allowanceBytes,
    backlogPeak,
    backlogWireBytes: backlogPeak * options.eventBytes,
    backlogHeldBytes: backlogPeak * options.bytesPerHeldRecord,
    judged,
    bounded: judged && growthBytes <= allowanceBytes,
  };
}

/** Records per second over a span, 0 for an empty one. */
export function perSecond(records: number, micros: number): number {
  return micros > 0 ? (records * 1_000_000) / micros : 0;
}
