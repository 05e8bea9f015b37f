import { outageRetry } from '../../retry.ts';

/*
 * Right after a commit the broker answers CONCURRENT_TRANSACTIONS until its markers are written,
 * which Kafka's Java producer retries after 20 ms: a fixed 500 ms wait there put half a second
 * into every other transaction. So the first retries come after 10-20 ms and the waits double
 * from there. Their number is what makes the waits add up to the outage budget
 * (outageRetry.forMs), as every other call a tier makes does: a transaction waits through a
 * broker restart instead of failing the exactly-once tier half-way into it. That also covers a
 * fresh broker creating its transaction log.
 */

/** The smallest number of retries whose waits, delayMs(1) + ... + delayMs(n), add up to `forMs`. */
export function retriesCovering(delayMs: (retry: number) => number, forMs: number): number {
  let waited = 0;
  let retries = 0;
  while (waited < forMs) {
    const delay = delayMs(++retries);
    if (!(delay > 0)) throw new RangeError(`retry ${retries} waits ${delay} ms; waits must be > 0 to add up to ${forMs} ms`);
    waited += delay;
  }
  return retries;
}

/** @platformatic/kafka waits this long before retry `retry` (1, 2, ...): 10 ms doubling to 500 ms. */
export function platformaticTransactionDelayMs(retry: number): number {
  return Math.min(500, 10 * 2 ** (retry - 1));
}

/** @platformatic/kafka's retry settings of a transactional producer: 185 retries, 90 s of waits. */
export const platformaticTransactionRetries = {
  retries: retriesCovering(platformaticTransactionDelayMs, outageRetry.forMs),
  retryDelay: (_client: unknown, _operation: string, attempt: number) => platformaticTransactionDelayMs(attempt),
};

/**
 * kafkajs' backoff: 20 ms, then each wait twice the one before, up to 2 s, every one drawn from
 * +-factor around its value. factor and multiplier are kafkajs' own defaults, named because
 * kafkajs uses others (0.02, 1.5) when NODE_ENV=test, and the schedule should not depend on that.
 */
const kafkajsBackoff = { initialRetryTime: 20, maxRetryTime: 2_000, factor: 0.2, multiplier: 2 } as const;

/**
 * The shortest wait kafkajs can make before retry `retry` (1, 2, ...). Its first wait is drawn
 * from initialRetryTime +- factor, and each next one is the last drawn again +- factor, times the
 * multiplier, capped at maxRetryTime; so at the least (1 - factor) x initialRetryTime, then
 * (1 - factor) x multiplier x the last, capped.
 */
export function kafkajsLeastDelayMs(retry: number, backoff: typeof kafkajsBackoff = kafkajsBackoff): number {
  let delay = (1 - backoff.factor) * backoff.initialRetryTime;
  for (let i = 1; i < retry; i++) delay = Math.min((1 - backoff.factor) * backoff.multiplier * delay, backoff.maxRetryTime);
  return delay;
}

/** kafkajs' retry settings of a transactional producer: enough retries that even its shortest waits add up to the budget. */
export const kafkajsTransactionRetry = {
  ...kafkajsBackoff,
  retries: retriesCovering((retry) => kafkajsLeastDelayMs(retry), outageRetry.forMs),
};
