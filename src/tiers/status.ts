import { describeError } from '../errors.ts';
import type { TierCounts, TierHealth, TierState } from './types.ts';

/** The bookkeeping every tier shares: its state, its counts, and the error that stopped it. */
export class TierStatus {
  state: TierState = 'idle';
  visible = 0;
  #error: string | undefined;
  readonly #counts: TierCounts = { accepted: 0, rejected: 0, rejectedByReason: {} };

  get failed(): boolean {
    return this.state === 'errored';
  }

  count(accepted: number, rejectedReasons: string[]): void {
    this.#counts.accepted += accepted;
    this.#counts.rejected += rejectedReasons.length;
    for (const reason of rejectedReasons) {
      this.#counts.rejectedByReason[reason] = (this.#counts.rejectedByReason[reason] ?? 0) + 1;
    }
  }

  /** The first error wins: later ones are usually its consequences. */
  fail(error: unknown): void {
    if (this.state === 'errored') return;
    this.state = 'errored';
    this.#error = describeError(error);
  }

  stopping(): void {
    if (this.state !== 'errored') this.state = 'stopping';
  }

  stopped(): void {
    if (this.state !== 'errored') this.state = 'stopped';
  }

  health(): TierHealth {
    const counts = { ...this.#counts, rejectedByReason: { ...this.#counts.rejectedByReason } };
    return { state: this.state, counts, visible: this.visible, ...(this.#error ? { error: this.#error } : {}) };
  }
}
