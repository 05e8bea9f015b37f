import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a client keeps retrying a server that stopped answering before the failure is the
 * tier's: long enough for a clean broker restart (a second to stop, 5–20 s for the JVM to serve
 * again on a loaded laptop) or an s3-outage of up to maxOutageMs plus S3Proxy's start, short
 * enough that a server gone for good fails the run in about a minute and a half, not never.
 */
export const outageRetry = { forMs: 90_000, pauseMs: 500 } as const;

export interface OutageRetryOptions {
  /** Give up once this long has passed since the first failure. */
  forMs?: number;
  pauseMs?: number;
  /** Which failures may pass; the others are thrown at once. Default: isTransient. */
  isTransient?: (error: unknown) => boolean;
  /** Told of each failure that is retried: a retry is logged, never silent. */
  onRetry?: (error: unknown, attempt: number) => void;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * Runs `operation` again while it fails with a transient error, for up to `forMs` after the first
 * failure; then throws the last error. The operation must be safe to repeat: a produce whose
 * records are idempotent or deduplicated, a commit, an S3 PUT of a deterministic key.
 */
export async function retryThroughOutage<T>(operation: () => Promise<T>, options: OutageRetryOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const transient = options.isTransient ?? isTransient;
  const forMs = options.forMs ?? outageRetry.forMs;
  let firstFailure: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      firstFailure ??= now();
      if (!transient(error) || now() - firstFailure >= forMs) throw error;
      options.onRetry?.(error, attempt);
      await wait(options.pauseMs ?? outageRetry.pauseMs);
    }
  }
}

/**
 * A Kafka call on a broker that is up but still settling (a group coordinator or a partition leader
 * moving, as on a freshly started broker): the client marks those failures retriable. They pass in
 * seconds, so this gives up after five.
 */
export function retryRetriable<T>(operation: () => Promise<T>): Promise<T> {
  return retryThroughOutage(operation, { forMs: 5_000, pauseMs: 250, isTransient: (error) => (error as { retriable?: unknown }).retriable === true });
}

/** Socket errors that mean the server is not there right now (stopped, restarting, unreachable). */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * True when a failure may pass if the call is made again: a client marked it so (kafkajs
 * `retriable`, @platformatic/kafka `canRetry`, the AWS SDK's `$retryable`), the server answered 5xx,
 * or the socket could not reach the server. Clients wrap the cause (kafkajs: "retries exceeded"
 * around a connection error; @platformatic/kafka: an AggregateError of every attempt), so the
 * causes and grouped errors are searched too.
 */
export function isTransient(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 6) return false;
  const e = error as {
    retriable?: unknown;
    canRetry?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  if (e.retriable === true || e.canRetry === true || (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false)) return true;
  if (typeof e.$metadata?.httpStatusCode === 'number' && e.$metadata.httpStatusCode >= 500) return true;
  if (typeof e.code === 'string' && networkCodes.has(e.code)) return true;
  const inner = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((cause) => isTransient(cause, depth + 1));
}
