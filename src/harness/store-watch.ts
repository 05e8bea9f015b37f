import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Admin } from 'kafkajs';
import { createS3Client } from '../lake/s3-client.ts';
import type { S3Endpoint } from '../services/types.ts';
import { usesLake } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import type { TierSpec } from './tier-runner.ts';

/** A topic or bucket a run's tiers depend on, and which tiers lose their footing if it goes. */
export interface WatchedStore {
  kind: 'topic' | 'bucket';
  name: string;
  tiers: TierName[];
}

export interface StoreProbes {
  /** Every topic that exists now; throws when the broker cannot say (it may be restarting). */
  topics(): Promise<Set<string>>;
  /** Whether the bucket exists; throws when the server cannot say. */
  bucketExists(bucket: string): Promise<boolean>;
}

/** The stores of a pass: the shared events topic, each tier's results and dead-letter topics, and the lake of the tiers that use one. */
export function storesOf(specs: Map<TierName, TierSpec>): WatchedStore[] {
  const stores = new Map<string, WatchedStore>();
  const add = (kind: WatchedStore['kind'], name: string, tier: TierName) => {
    const store = stores.get(`${kind}:${name}`) ?? stores.set(`${kind}:${name}`, { kind, name, tiers: [] }).get(`${kind}:${name}`)!;
    if (!store.tiers.includes(tier)) store.tiers.push(tier);
  };
  for (const [tier, spec] of specs) {
    add('topic', spec.topics.events, tier);
    add('topic', spec.topics.results, tier);
    add('topic', spec.topics.deadLetter, tier);
    if (usesLake(tier, spec.tierOptions)) add('bucket', spec.bucket, tier);
  }
  return [...stores.values()];
}

/** What the run says when a store it depends on disappears: its kind, its name, and what follows. */
export function goneMessage(store: WatchedStore, afterMs: number): string {
  const what = store.kind === 'topic' ? `the Kafka topic "${store.name}"` : `the S3 bucket "${store.name}"`;
  return `${what} was deleted during the run (missing ${(afterMs / 1000).toFixed(1)} s after the watch began); this tier's figures end there`;
}

/**
 * Checks every second that the run's topics and buckets still exist, and reports each one found
 * gone, once. A store the tier has not created yet is not gone: a bucket counts only once it has
 * been seen. A probe that fails (a broker restarting, an S3 outage injected as a fault) proves
 * nothing, so that check is skipped rather than read as a deletion.
 */
export function watchStores(
  stores: WatchedStore[],
  probes: StoreProbes,
  onGone: (store: WatchedStore, afterMs: number) => void,
  options: {
    intervalMs?: number;
    now?: () => number;
    /** The pause between checks; a test passes its own to run checks one at a time. Default: a timer that never keeps the process alive. */
    wait?: (ms: number) => Promise<void>;
  } = {},
): { stop(): Promise<void> } {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const started = now();
  const seen = new Set<WatchedStore>(stores.filter((store) => store.kind === 'topic'));
  const gone = new Set<WatchedStore>();
  let stopped = false;
  let wake: () => void = () => undefined;

  async function check(): Promise<void> {
    const topics = await probes.topics().catch(() => undefined);
    for (const store of stores) {
      if (gone.has(store)) continue;
      const exists = store.kind === 'topic' ? topics?.has(store.name) : await probes.bucketExists(store.name).catch(() => undefined);
      if (exists === undefined) continue;
      if (exists) seen.add(store);
      else if (seen.has(store)) {
        gone.add(store);
        onGone(store, now() - started);
      }
    }
  }

  const loop = (async () => {
    while (!stopped) {
      await check();
      // stop() ends the pause early through wake.
      await new Promise<void>((resolve) => {
        wake = resolve;
        void wait(options.intervalMs ?? 1_000).then(resolve);
      });
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}

/** The probes against the run's Kafka (its admin client) and S3 server. */
export function storeProbes(admin: Admin, s3: S3Endpoint): StoreProbes {
  const client = createS3Client(s3);
  return {
    topics: async () => new Set(await admin.listTopics()),
    async bucketExists(bucket) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (error as { name?: string }).name === 'NotFound') return false;
        throw error;
      }
    },
  };
}
