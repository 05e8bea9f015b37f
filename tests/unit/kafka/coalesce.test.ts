import { describe, expect, it } from 'vitest';
import { coalescingProducer } from '../../../src/kafka/driver/coalesce.ts';
import type { OutgoingRecord } from '../../../src/kafka/driver/types.ts';

/** A client whose requests finish when the test says so; it records what each request carried. */
function recordingClient() {
  const requests: Array<{ topics: Map<string, OutgoingRecord[]>; finish: (error?: Error) => void }> = [];
  const sendRequest = (topics: Map<string, OutgoingRecord[]>) =>
    new Promise<void>((resolve, reject) => requests.push({ topics, finish: (error) => (error ? reject(error) : resolve()) }));
  return { requests, sendRequest };
}

const records = (from: number, count: number): OutgoingRecord[] =>
  Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` }));
const keysOf = (topic: OutgoingRecord[] | undefined) => (topic ?? []).map((record) => record.key);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the coalescing producer', () => {
  it('sends what was sent in one turn of the event loop as one request, for every topic in it', async () => {
    const client = recordingClient();
    const producer = coalescingProducer(client.sendRequest, async () => undefined, { maxInFlight: 1, maxRecordsPerRequest: 100 });
    const sent = [producer.send('results', records(0, 2)), producer.send('dlq', records(10, 1)), producer.send('results', records(2, 1))];
    await tick();
    expect(client.requests).toHaveLength(1);
    expect(keysOf(client.requests[0]!.topics.get('results'))).toEqual(['k0', 'k1', 'k2']);
    expect(keysOf(client.requests[0]!.topics.get('dlq'))).toEqual(['k10']);
    client.requests[0]!.finish();
    await Promise.all(sent);
  });

  it('with one request out, gathers later sends into the next request, in the order they were sent', async () => {
    const client = recordingClient();
    const producer = coalescingProducer(client.sendRequest, async () => undefined, { maxInFlight: 1, maxRecordsPerRequest: 100 });
    const first = producer.send('results', records(0, 1));
    await tick();
    let secondDone = false;
    const second = producer.send('results', records(1, 1)).then(() => (secondDone = true));
    await tick();
    const third = producer.send('results', records(2, 1));
    await tick();
    expect(client.requests).toHaveLength(1);
    client.requests[0]!.finish();
    await first;
    await tick();
    expect(client.requests).toHaveLength(2);
    expect(keysOf(client.requests[1]!.topics.get('results'))).toEqual(['k1', 'k2']);
    expect(secondDone).toBe(false);
    client.requests[1]!.finish();
    await Promise.all([second, third]);
  });

  it('splits a large send into requests of at most maxRecordsPerRequest, up to maxInFlight out at once, and resolves it when all are acknowledged', async () => {
    const client = recordingClient();
    const producer = coalescingProducer(client.sendRequest, async () => undefined, { maxInFlight: 2, maxRecordsPerRequest: 4 });
    let done = false;
    const sent = producer.send('results', records(0, 10)).then(() => (done = true));
    await tick();
    expect(client.requests.map((r) => keysOf(r.topics.get('results')).length)).toEqual([4, 4]);
    client.requests[0]!.finish();
    await tick();
    expect(client.requests.map((r) => keysOf(r.topics.get('results')))).toEqual([
      ['k0', 'k1', 'k2', 'k3'],
      ['k4', 'k5', 'k6', 'k7'],
      ['k8', 'k9'],
    ]);
    client.requests[1]!.finish();
    await tick();
    expect(done).toBe(false);
    client.requests[2]!.finish();
    await sent;
  });

  it('rejects every send in a failed request with its error, and goes on with the next', async () => {
    const client = recordingClient();
    const producer = coalescingProducer(client.sendRequest, async () => undefined, { maxInFlight: 1, maxRecordsPerRequest: 100 });
    const failing = [producer.send('results', records(0, 1)), producer.send('results', records(1, 1))];
    await tick();
    const later = producer.send('results', records(2, 1));
    client.requests[0]!.finish(new Error('NOT_ENOUGH_REPLICAS'));
    for (const send of failing) await expect(send).rejects.toThrow('NOT_ENOUGH_REPLICAS');
    await tick();
    expect(keysOf(client.requests[1]!.topics.get('results'))).toEqual(['k2']);
    client.requests[1]!.finish();
    await later;
  });

  it('sends nothing for an empty send', async () => {
    const client = recordingClient();
    const producer = coalescingProducer(client.sendRequest, async () => undefined, { maxInFlight: 1, maxRecordsPerRequest: 100 });
    await producer.send('results', []);
    await tick();
    expect(client.requests).toHaveLength(0);
  });
});
