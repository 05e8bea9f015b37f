/**
 * What one worker's window state covers of each source partition, when several worker processes
 * of a tier share its consumer group (`workers: N`). The group may hand a partition to another
 * worker and later back, or hand this one a partition another worker has had: the windows held
 * here then miss what the other wrote. A batch that starts past what the state covers shows it,
 * and the partition's windows are restored from the results topic before the batch is applied.
 * A batch that starts at or before it is a re-read, which the windows' positions skip.
 */
export class PartitionCoverage {
  /** Per partition, the offset up to which every event is in the windows held here. */
  readonly #covered = new Map<number, number>();
  /** Per partition, the offset after the last record whose result (or dead letter) is written. */
  readonly #through = new Map<number, number>();

  /** The state, just restored, holds every event of each partition before its committed offset. */
  restoredUpTo(committed: ReadonlyMap<number, number>): void {
    for (const [partition, next] of committed) this.cover(partition, next);
  }

  /** True when a batch starting at `first` would leave out events this state does not hold. */
  needsTakeOver(partition: number, first: number): boolean {
    return first > (this.#covered.get(partition) ?? 0);
  }

  /** The state now holds every event of the partition before `next`. */
  cover(partition: number, next: number): void {
    if (next > (this.#covered.get(partition) ?? 0)) this.#covered.set(partition, next);
  }

  /** A batch's results are written: every record before `next` has its result or dead letter. */
  wrote(partition: number, next: number): void {
    this.cover(partition, next);
    if (next > (this.#through.get(partition) ?? 0)) this.#through.set(partition, next);
  }

  /** Per partition, the offset through which this worker has written: what the harness sums over workers, taking the furthest. */
  through(): Record<string, number> {
    return Object.fromEntries(this.#through);
  }
}
