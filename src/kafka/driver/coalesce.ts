import type { OutgoingRecord, ProducerOptions, RecordProducer } from './types.ts';

/** What a client sends in one produce request: records for one or more topics. */
export type SendRequest = (topics: Map<string, OutgoingRecord[]>) => Promise<void>;

interface Part {
  topic: string;
  records: OutgoingRecord[];
  send: { parts: number; resolve: () => void; reject: (error: unknown) => void; failed: boolean };
}

/**
 * Sends as Kafka's own producer does: what is sent while requests are out waits and goes
 * together in the next request, so a tier that writes once per fetched batch and partition
 * makes one request per round trip, not one per partition; a large send is split into several
 * requests in flight at once.
 *
 * Order: parts leave in the order they were sent, and the broker handles one connection's
 * requests in order. A send resolves when all of its parts are acknowledged.
 */
export function coalescingProducer(sendRequest: SendRequest, close: () => Promise<void>, options: ProducerOptions): RecordProducer {
  const queue: Part[] = [];
  let inFlight = 0;
  let scheduled = false;

  function pump(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const topics = new Map<string, OutgoingRecord[]>();
      const parts: Part[] = [];
      let records = 0;
      while (queue.length > 0 && records + queue[0]!.records.length <= options.maxRecordsPerRequest) {
        const part = queue.shift()!;
        records += part.records.length;
        parts.push(part);
        const forTopic = topics.get(part.topic);
        if (forTopic) forTopic.push(...part.records);
        else topics.set(part.topic, [...part.records]);
      }
      inFlight++;
      sendRequest(topics).then(
        () => settle(parts, undefined),
        (error: unknown) => settle(parts, error ?? new Error('produce failed')),
      );
    }
  }

  function settle(parts: Part[], error: unknown): void {
    inFlight--;
    for (const { send } of parts) {
      if (send.failed) continue;
      if (error !== undefined) {
        send.failed = true;
        send.reject(error);
      } else if (--send.parts === 0) send.resolve();
    }
    if (queue.length > 0) pump();
  }

  return {
    send(topic, records) {
      if (records.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const size = options.maxRecordsPerRequest;
        const send = { parts: Math.ceil(records.length / size), resolve, reject, failed: false };
        for (let i = 0; i < records.length; i += size) queue.push({ topic, records: records.slice(i, i + size), send });
        // Sends made in the same turn of the event loop go in the same request.
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(pump);
        }
      });
    },
    close,
  };
}
