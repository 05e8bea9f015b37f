import { describeError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { TierCounts, TierHealth, TierState, TierUsage } from './types.ts';

/** The bookkeeping every tier shares: its state, its counts, and the error that stopped it. */
export class TierStatus {
  state: TierState = 'idle';
  visible = 0;
  #error: string | undefined;
  readonly #counts: TierCounts = { accepted: 0, rejected: 0, rejectedByReason: {} };
  readonly usage: TierUsage = { kafkaBytesWritten: 0, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0 };

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

  /**
   * Counts events a restarted worker read again and found already applied in the windows it
   * restored: accepted and visible (their result is, restored), and duplicates skipped.
   */
  alreadyApplied(events: number): void {
    if (events === 0) return;
    this.#counts.accepted += events;
    this.#counts.duplicatesSkipped = (this.#counts.duplicatesSkipped ?? 0) + events;
    this.visible += events;
  }

  /** Counts the bytes of messages written to Kafka (keys and values). */
  wroteToKafka(messages: Array<{ key?: Buffer | string | null; value: Buffer | string | null }>): void {
    for (const m of messages) this.usage.kafkaBytesWritten += (m.key?.length ?? 0) + (m.value?.length ?? 0);
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
    const usage = { ...this.usage, s3Requests: { ...this.usage.s3Requests } };
    return { state: this.state, counts, visible: this.visible, usage, ...(this.#error ? { error: this.#error } : {}) };
  }
}

/**
 * A consumer's failure fails the tier only when its client gives up. Errors the client
 * recovers from by itself (a group coordinator still loading on a fresh broker, a rebalance)
 * are logged.
 */
export function consumerFailures(status: TierStatus, logger: Logger) {
  return {
    onFatal(error: unknown) {
      status.fail(error);
      logger.error({ err: describeError(error) }, 'consumer failed for good');
    },
    onRecovered(error: unknown) {
      logger.warn({ err: describeError(error) }, 'consumer error; the client recovers');
    },
  };
}
