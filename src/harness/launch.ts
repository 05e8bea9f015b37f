import { createHash } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { describeError } from '../errors.ts';
import { ensureTopic } from '../kafka/topics.ts';
import type { KafkaClientName } from '../kafka/driver/index.ts';
import type { Logger } from '../log.ts';
import type { DatasetProfile } from '../events/index.ts';
import type { ResourceSampler } from '../metrics/resources.ts';
import type { KafkaEndpoint, S3Endpoint } from '../services/types.ts';
import { runCommand } from '../services/native/commands.ts';
import { serviceSettingsFrom } from '../services/settings.ts';
import { prepareEngines, type ResolvedTierOptions } from '../tiers/registry.ts';
import type { TierName, TierTopics } from '../tiers/types.ts';
import type { RestartableRunner } from './faults/restartable.ts';
import { scaledRunner, type ScaledRunner } from './scaled-runner.ts';
import type { TierRunner, TierSpec } from './tier-runner.ts';

export function topicsFor(runId: string, tier: TierName): TierTopics {
  return { events: `tierlab.${runId}.events`, results: `tierlab.${runId}.results.${tier}`, deadLetter: `tierlab.${runId}.dlq.${tier}` };
}

/** S3's longest bucket name. */
const maxBucketLength = 63;

/**
 * A tier's lake bucket. Each lake tier has its own, as its job's raw/ and curated/ zones would
 * collide side by side: tierlab-RUN-TIER. A name past S3's 63 characters is cut and ends in a hash
 * of the whole name, so two long ones stay apart.
 */
export function bucketFor(runId: string, tier: TierName | 'lakehouse'): string {
  const name = `tierlab-${runId}-${tier}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (name.length <= maxBucketLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, maxBucketLength - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export interface LaunchConfig {
  runId: string;
  kafka: KafkaEndpoint;
  kafkaClient: KafkaClientName;
  s3: S3Endpoint;
  profile: DatasetProfile;
  windowMs: number;
  partitions: number;
  tiers: TierName[];
  tierOptions: ResolvedTierOptions;
  logger: Logger;
  /** One worker of a tier: each can be replaced (a kill, a crash), and a tier of several is one scaledRunner. */
  launch: (spec: TierSpec) => RestartableRunner;
  sampler?: ResourceSampler;
  /** Where built engines are kept; tierlab's cache (TIERLAB_CACHE_DIR) unless given. */
  engineCacheDir?: string;
}

export interface Launched {
  runners: TierRunner[];
  specs: Map<TierName, TierSpec>;
  /** Tiers that failed to start, with why: reported, while the others go on. */
  startErrors: Map<TierName, string>;
}

/** Creates each tier's topics, launches its runner and starts it; a tier that fails to start is recorded, not thrown. */
export async function launchTiers(config: LaunchConfig, admin: Admin): Promise<Launched> {
  const launched: Launched = { runners: [], specs: new Map(), startErrors: new Map() };
  const settings = serviceSettingsFrom(process.env);
  const engineCacheDir = config.engineCacheDir ?? settings.engineCacheDir;
  // Built here, before any worker starts, so that no build is measured as a tier's work.
  await prepareEngines(config.tiers, config.tierOptions, { engineCacheDir, run: runCommand });
  for (const name of config.tiers) {
    const topics = topicsFor(config.runId, name);
    await ensureTopic(admin, topics.events, config.partitions);
    // A changelog keyed by window: compacted, as a restarted worker reads it to restore its windows.
    await ensureTopic(admin, topics.results, config.partitions, { 'cleanup.policy': 'compact' });
    await ensureTopic(admin, topics.deadLetter, 1);
    const spec: TierSpec = {
      name,
      runId: config.runId,
      kafka: config.kafka,
      kafkaClient: config.kafkaClient,
      s3: config.s3,
      bucket: bucketFor(config.runId, name),
      topics,
      windowMs: config.windowMs,
      rules: config.profile.rules,
      tierOptions: config.tierOptions,
      engineCacheDir,
      engineClusters: settings.engineClusters,
    };
    launched.specs.set(name, spec);
    const count = config.tierOptions[name].workers;
    // Several worker processes share the tier's group; each knows which it is (its transactional id, say).
    const runner = count > 1 ? scaledRunner(Array.from({ length: count }, (_, index) => config.launch({ ...spec, worker: { index, of: count } }))) : config.launch(spec);
    launched.runners.push(runner);
  }
  await Promise.all(
    launched.runners.map((runner) =>
      runner.start().then(
        // Measured from when it has started: a JVM's start-up (reported as engine.startupMs) is not its steady work.
        () => {
          // Each worker of several under the tier's name: lab-run adds every `tier:NAME#...` into `tier:NAME`.
          const workers = 'workers' in runner ? (runner as ScaledRunner).workers : [runner];
          workers.forEach((worker, index) => {
            if (worker.pid !== process.pid) config.sampler?.watch(index === 0 ? `tier:${runner.name}` : `tier:${runner.name}#worker${index + 1}`, worker.pid);
          });
        },
        (error: unknown) => {
          launched.startErrors.set(runner.name, describeError(error));
          config.logger.error({ tier: runner.name, err: describeError(error) }, 'tier failed to start');
        },
      ),
    ),
  );
  return launched;
}
