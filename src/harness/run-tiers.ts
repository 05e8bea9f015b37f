import type { Histogram } from 'hdr-histogram-js';
import { TierlabError, describeError } from '../errors.ts';
import type { Clock, DatasetProfile, OpenLoopReport, RateShape } from '../events/index.ts';
import { createKafkaClient } from '../kafka/client.ts';
import { defaultKafkaClient, type KafkaClientName } from '../kafka/driver/index.ts';
import type { Logger } from '../log.ts';
import { decodeHistogram } from '../metrics/histogram.ts';
import type { ResourceSampler } from '../metrics/resources.ts';
import type { KafkaEndpoint, S3Endpoint } from '../services/types.ts';
import type { ResolvedTierOptions } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import { drainTiers } from './drain.ts';
import { expectedResultOf } from './generator/ground-truth.ts';
import { inProcessGenerator } from './generator/send.ts';
import type { StreamGenerator } from './generator/types.ts';
import { launchTiers, topicsFor } from './launch.ts';
import type { BacklogSample, TierOutcome } from './outcome.ts';
import { localTierRunner, type TierRunner, type TierRunnerResult, type TierSpec } from './tier-runner.ts';
import { goneMessage, storeProbes, storesOf, watchStores } from './store-watch.ts';
import { verifyTier } from './verify.ts';
import type { FaultInbox } from './faults/inbox.ts';
import { scheduleFaults } from './faults/schedule.ts';
import type { FaultRecord, FaultServices, InjectedFault } from './faults/types.ts';
import { restartableRunner } from './faults/restartable.ts';
import { superviseWorkers } from './faults/supervise.ts';
import { isServiceFault, serviceOf, specAt, type FaultSpec } from './faults/spec.ts';


export interface TierRunConfig {
  runId: string;
  kafka: KafkaEndpoint;
  /** The tiers' Node Kafka client; the default client when not given. */
  kafkaClient?: KafkaClientName;
  s3: S3Endpoint;
  profile: DatasetProfile;
  seed: number;
  rate: RateShape;
  durationMs: number;
  warmupMs: number;
  windowMs: number;
  partitions: number;
  tiers: TierName[];
  tierOptions: ResolvedTierOptions;
  /** How long to wait, after the generator stops, for every tier to make everything visible. */
  drainTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  /** Where each tier runs: in this process by default, or a worker process per tier. */
  launch?: (spec: TierSpec) => TierRunner;
  /** What sends the events: a process of its own in a lab run; by default one in this process. */
  generator?: StreamGenerator;
  /** Given the pid of every tier's process, to attribute CPU and memory. */
  sampler?: ResourceSampler;
  /** Faults to inject into this pass's tiers, at times after the stream starts. */
  faults?: FaultSpec[];
  /** The servers broker-restart and s3-outage stop and start (native services this session owns). */
  faultServices?: FaultServices;
  /** Faults asked for while the stream runs (the live demo): every tier's worker can then be replaced. */
  faultInbox?: FaultInbox;
  onProgress?: (progress: RunProgress) => void;
}

export interface RunProgress {
  phase: 'generating' | 'draining';
  produced: number;
  generatorLagMicros: number;
  tiers: Array<{
    name: TierName;
    state: string;
    visible: number;
    latestLatencyMicros?: number;
    /** p50 and p99 of what became visible in the last 10 s (the tier's own rolling histogram, 1%). */
    recent?: { p50Micros: number; p99Micros: number };
    /** Event time of the newest visible event, µs on the run's clock: its age is the result's freshness. */
    newestVisibleEventMicros?: number;
  }>;
}

/** One pass: a set of tiers fed one stream, each checked against the ground truth. */
export interface TierRunResult {
  generator: OpenLoopReport;
  generatorLag: Histogram;
  /** Mean bytes per record on the wire (key + value), for the cost model. */
  eventBytes: number;
  /** The faults injected, when, and how long until the tier made a result visible again. */
  faults: FaultRecord[];
  groundTruthWindows: number;
  validEvents: number;
  tiers: TierOutcome[];
}

/** A moment for the generator to be ready after the tiers have started and joined their groups. */
const settleMicros = 500_000;

/**
 * One pass through the one Tier interface: launch the tiers, feed them the stream, wait until each
 * has made every event visible (or failed), stop them, and verify each committed answer against
 * the generator's ground truth. A tier that fails is reported and the others go on.
 */
export async function runTiers(config: TierRunConfig): Promise<TierRunResult> {
  const { clock, logger } = config;
  const admin = createKafkaClient(config.kafka, { clientId: `tierlab-harness-${config.runId}` }).admin();
  await admin.connect();
  const generator = config.generator ?? (await inProcessGenerator(config.kafka, clock));
  const results = new Map<TierName, TierRunnerResult>();
  let runners: TierRunner[] = [];
  const startErrors = new Map<TierName, string>();
  const stopAll = () =>
    Promise.all(
      runners
        .filter((runner) => !results.has(runner.name))
        .map(async (runner) => {
          try {
            results.set(runner.name, await runner.stop());
          } catch (error) {
            startErrors.set(runner.name, startErrors.get(runner.name) ?? describeError(error));
            // What a worker that could not stop had measured, up to its last snapshot (a second before).
            const snapshot = runner.lastSnapshot?.();
            if (snapshot) results.set(runner.name, snapshot);
          }
        }),
    );
  let watch: { stop(): Promise<void> } | undefined;
  let closeInbox: (() => void) | undefined;
  try {
    const launch = config.launch ?? ((spec: TierSpec) => localTierRunner(spec, logger.child({ tier: spec.name }), clock));
    const launched = await launchTiers(
      {
        ...config,
        kafkaClient: config.kafkaClient ?? defaultKafkaClient,
        // Every tier runs behind a runner that can replace its worker: for a planned kill, one asked
        // for live, or a worker that dies unplanned (superviseWorkers below).
        launch: (spec) => restartableRunner(() => launch(spec)),
      },
      admin,
    );
    runners = launched.runners;
    for (const [name, error] of launched.startErrors) startErrors.set(name, error);
    const live = runners.filter((runner) => !startErrors.has(runner.name));

    // The stream's clock starts only now that every tier has started, so a slow start is never counted as lag.
    const startMicros = clock.nowMicros() + settleMicros;
    const window = { warmupEndsMicros: startMicros + config.warmupMs * 1000, generatorEndsMicros: startMicros + config.durationMs * 1000 };
    await Promise.all(live.map((runner) => runner.measure(window).catch((error: unknown) => startErrors.set(runner.name, describeError(error)))));

    const plan = {
      profile: config.profile,
      seed: config.seed,
      rate: config.rate,
      startMicros,
      durationMs: config.durationMs,
      windowMs: config.windowMs,
      topic: topicsFor(config.runId, config.tiers[0]!).events,
      partitions: config.partitions,
    };
    const backlog = new Map<TierName, BacklogSample[]>(runners.map((r) => [r.name, []]));
    const progress = (phase: RunProgress['phase'], produced: number, lag: number) => {
      const atMicros = clock.nowMicros();
      const tiers = runners.map((runner) => {
        const { state, visible, latestLatencyMicros, counts, recentLatency, newestVisibleEventMicros } = runner.health();
        if (phase === 'generating') backlog.get(runner.name)!.push({ atMicros, backlog: produced - visible - counts.rejected });
        return {
          name: runner.name,
          state,
          visible,
          ...(latestLatencyMicros !== undefined ? { latestLatencyMicros } : {}),
          ...(recentLatency ? { recent: { p50Micros: recentLatency.p50Micros, p99Micros: recentLatency.p99Micros } } : {}),
          ...(newestVisibleEventMicros !== undefined ? { newestVisibleEventMicros } : {}),
        };
      });
      config.onProgress?.({ phase, produced, generatorLagMicros: lag, tiers });
    };
    const faultContext = {
      runners,
      specs: launched.specs,
      admin,
      config,
      ...(config.faultServices ? { services: config.faultServices } : {}),
      startMicros,
      onError: (name: TierName, error: string) => startErrors.set(name, error),
    };
    const planned = config.faults ?? [];
    const injected = scheduleFaults(planned, faultContext);
    const supervised = superviseWorkers(faultContext);
    const liveFaults: Array<Promise<InjectedFault[]>> = [];
    closeInbox = config.faultInbox?.open((fault) => {
      const refused = refusal(fault, runners, config.faultServices);
      if (refused) return refused;
      const atMs = Math.max(0, (clock.nowMicros() - startMicros) / 1000);
      liveFaults.push(scheduleFaults([{ ...fault, atMs, text: specAt(fault, atMs) }], faultContext, planned.length + liveFaults.length));
      return undefined;
    });
    const stores = storesOf(launched.specs);
    const gone = new Set<string>();
    watch = watchStores(stores, storeProbes(admin, config.s3), (store, afterMs) => {
      gone.add(store.name);
      const message = goneMessage(store, afterMs);
      logger.error({ store: store.name }, message);
      for (const tier of store.tiers) if (!startErrors.has(tier)) startErrors.set(tier, message);
    });
    const stream = await generator
      .generate(plan, (p) => progress('generating', p.produced, p.currentLagMicros))
      .catch((error: unknown) => {
        // Sending fails for good when the events topic is gone: say which, not the client's words alone.
        if (!gone.has(plan.topic)) throw error;
        throw new TierlabError('STORE_MISSING', `the Kafka topic "${plan.topic}" was deleted during the run, so the generator could not send to it (${describeError(error)})`, { cause: error });
      });
    const { report } = stream;
    await drainTiers(runners, {
      produced: report.produced,
      timeoutMs: config.drainTimeoutMs,
      clock,
      failed: (runner) => startErrors.has(runner.name),
      onTick: () => progress('draining', report.produced, 0),
    });
    await watch.stop();
    // Read before the workers stop: a stopped worker no longer reports when it first made a result visible.
    closeInbox?.();
    const faults: FaultRecord[] = [...(await injected), ...(await Promise.all(liveFaults)).flat(), supervised].flatMap((fault) => fault.records());
    await stopAll();

    // Computed only now, so it takes no CPU from the measured tiers.
    const expected = await expectedResultOf(plan);
    const truth = expected.groundTruth.result();
    const generatorLag = decodeHistogram(report.lagHistogram);
    const outcomes: TierOutcome[] = [];
    for (const runner of runners) {
      outcomes.push(
        await verifyTier({
          runner,
          spec: launched.specs.get(runner.name)!,
          result: results.get(runner.name),
          startError: startErrors.get(runner.name),
          expected: truth,
          produced: report.produced,
          generatorLag,
          backlog: backlog.get(runner.name)!,
          admin,
          logger,
        }),
      );
    }
    return {
      generator: report,
      generatorLag,
      eventBytes: report.produced > 0 ? stream.bytesSent / report.produced : 0,
      groundTruthWindows: truth.length,
      faults,
      validEvents: expected.groundTruth.events,
      tiers: outcomes,
    };
  } finally {
    closeInbox?.();
    await watch?.stop();
    await stopAll();
    if (!config.generator) await generator.close();
    await admin.disconnect();
  }
}

/** Why the running pass cannot take a fault asked for live, or undefined when it can. */
function refusal(fault: FaultSpec, runners: TierRunner[], services: FaultServices | undefined): string | undefined {
  if (fault.kind === 'kill' && !runners.some((runner) => runner.name === fault.tier)) return `${fault.tier} is not running in this pass`;
  if (isServiceFault(fault) && !services?.[serviceOf(fault)]) return `${fault.text}: only native services this run started can be stopped and started again`;
  return undefined;
}
