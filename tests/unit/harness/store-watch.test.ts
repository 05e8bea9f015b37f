import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { topicsFor } from '../../../src/harness/launch.ts';
import { goneMessage, storesOf, watchStores, type StoreProbes, type WatchedStore } from '../../../src/harness/store-watch.ts';
import type { TierSpec } from '../../../src/harness/tier-runner.ts';
import type { TierName } from '../../../src/tiers/types.ts';

const spec = (name: TierName): TierSpec => ({ name, topics: topicsFor('r1', name), bucket: 'tierlab-r1' }) as unknown as TierSpec;

/** Probes over sets the test changes, the way an operator would delete a topic or a bucket. */
function fakeServers(topics: string[], buckets: string[]) {
  const state = { topics: new Set(topics), buckets: new Set(buckets), brokerDown: false };
  const probes: StoreProbes = {
    topics: async () => {
      if (state.brokerDown) throw new Error('connection refused');
      return new Set(state.topics);
    },
    bucketExists: async (bucket) => state.buckets.has(bucket),
  };
  return { state, probes };
}

describe('the store watch', () => {
  it('knows which tiers each topic and bucket carries', () => {
    const stores = storesOf(new Map((['batch', 'streaming'] as const).map((name) => [name, spec(name)])));
    const byName = Object.fromEntries(stores.map((s) => [s.name, s.tiers]));
    expect(byName['tierlab.r1.events']).toEqual(['batch', 'streaming']);
    expect(byName['tierlab.r1.results.streaming']).toEqual(['streaming']);
    expect(byName['tierlab-r1']).toEqual(['batch']);
    expect(stores.filter((s) => s.kind === 'bucket')).toHaveLength(1);
  });

  it('reports a deleted topic and a removed bucket once each, naming them, and takes a failed probe for no answer', async () => {
    const stores = storesOf(new Map((['batch', 'streaming'] as const).map((name) => [name, spec(name)])));
    const servers = fakeServers(
      stores.filter((s) => s.kind === 'topic').map((s) => s.name),
      [],
    );
    const gone: WatchedStore[] = [];
    const watch = watchStores(stores, servers.probes, (store) => gone.push(store), { intervalMs: 5 });
    await sleep(30);
    // A bucket not created yet is not gone; once seen, its removal is.
    expect(gone).toEqual([]);
    servers.state.buckets.add('tierlab-r1');
    await sleep(30);
    // A broker that cannot answer (restarting) is not a deleted topic.
    servers.state.brokerDown = true;
    await sleep(30);
    expect(gone).toEqual([]);
    servers.state.brokerDown = false;
    servers.state.topics.delete('tierlab.r1.results.streaming');
    servers.state.buckets.delete('tierlab-r1');
    await sleep(30);
    await watch.stop();
    expect(gone.map((s) => [s.name, s.tiers]).sort()).toEqual([
      ['tierlab-r1', ['batch']],
      ['tierlab.r1.results.streaming', ['streaming']],
    ]);
    const [topic, bucket] = [gone.find((s) => s.kind === 'topic')!, gone.find((s) => s.kind === 'bucket')!];
    expect(goneMessage(topic, 12_345)).toBe(
      'the Kafka topic "tierlab.r1.results.streaming" was deleted during the run (missing 12.3 s after the watch began); this tier\'s figures end there',
    );
    expect(goneMessage(bucket, 1_000)).toContain('the S3 bucket "tierlab-r1" was deleted during the run');
  });
});
