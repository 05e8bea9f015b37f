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
import { decodeHistogram, distributionPoints, latencyStats, newLatencyHistogram, type LatencyStats } from '../metrics/histogram.ts';
import { TierLatency, type LatencySummary } from '../metrics/latency.ts';
import type { ResourceSampler } from '../metrics/resources.ts';
import type { KafkaEndpoint, S3Endpoint } from '../services/types.ts';
import { createTier, type TierOptions } from '../tiers/registry.ts';
import type { TierCounts, TierHealth, TierName, TierTopics, TierUsage } from '../tiers/types.ts';
import { localTierRunner, tierContextOf, type BatchFacts, type TierRunner, type TierRunnerResult, type TierSpec } from './tier-runner.ts';

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
  /** Where each tier runs: in this process by default, or a worker process per tier. */
  launch?: (spec: TierSpec) => TierRunner;
  /** Given the pid of every tier's process, to attribute CPU and memory. */
  sampler?: ResourceSampler;
  onProgress?: (progress: RunProgress) => void;
}

export interface RunProgress {
  phase: 'generating' | 'draining';
  produced: number;
  generatorLagMicros: number;
  tiers: Array<{ name: TierName; state: string; visible: number; latestLatencyMicros?: number }>;
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
  distribution: Array<{ percentile: number; micros: number }>;
  /** Age of the newest visible result, sampled every second while events flowed. */
  freshness: LatencyStats;
  counts: TierCounts;
  usage: TierUsage;
  batch?: BatchFacts;
  deadLetters: DeadLetterCheck;
  visible: number;
  throughputPerSec: number;
}

export interface TierRunResult {
  generator: OpenLoopReport;
  /** Mean bytes per record on the wire (key + value), for the cost model. */
  eventBytes: number;
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
  const launch = config.launch ?? ((spec: TierSpec) => localTierRunner(spec, logger.child({ tier: spec.name })));
  const runners: TierRunner[] = [];
  const specs = new Map<TierName, TierSpec>();
  const startErrors = new Map<TierName, string>();
  const startMicros = clock.nowMicros() + 2_000_000; // a moment for the tiers' groups to settle
  const results = new Map<TierName, TierRunnerResult>();
  const stopAll = async () => {
    await Promise.all(
      runners
        .filter((runner) => !results.has(runner.name))
        .map(async (runner) => {
          try {
            results.set(runner.name, await runner.stop());
          } catch (error) {
            startErrors.set(runner.name, startErrors.get(runner.name) ?? describeError(error));
          }
        }),
    );
  };
  try {
    for (const name of config.tiers) {
      const topics = topicsFor(config.runId, name);
      await ensureTopic(admin, topics.events, config.partitions);
      await ensureTopic(admin, topics.results, config.partitions);
      await ensureTopic(admin, topics.deadLetter, 1);
      const batch = config.tierOptions.batch;
      const spec: TierSpec = {
        name,
        runId: config.runId,
        kafka: config.kafka,
        s3: config.s3,
        bucket,
        topics,
        windowMs: config.windowMs,
        rules: config.profile.rules,
        tierOptions: config.tierOptions,
        warmupEndsMicros: startMicros + config.warmupMs * 1000,
        generatorEndsMicros: startMicros + config.durationMs * 1000,
        ...(name === 'batch'
          ? { projection: { compressedPeriodMs: batch?.periodMs ?? 20_000, realPeriodMs: batch?.realPeriodMs ?? 86_400_000 } }
          : {}),
      };
      specs.set(name, spec);
      const runner = launch(spec);
      runners.push(runner);
      if (runner.pid !== process.pid) config.sampler?.watch(`tier:${name}`, runner.pid);
    }
    await Promise.all(
      runners.map((runner) =>
        runner.start().catch((error: unknown) => {
          startErrors.set(runner.name, describeError(error));
          logger.error({ tier: runner.name, err: describeError(error) }, 'tier failed to start');
        }),
      ),
    );

    const sink = await openKafkaEventSink({ kafka, topic: topicsFor(config.runId, 'streaming').events, partitions: config.partitions });
    const progress = (phase: RunProgress['phase'], produced: number, lag: number) =>
      config.onProgress?.({
        phase,
        produced,
        generatorLagMicros: lag,
        tiers: runners.map((runner) => {
          const { state, visible, latestLatencyMicros } = runner.health();
          return { name: runner.name, state, visible, ...(latestLatencyMicros !== undefined ? { latestLatencyMicros } : {}) };
        }),
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
    const drainDeadline = Date.now() + config.drainTimeoutMs;
    const done = (runner: TierRunner) => {
      const health = runner.health();
      if (health.state === 'errored' || startErrors.has(runner.name)) return true;
      return health.counts.accepted + health.counts.rejected >= report.produced && health.visible >= health.counts.accepted;
    };
    while (Date.now() < drainDeadline && !runners.every(done)) {
      progress('draining', report.produced, 0);
      await sleep(250);
    }
    await stopAll();

    const expected = groundTruth.result();
    const outcomes: TierOutcome[] = [];
    for (const runner of runners) {
      outcomes.push(
        await outcomeOf(runner, {
          expected,
          report,
          admin,
          result: results.get(runner.name),
          spec: specs.get(runner.name)!,
          startError: startErrors.get(runner.name),
          config,
        }),
      );
    }
    return {
      generator: report,
      eventBytes: report.produced > 0 ? sink.bytesSent() / report.produced : 0,
      groundTruthWindows: expected.length,
      validEvents: groundTruth.events,
      tiers: outcomes,
    };
  } finally {
    await stopAll();
    await admin.disconnect();
  }
}

async function outcomeOf(
  runner: TierRunner,
  input: {
    expected: WindowAggregate[];
    report: OpenLoopReport;
    admin: ReturnType<ReturnType<typeof createKafkaClient>['admin']>;
    result: TierRunnerResult | undefined;
    spec: TierSpec;
    startError: string | undefined;
    config: TierRunConfig;
  },
): Promise<TierOutcome> {
  const health: TierHealth = input.result?.health ?? runner.health();
  let error = input.startError ?? health.error;
  let comparison = { equal: false, mismatches: [] as AggregateMismatch[] };
  try {
    // Read back from the tier's store, by a fresh reader: the committed answer, not memory.
    const reader = createTier(runner.name, tierContextOf(input.spec, input.config.logger, () => undefined), input.config.tierOptions);
    comparison = compareAggregates(input.expected, await reader.readCommittedResult());
  } catch (readError) {
    error ??= `reading the committed result failed: ${describeError(readError)}`;
  }
  const dlqEnds = await highWatermarks(input.admin, topicsFor(input.config.runId, runner.name).deadLetter);
  const inDeadLetterTopic = Number([...dlqEnds.values()].reduce((sum, end) => sum + end, 0n));
  const { accepted, rejected } = health.counts;
  const latency = new TierLatency(input.spec.warmupEndsMicros, input.spec.projection);
  if (input.result) latency.merge(input.result.latency);
  const projected = latency.projectedSummary();
  return {
    name: runner.name,
    state: error ? 'errored' : 'ok',
    ...(error ? { error } : {}),
    correct: comparison.equal,
    mismatchCount: comparison.mismatches.length,
    mismatches: comparison.mismatches.slice(0, 10),
    latency: latency.summary(),
    warmupLatency: latency.warmupSummary(),
    ...(projected ? { projectedLatency: projected } : {}),
    distribution: distributionPoints(latency.total),
    freshness: input.result ? latencyStats(decodeHistogram(input.result.freshness)) : latencyStats(newLatencyHistogram()),
    counts: health.counts,
    usage: health.usage,
    ...(input.result?.batch ? { batch: input.result.batch } : {}),
    deadLetters: {
      produced: input.report.produced,
      accepted,
      rejected,
      inDeadLetterTopic,
      reconciles: accepted + rejected === input.report.produced && inDeadLetterTopic === rejected,
    },
    visible: health.visible,
    throughputPerSec: health.visible / (input.config.durationMs / 1000),
  };
}
