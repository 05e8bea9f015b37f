import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../errors.ts';
import {
  compareAggregates,
  generate,
  openKafkaEventSink,
  type AggregateMismatch,
  type Clock,
  type DatasetProfile,
  type OpenLoopReport,
  type RateShape,
  type WindowAggregate,
} from '../events/index.ts';
import { createKafkaClient } from '../kafka/client.ts';
import { ensureTopic, highWatermarks } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';
import type { LatencyStats } from '../metrics/histogram.ts';
import { TierLatency, type LatencySummary } from '../metrics/latency.ts';
import type { KafkaEndpoint, S3Endpoint } from '../services/types.ts';
import { createTier, type TierOptions } from '../tiers/registry.ts';
import type { Tier, TierCounts, TierName, TierTopics } from '../tiers/types.ts';

export interface TierRunConfig {
  runId: string;
  kafka: KafkaEndpoint;
  s3: S3Endpoint;
  profile: DatasetProfile;
  seed: number;
  rate: RateShape;
  durationMs: number;
  warmupMs: number;
  windowMs: number;
  partitions: number;
  tiers: TierName[];
  tierOptions: TierOptions;
  /** How long to wait, after the generator stops, for every tier to make everything visible. */
  drainTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  onProgress?: (progress: RunProgress) => void;
}

export interface RunProgress {
  phase: 'generating' | 'draining';
  produced: number;
  generatorLagMicros: number;
  tiers: Array<{ name: TierName; state: string; visible: number }>;
}

export interface DeadLetterCheck {
  produced: number;
  accepted: number;
  rejected: number;
  /** Records in the tier's dead-letter topic, read back from Kafka. */
  inDeadLetterTopic: number;
  reconciles: boolean;
}

export interface TierOutcome {
  name: TierName;
  state: 'ok' | 'errored';
  error?: string;
  correct: boolean;
  mismatchCount: number;
  /** The first few differing windows, for the report. */
  mismatches: AggregateMismatch[];
  latency: LatencySummary;
  warmupLatency: LatencyStats;
  projectedLatency?: LatencyStats;
  counts: TierCounts;
  deadLetters: DeadLetterCheck;
  visible: number;
  throughputPerSec: number;
}

export interface TierRunResult {
  generator: OpenLoopReport;
  groundTruthWindows: number;
  validEvents: number;
  tiers: TierOutcome[];
}

export function topicsFor(runId: string, tier: TierName): TierTopics {
  return { events: `tierlab.${runId}.events`, results: `tierlab.${runId}.results.${tier}`, deadLetter: `tierlab.${runId}.dlq.${tier}` };
}

/**
 * Drives the tiers through the one Tier interface: start them, run the generator, wait until
 * each has made every event visible (or failed), stop them, and check each committed answer
 * against the generator's ground truth. A tier that fails is reported and the others go on.
 */
export async function runTiers(config: TierRunConfig): Promise<TierRunResult> {
  const { clock, logger } = config;
  const kafka = createKafkaClient(config.kafka, { clientId: `tierlab-harness-${config.runId}` });
  const admin = kafka.admin();
  await admin.connect();
  const bucket = `tierlab-${config.runId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
  const latencies = new Map<TierName, TierLatency>();
  const tiers: Tier[] = [];
  const startErrors = new Map<TierName, string>();
  const startMicros = clock.nowMicros() + 2_000_000; // a moment for the tiers' groups to settle
  try {
    for (const name of config.tiers) {
      const topics = topicsFor(config.runId, name);
      await ensureTopic(admin, topics.events, config.partitions);
      await ensureTopic(admin, topics.results, config.partitions);
      await ensureTopic(admin, topics.deadLetter, 1);
      const batch = config.tierOptions.batch;
      const latency = new TierLatency(
        startMicros + config.warmupMs * 1000,
        name === 'batch' ? { compressedPeriodMs: batch?.periodMs ?? 20_000, realPeriodMs: batch?.realPeriodMs ?? 86_400_000 } : undefined,
      );
      latencies.set(name, latency);
      tiers.push(
        createTier(
          name,
          {
            runId: config.runId,
            kafka: config.kafka,
            s3: config.s3,
            bucket,
            topics,
            windowMs: config.windowMs,
            rules: config.profile.rules,
            clock,
            logger: logger.child({ tier: name }),
            onVisible: (visible) => latency.record(visible),
          },
          config.tierOptions,
        ),
      );
    }
    await Promise.all(
      tiers.map((tier) =>
        tier.start().catch((error: unknown) => {
          startErrors.set(tier.name, describeError(error));
          logger.error({ tier: tier.name, err: describeError(error) }, 'tier failed to start');
        }),
      ),
    );

    const sink = await openKafkaEventSink({ kafka, topic: topicsFor(config.runId, 'streaming').events, partitions: config.partitions });
    const progress = (phase: RunProgress['phase'], produced: number, lag: number) =>
      config.onProgress?.({
        phase,
        produced,
        generatorLagMicros: lag,
        tiers: tiers.map((tier) => ({ name: tier.name, state: tier.health().state, visible: tier.health().visible })),
      });
    const { report, groundTruth } = await generate({
      profile: config.profile,
      seed: config.seed,
      durationMs: config.durationMs,
      rate: config.rate,
      startMicros,
      windowMs: config.windowMs,
      sink,
      clock,
      paced: true,
      onProgress: (p) => progress('generating', p.produced, p.currentLagMicros),
    });
    const validEvents = groundTruth.events;
    const drainDeadline = Date.now() + config.drainTimeoutMs;
    const settled = (tier: Tier) => {
      const health = tier.health();
      return health.state === 'errored' || startErrors.has(tier.name) || health.counts.accepted + health.counts.rejected >= report.produced;
    };
    const allVisible = (tier: Tier) => settled(tier) && (tier.health().state === 'errored' || tier.health().visible >= tier.health().counts.accepted);
    while (Date.now() < drainDeadline && !tiers.every(allVisible)) {
      progress('draining', report.produced, 0);
      await sleep(250);
    }
    await Promise.allSettled(tiers.map((tier) => tier.stop()));

    const expected = groundTruth.result();
    const outcomes: TierOutcome[] = [];
    for (const tier of tiers) {
      outcomes.push(await outcomeOf(tier, { expected, report, admin, latency: latencies.get(tier.name)!, startError: startErrors.get(tier.name), config }));
    }
    return { generator: report, groundTruthWindows: expected.length, validEvents, tiers: outcomes };
  } finally {
    await Promise.allSettled(tiers.map((tier) => tier.stop()));
    await admin.disconnect();
  }
}

async function outcomeOf(
  tier: Tier,
  input: {
    expected: WindowAggregate[];
    report: OpenLoopReport;
    admin: ReturnType<ReturnType<typeof createKafkaClient>['admin']>;
    latency: TierLatency;
    startError: string | undefined;
    config: TierRunConfig;
  },
): Promise<TierOutcome> {
  const health = tier.health();
  let error = input.startError ?? health.error;
  let comparison = { equal: false, mismatches: [] as AggregateMismatch[] };
  try {
    comparison = compareAggregates(input.expected, await tier.readCommittedResult());
  } catch (readError) {
    error ??= `reading the committed result failed: ${describeError(readError)}`;
  }
  const dlqEnds = await highWatermarks(input.admin, topicsFor(input.config.runId, tier.name).deadLetter);
  const inDeadLetterTopic = Number([...dlqEnds.values()].reduce((sum, end) => sum + end, 0n));
  const { accepted, rejected } = health.counts;
  const latency = input.latency.summary();
  const spanSec = input.config.durationMs / 1000;
  const projected = input.latency.projectedSummary();
  return {
    name: tier.name,
    state: error ? 'errored' : 'ok',
    ...(error ? { error } : {}),
    correct: comparison.equal,
    mismatchCount: comparison.mismatches.length,
    mismatches: comparison.mismatches.slice(0, 10),
    latency,
    warmupLatency: input.latency.warmupSummary(),
    ...(projected ? { projectedLatency: projected } : {}),
    counts: health.counts,
    deadLetters: {
      produced: input.report.produced,
      accepted,
      rejected,
      inDeadLetterTopic,
      reconciles: accepted + rejected === input.report.produced && inDeadLetterTopic === rejected,
    },
    visible: health.visible,
    throughputPerSec: health.visible / spanSec,
  };
}
