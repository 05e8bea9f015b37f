import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `operation` again while Kafka answers with a retriable error (a group coordinator or a
 * partition leader still moving, as on a freshly started broker), for up to `attempts` tries.
 */
export async function retryRetriable<T>(operation: () => Promise<T>, attempts = 20, pauseMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= attempts) throw error;
      await sleep(pauseMs);
    }
  }
}
