
/** Read instants 100 ms apart: finer than any micro-batch trigger, coarse enough to cost nothing per event. */
export const readStepMicros = 100_000;

/** A StalenessGrid as it crosses a process boundary: [read index, oldest unseen event time] pairs. */
export type EncodedStalenessGrid = Array<[number, number]>;

/**
 * Staleness at read, measured: at read instants on a fixed grid (every readStepMicros of the run's
 * clock) within the measured window, the event time of the oldest event not yet visible then, so
 * its age at that instant.
 *
 * An event made visible at v with event time t was unseen at every instant in [t, v). A write
 * that makes a batch visible at v leaves, at each instant r in [t_min, v), an event as old as its
 * oldest one t_min unseen, so one range update per write is exact, whatever the batch's size.
 * Dead letters are never results and do not count; nor do events never made visible (a wrong
 * answer is the correctness check's to catch). An instant at which nothing was unseen is not a
 * read here: with a stream arriving every millisecond there is always something in flight, and
 * leaving such instants out can only overstate staleness.
 *
 * Why this and not the per-event latency: a dashboard read at r shows the windows as of r, so
 * what its reader misses is everything unseen then, and the oldest of it is what the SLA bounds.
 */
export class StalenessGrid {
  readonly #oldestUnseen = new Map<number, number>();
  readonly #firstRead: number;
  readonly #lastRead: number;

  /** Only reads in [fromMicros, toMicros] count: after warm-up, while the stream runs. */
  constructor(fromMicros = 0, toMicros = Number.MAX_SAFE_INTEGER) {
    this.#firstRead = Math.ceil(fromMicros / readStepMicros);
    this.#lastRead = Math.floor(toMicros / readStepMicros);
  }

  /** One durable write: its oldest event's time and the instant it became visible. */
  record(oldestEventMicros: number, visibleMicros: number): void {
    const last = Math.min(this.#lastRead, Math.ceil(visibleMicros / readStepMicros) - 1);
    for (let read = Math.max(this.#firstRead, Math.ceil(oldestEventMicros / readStepMicros)); read <= last; read++) {
      const held = this.#oldestUnseen.get(read);
      if (held === undefined || oldestEventMicros < held) this.#oldestUnseen.set(read, oldestEventMicros);
    }
  }

  encode(): EncodedStalenessGrid {
    return [...this.#oldestUnseen];
  }

  /** Another worker's or pass's reads of the same tier: at an instant both saw, the oldest unseen event wins. */
  merge(encoded: EncodedStalenessGrid): void {
    for (const [read, oldest] of encoded) {
      const held = this.#oldestUnseen.get(read);
      if (held === undefined || oldest < held) this.#oldestUnseen.set(read, oldest);
    }
  }

  /** Staleness at every read instant: nearest-rank percentiles, in µs; none: `reads` 0, no data. */
  stats(): StalenessStats {
    return stalenessStats([...this.#oldestUnseen].map(([read, oldest]) => read * readStepMicros - oldest));
  }
}

/** Staleness at a set of reads: how many, and nearest-rank percentiles in µs. */
export interface StalenessStats {
  reads: number;
  p50Micros: number;
  p99Micros: number;
  maxMicros: number;
}

/** Nearest rank: the value at rank ceil(q·n), in integers so 99% of 100 is rank 99, not 100. */
function nearestRank(sorted: number[], percent: number): number {
  return sorted[Math.max(1, Math.ceil((percent * sorted.length) / 100)) - 1]!;
}

/** p50, p99 and max of stalenesses (µs) by nearest rank; none: every figure 0 and `reads` 0, no data. */
export function stalenessStats(values: number[]): StalenessStats {
  if (values.length === 0) return { reads: 0, p50Micros: 0, p99Micros: 0, maxMicros: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { reads: sorted.length, p50Micros: nearestRank(sorted, 50), p99Micros: nearestRank(sorted, 99), maxMicros: sorted.at(-1)! };
}
