import { cpus, platform, release, totalmem } from 'node:os';
import type { ProcessUsageTotals } from '../metrics/resources.ts';
import type { TierRunResult } from '../harness/run-tiers.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import type { TierName } from '../tiers/types.ts';
import { recommend } from './recommend.ts';
import { summarySchemaVersion, type ProcessUsage, type RunSummary, type TierCost, type TierSummary } from './summary.ts';

export interface SummaryInputs {
  runId: string;
  scenario: Scenario;
  startedAt: Date;
  durationSec: number;
  services: Services;
  run: TierRunResult;
  /** By process name: tier:NAME, generator, kafka-broker, s3-server. */
  resources: Map<string, ProcessUsageTotals>;
  costs: Partial<Record<TierName, TierCost>>;
  cost: Omit<RunSummary['cost'], 'eventsPerDay'>;
}

const notMeasured = { cpuSeconds: 0, peakRssBytes: 0, meanRssBytes: 0 };

/** Assembles summary.json from what the run measured; nothing here is estimated. */
export function buildSummary(inputs: SummaryInputs): RunSummary {
  const { scenario, run, services } = inputs;
  const tiers: RunSummary['tiers'] = {};
  for (const outcome of run.tiers) {
    const resources = inputs.resources.get(`tier:${outcome.name}`);
    const tier: TierSummary = {
      state: outcome.state,
      ...(outcome.error ? { error: outcome.error } : {}),
      correct: outcome.correct,
      mismatches: outcome.mismatchCount,
      mismatchSamples: outcome.mismatches,
      latency: outcome.latency,
      warmupLatency: outcome.warmupLatency,
      ...(outcome.projectedLatency ? { projectedLatency: outcome.projectedLatency } : {}),
      distribution: outcome.distribution,
      freshness: outcome.freshness,
      throughputPerSec: outcome.throughputPerSec,
      resources: resources
        ? { cpuSeconds: resources.cpuSeconds, peakRssBytes: resources.peakRssBytes, meanRssBytes: resources.meanRssBytes }
        : notMeasured,
      usage: {
        events: outcome.visible,
        runSeconds: inputs.durationSec,
        s3Requests: outcome.usage.s3Requests,
        s3BytesWritten: outcome.usage.s3BytesWritten,
        kafkaBytesWritten: outcome.usage.kafkaBytesWritten,
        ...(outcome.batch ? { jobSeconds: outcome.batch.jobSeconds, jobRuns: outcome.batch.jobRuns } : {}),
      },
      deadLetters: outcome.deadLetters,
      cost: inputs.costs[outcome.name] ?? { usdPerYear: 0, breakdown: {} },
    };
    tiers[outcome.name] = tier;
  }
  const processes: ProcessUsage[] = [...inputs.resources].map(([name, usage]) => ({
    name,
    cpuSeconds: usage.cpuSeconds,
    peakRssBytes: usage.peakRssBytes,
    meanRssBytes: usage.meanRssBytes,
    source: '/proc',
  }));
  const batch = run.tiers.find((t) => t.name === 'batch')?.batch;
  const slaMicros = scenario.slaMs * 1000;
  return {
    schemaVersion: summarySchemaVersion,
    runId: inputs.runId,
    scenario: { name: scenario.name, question: scenario.question, dataset: scenario.dataset, quick: scenario.quick },
    seed: scenario.seed,
    startedAt: inputs.startedAt.toISOString(),
    durationSec: inputs.durationSec,
    environment: {
      servicesMode: services.mode,
      kafka: pick(services.kafka.description),
      s3: pick(services.s3.description),
      node: process.version,
      os: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      clock: 'one wall clock for every timestamp: performance.timeOrigin + performance.now(), µs resolution, one machine',
      batchReadPath: batch?.readPath ?? 'staged',
      schedule: {
        compressedPeriodMs: scenario.batch.periodMs ?? 20_000,
        realPeriodMs: scenario.batch.realPeriodMs ?? 86_400_000,
        microbatchTriggerMs: scenario.microbatch.triggerMs ?? 5_000,
      },
    },
    events: {
      produced: run.generator.produced,
      rejected: run.generator.malformed,
      valid: run.validEvents,
      ratePerSec: scenario.rate.ratePerSec,
      achievedRatePerSec: run.generator.achievedRatePerSec,
      generatorLag: { p50Micros: run.generator.lag.p50Micros, p99Micros: run.generator.lag.p99Micros, maxMicros: run.generator.lag.maxMicros },
    },
    sla: { p99Micros: slaMicros },
    tiers,
    processes,
    cost: { ...inputs.cost, eventsPerDay: scenario.eventsPerDay },
    recommendation: recommend(tiers, slaMicros),
  };
}

function pick(description: Services['kafka']['description']) {
  return { server: description.server, version: description.version, endpoint: description.endpoint };
}
