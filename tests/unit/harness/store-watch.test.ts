import { describe, expect, it } from 'vitest';
import { topicsFor } from '../../../src/harness/launch.ts';
import { goneMessage, storesOf, watchStores, type StoreProbes } from '../../../src/harness/store-watch.ts';
import type { TierSpec } from '../../../src/harness/tier-runner.ts';
import { resolveTierOptions } from '../../../src/tiers/registry.ts';
import type { TierName } from '../../../src/tiers/types.ts';

const spec = (name: TierName): TierSpec => ({ name, topics: topicsFor('r1', name), bucket: 'tierlab-r1', tierOptions: resolveTierOptions({}) }) as unknown as TierSpec;

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

/**
 * The watch's clock and pause, run by hand: each pause lasts until the test ends it and moves the
 * clock on by the pause asked for, so the checks run one at a time however slow the machine is.
 */
function handClock() {
  let nowMs = 50_000;
  const pausesMs: number[] = [];
  let paused = Promise.withResolvers<void>();
  let endPause: () => void = () => undefined;
  return {
    pausesMs,
    now: () => nowMs,
    wait(ms: number): Promise<void> {
      pausesMs.push(ms);
      paused.resolve();
      return new Promise<void>((resolve) => {
        endPause = () => {
          nowMs += ms;
          resolve();
        };
      });
    },
    /** Resolves once the check under way is done and the watch has paused. */
    checked: () => paused.promise,
    /** Ends the pause, and resolves once the one check that follows is done. */
    checkAgain(): Promise<void> {
      paused = Promise.withResolvers<void>();
      endPause();
      return paused.promise;
    },
  };
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
    const clock = handClock();
    const gone: Array<[name: string, tiers: TierName[], afterMs: number]> = [];
    const watch = watchStores(stores, servers.probes, (store, afterMs) => gone.push([store.name, store.tiers, afterMs]), { now: clock.now, wait: clock.wait });
    await clock.checked();
    // A bucket not created yet is not gone; once seen, its removal is.
    expect(gone).toEqual([]);
    servers.state.buckets.add('tierlab-r1');
    await clock.checkAgain();
    // A broker that cannot answer (restarting) is not a deleted topic.
    servers.state.brokerDown = true;
    await clock.checkAgain();
    expect(gone).toEqual([]);
    servers.state.brokerDown = false;
    servers.state.topics.delete('tierlab.r1.results.streaming');
    servers.state.buckets.delete('tierlab-r1');
    await clock.checkAgain();
    // Found by the fourth check, three pauses of 1 s after the watch began.
    const reported = [
      ['tierlab-r1', ['batch'], 3_000],
      ['tierlab.r1.results.streaming', ['streaming'], 3_000],
    ];
    expect(gone).toEqual(reported);
    // Once each: a later check finds them still gone and says nothing more.
    await clock.checkAgain();
    await watch.stop();
    expect(gone).toEqual(reported);
    // Without intervalMs (as run-tiers calls it) the watch pauses 1 s between checks.
    expect(clock.pausesMs).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
    const [topic, bucket] = [stores.find((s) => s.name === 'tierlab.r1.results.streaming')!, stores.find((s) => s.name === 'tierlab-r1')!];
    expect(goneMessage(topic, 12_345)).toBe(
      'the Kafka topic "tierlab.r1.results.streaming" was deleted during the run (missing 12.3 s after the watch began); this tier\'s figures end there',
    );
    expect(goneMessage(bucket, 1_000)).toContain('the S3 bucket "tierlab-r1" was deleted during the run');
  });
});
