import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kafkajsLeastDelayMs, kafkajsTransactionRetry, platformaticTransactionRetries, retriesCovering } from '../../../src/kafka/driver/transaction-retries.ts';
import { outageRetry } from '../../../src/retry.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('exactly-once transaction retries wait through the outage budget', () => {
  it('@platformatic/kafka: its waits add up to outageRetry.forMs, the first ones still 10 and 20 ms', () => {
    const { retries, retryDelay } = platformaticTransactionRetries;
    // The client waits retryDelay(client, operation, n) before retry n, for n = 1 .. retries.
    const waits = Array.from({ length: retries }, (_, i) => retryDelay(undefined, 'commit', i + 1));
    expect(waits.slice(0, 2)).toEqual([10, 20]);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThanOrEqual(outageRetry.forMs);
  });

  it("kafkajs: its own retrier, drawing the shortest waits its randomization allows, keeps going for outageRetry.forMs", async () => {
    // kafkajs' retrier itself, so that what is measured is what the producer does; its defaults
    // differ under NODE_ENV=test, so the settings must name all they rely on.
    const createRetry = createRequire(import.meta.url)('kafkajs/src/retry') as (options: object) => (fn: () => Promise<never>) => Promise<never>;
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // every wait at the low end of its +-factor band
    const attemptsAt: number[] = [];
    const retried = createRetry(kafkajsTransactionRetry)(async () => {
      attemptsAt.push(Date.now());
      throw Object.assign(new Error('CONCURRENT_TRANSACTIONS'), { retriable: true });
    }).catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await retried).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
    const firstWait = attemptsAt[1]! - attemptsAt[0]!;
    expect(firstWait).toBeLessThanOrEqual(24); // 20 ms +- 20 %: the fast first retry stays
    expect(attemptsAt.at(-1)! - attemptsAt[0]!).toBeGreaterThanOrEqual(outageRetry.forMs);
  });
});

describe('the retry schedules', () => {
  it('take the fewest retries that cover the budget', () => {
    expect(retriesCovering(() => 100, 1_000)).toBe(10);
    expect(retriesCovering(() => 100, 1_001)).toBe(11);
    expect(() => retriesCovering(() => 0, 1_000)).toThrow('retry 1 waits 0 ms');
  });

  it("bound kafkajs' waits from below: 16 ms, then x1.6, capped at 2 s", () => {
    expect(kafkajsLeastDelayMs(1)).toBe(16);
    expect(kafkajsLeastDelayMs(2)).toBeCloseTo(25.6);
    expect(kafkajsLeastDelayMs(3)).toBeCloseTo(40.96);
    expect(kafkajsLeastDelayMs(30)).toBe(2_000);
    const { retries } = kafkajsTransactionRetry;
    const total = (n: number) => Array.from({ length: n }, (_, i) => kafkajsLeastDelayMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(total(retries)).toBeGreaterThanOrEqual(outageRetry.forMs);
    expect(total(retries - 1)).toBeLessThan(outageRetry.forMs);
  });
});
