import { describe, expect, it } from 'vitest';
import { isTransient, retryThroughOutage } from '../../src/retry.ts';

/** A clock the test moves: each wait advances it. */
function fakeTime() {
  let ms = 0;
  return { now: () => ms, wait: async (pause: number) => void (ms += pause) };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' });

describe('retrying through an outage', () => {
  it('retries a transient failure until the call succeeds, telling of each retry', async () => {
    const time = fakeTime();
    let calls = 0;
    const retried: number[] = [];
    const result = await retryThroughOutage(
      async () => {
        if (++calls < 4) throw refused();
        return 'ok';
      },
      { ...time, pauseMs: 500, onRetry: (_, attempt) => retried.push(attempt) },
    );
    expect(result).toBe('ok');
    expect(retried).toEqual([1, 2, 3]);
    expect(time.now()).toBe(1_500);
  });

  it('gives up with the last error once the bound has passed since the first failure', async () => {
    const time = fakeTime();
    let calls = 0;
    await expect(
      retryThroughOutage(
        async () => {
          calls++;
          throw refused();
        },
        { ...time, forMs: 10_000, pauseMs: 1_000 },
      ),
    ).rejects.toThrow('ECONNREFUSED');
    expect(calls).toBe(11);
  });

  it('throws an error that retrying cannot fix at once', async () => {
    let calls = 0;
    await expect(
      retryThroughOutage(async () => {
        calls++;
        throw new Error('message too large');
      }, fakeTime()),
    ).rejects.toThrow('message too large');
    expect(calls).toBe(1);
  });
});

describe('transient failures', () => {
  it('are what the clients mark retriable, 5xx answers and unreachable sockets, wrapped or not', () => {
    // kafkajs: retries exhausted around a connection error.
    expect(isTransient(Object.assign(new Error('retries exceeded'), { retriable: false, cause: Object.assign(new Error('Connection error'), { retriable: true }) }))).toBe(true);
    // @platformatic/kafka: an AggregateError of every attempt.
    expect(isTransient(new AggregateError([new Error('x'), Object.assign(new Error('Connection failed'), { canRetry: true })], 'Producing messages failed.'))).toBe(true);
    // The AWS SDK: a 503, and a refused connection.
    expect(isTransient(Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransient(refused())).toBe(true);
  });

  it('are not a client error, a 4xx answer, or anything else', () => {
    expect(isTransient(new Error('bad request'))).toBe(false);
    expect(isTransient(Object.assign(new Error('NoSuchBucket'), { $metadata: { httpStatusCode: 404 }, $retryable: undefined }))).toBe(false);
    expect(isTransient(Object.assign(new Error('not retriable'), { retriable: false }))).toBe(false);
    expect(isTransient('a string')).toBe(false);
  });
});
