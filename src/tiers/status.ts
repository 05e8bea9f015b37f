import type { Consumer } from 'kafkajs';
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
 * A consumer crash fails the tier only when kafkajs gives up on it. Crashes it recovers from
 * by itself (a group coordinator still loading on a fresh broker, a rebalance) are logged.
 */
export function watchCrashes(consumer: Consumer, status: TierStatus, logger: Logger): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) logger.warn({ err: describeError(payload.error) }, 'consumer crashed; kafkajs restarts it');
    else {
      status.fail(payload.error);
      logger.error({ err: describeError(payload.error) }, 'consumer crashed for good');
    }
  });
}
