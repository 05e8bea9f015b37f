import { systemClock, type Clock } from '../events/index.ts';
import type { KafkaClientName } from '../kafka/driver/types.ts';
import type { Logger } from '../log.ts';
import { ResourceSampler } from '../metrics/resources.ts';
import { flatWithin, rssTrend, type RssVerdict } from '../metrics/rss-trend.ts';
import { soakSchemaVersion, type SoakProcess, type SoakRate, type SoakResult, type SoakTier } from '../results/soak.ts';
import { scenarioProfile, type Scenario } from '../scenarios/scenario.ts';
import { machineEnvironment } from '../services/machine.ts';
import type { Services } from '../services/types.ts';
import { scenarioRunParts } from './scenario-run.ts';
import { watchServices } from './watch-services.ts';
import type { TierName } from '../tiers/types.ts';
import { forkGenerator } from './generator/process.ts';
import { removeRunStores, togetherNiceness } from './lab-run.ts';
import { achievedPerSec, type TierOutcome } from './outcome.ts';
import { runTiers, type RunProgress } from './run-tiers.ts';
import { warmServices } from './warmup.ts';
import { workerTierRunner } from './worker-runner.ts';

export interface SoakRunOptions {
  runId: string;
  scenario: Scenario;
  services: Services;
  /** Side by side on one stream, each in a worker process of its own. */
  tiers: TierName[];
  rate: SoakRate;
  durationSec: number;
  /** Left out of every trend: the heap, the JIT and the windows filling up to their bound. */
  warmupSec: number;
  sampleEverySec: number;
  /** Warm Kafka and S3 first, as every measuring command does (default). */
  warmup?: boolean;
  kafkaClient?: KafkaClientName;
  keep?: boolean;
  clock?: Clock;
  logger: Logger;
  onStage?: (message: string) => void;
  onProgress?: (progress: RunProgress) => void;
}

/** The processes the overall verdict is about: tierlab's own. The servers are JVMs whose heap their own settings bound. */
const judgedProcess = (name: string) => name === 'harness' || name === 'generator' || name.startsWith('tier:');

/**
 * A soak: the scenario's tiers fed one constant-rate stream for the whole duration, as a run
 * feeds them (runTiers), while every process's RSS is sampled: this one (the harness), the
 * generator's, each tier worker's and, with native services, the servers'. Each process's trend
 * over the stream, after the warm-up, says whether its memory is bounded.
 */
export async function runSoak(options: SoakRunOptions): Promise<SoakResult> {
  const { scenario, services } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = new Date();
  const profile = await scenarioProfile(scenario);
  const series = new Map<string, { pid: number; samples: Array<{ atMicros: number; rssBytes: number }> }>();
  const sampler = new ResourceSampler({
    onSample: (name, pid, sample) => {
      const kept = series.get(name) ?? series.set(name, { pid, samples: [] }).get(name)!;
      kept.samples.push({ atMicros: clock.nowMicros(), rssBytes: sample.rssBytes });
    },
  });
  const generator = await forkGenerator(services.kafka.endpoint);
  let outcomes: TierOutcome[];
  let stream: { startedMicros: number; finishedMicros: number };
  try {
    if (options.warmup !== false) {
      options.onStage?.(`warming Kafka and S3 at ${options.rate.ratePerSec} events/s until produce latency stops improving`);
      await warmServices({ generator, s3: services.s3.endpoint, profile, partitions: scenario.partitions, ratePerSec: options.rate.ratePerSec, maxSec: 20 });
    }
    // Only this process: the tiers and the generator are sampled under their own names.
    sampler.watch('harness', process.pid, { withChildren: false });
    sampler.watch('generator', generator.pid);
    watchServices(sampler, services);
    sampler.start(options.sampleEverySec * 1000);
    options.onStage?.(`soaking ${options.tiers.join(', ')} at ${options.rate.ratePerSec} events/s for ${options.durationSec} s, RSS sampled every ${options.sampleEverySec} s`);
    const result = await runTiers({
      ...scenarioRunParts(scenario, profile, services, options.tiers),
      runId: `${options.runId}-soak`,
      ...(options.kafkaClient ? { kafkaClient: options.kafkaClient } : {}),
      rate: { kind: 'constant', ratePerSec: options.rate.ratePerSec },
      durationMs: options.durationSec * 1000,
      warmupMs: options.warmupSec * 1000,
      clock,
      logger: options.logger,
      // Side by side below the broker and the generator, as a run's together execution.
      launch: (spec) => workerTierRunner(spec, { niceness: options.tiers.length > 1 ? togetherNiceness : 0 }),
      generator,
      sampler,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await sampler.stop();
    outcomes = result.tiers;
    stream = { startedMicros: result.generator.startedMicros, finishedMicros: result.generator.finishedMicros };
  } finally {
    await generator.close();
  }
  if (!options.keep) await removeRunStores(services, options.runId, options.onStage);
  const processes = soakProcesses(series, stream, options.warmupSec);
  return {
    schemaVersion: soakSchemaVersion,
    scenario: scenario.name,
    runId: options.runId,
    startedAt: startedAt.toISOString(),
    environment: machineEnvironment(services),
    rate: options.rate,
    durationSec: options.durationSec,
    warmupSec: options.warmupSec,
    sampleEverySec: options.sampleEverySec,
    flatWithin,
    tiers: outcomes.map(soakTier),
    processes,
    verdict: overallVerdict(processes),
  };
}

/**
 * Each process's samples taken while the stream ran (its drain and the verification after it are
 * not the steady state), as seconds since the stream started; the trend from the warm-up's end.
 */
export function soakProcesses(
  series: Map<string, { pid: number; samples: Array<{ atMicros: number; rssBytes: number }> }>,
  stream: { startedMicros: number; finishedMicros: number },
  warmupSec: number,
): SoakProcess[] {
  return [...series].map(([name, { pid, samples }]) => {
    const during = samples
      .filter((s) => s.atMicros >= stream.startedMicros && s.atMicros <= stream.finishedMicros)
      .map((s) => ({ atSec: (s.atMicros - stream.startedMicros) / 1e6, rssBytes: s.rssBytes }));
    const trend = rssTrend(during.filter((s) => s.atSec >= warmupSec));
    return { name, pid, judged: judgedProcess(name), ...trend, series: during.map((s): [number, number] => [Math.round(s.atSec * 10) / 10, s.rssBytes]) };
  });
}

/** flat when every judged process is; growing when any is; unknown when none grew but one could not be judged. */
export function overallVerdict(processes: SoakProcess[]): RssVerdict {
  const judged = processes.filter((p) => p.judged);
  if (judged.some((p) => p.verdict === 'growing')) return 'growing';
  if (judged.length === 0 || judged.some((p) => p.verdict === 'unknown')) return 'unknown';
  return 'flat';
}

function soakTier(outcome: TierOutcome): SoakTier {
  return {
    name: outcome.name,
    state: outcome.state,
    ...(outcome.error ? { error: outcome.error } : {}),
    correct: outcome.correct,
    visible: outcome.visible,
    achievedPerSec: achievedPerSec(outcome),
    ...(outcome.facts.heldWindows !== undefined ? { heldWindows: outcome.facts.heldWindows } : {}),
    ...(outcome.facts.evictedWindows !== undefined ? { evictedWindows: outcome.facts.evictedWindows } : {}),
  };
}
