import { cpus, platform, release, totalmem } from 'node:os';
import type { TierOutcome } from './outcome.ts';
import { achievedPerSec } from './outcome.ts';
import type { RunCostSection } from './costs.ts';
import type { FaultRecord } from './faults/types.ts';
import type { TierRunResult } from './run-tiers.ts';
import { orderFlip, sensitivity, type CostInputs } from '../cost/index.ts';
import { decodeHistogram, distributionPoints, encodeHistogram, latencyStats, newLatencyHistogram, type LatencyStats } from '../metrics/histogram.ts';
import type { KafkaClientName } from '../kafka/driver/types.ts';
import type { ProcessUsageTotals } from '../metrics/resources.ts';
import { projectScheduleLatency } from '../metrics/schedule-latency.ts';
import { readsOf, type Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { runSchedule } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import { recommend } from '../results/recommend.ts';
import { readsContextOf, readsText, stalenessAtRead } from '../results/staleness-at-read.ts';
import {
  summarySchemaVersion,
  type Execution,
  type ProcessUsage,
  type RepeatSummary,
  type RunSchedule,
  type RunSummary,
  type TierCost,
  type TierSummary,
} from '../results/summary.ts';

export interface SummaryInputs {
  runId: string;
  scenario: Scenario;
  startedAt: Date;
  durationSec: number;
  services: Services;
  execution: Execution;
  kafkaClient: KafkaClientName;
  measuredSecPerTier: number;
  tierWorkerNiceness: number;
  servicesState: RunSummary['environment']['services'];
  /** Every pass of the run, for the generator's figures. */
  passes: TierRunResult[];
  /** The faults injected over all passes. */
  faults: FaultRecord[];
  /** Each tier over all its passes. */
  tiers: TierOutcome[];
  /** By process name: tier:NAME, generator, kafka-broker, s3-server. */
  resources: Map<string, ProcessUsageTotals>;
  costs: Partial<Record<TierName, TierCost>>;
  cost: RunCostSection;
  /** What the costs were computed from: moved one assumption at a time for the sensitivity and the tie rule. */
  pricing: CostInputs;
  repeats: RepeatSummary[];
}

const notMeasured = { cpuSeconds: 0, peakRssBytes: 0, meanRssBytes: 0 };
const lagOf = (histogram: Parameters<typeof latencyStats>[0]) => {
  const { p50Micros, p99Micros, maxMicros } = latencyStats(histogram);
  return { p50Micros, p99Micros, maxMicros };
};

/** The volume and real schedule a run projects to, and when its results are read: the scenario's. */
export type ProjectionScenario = Pick<Scenario, 'eventsPerDay'> & { reads?: Scenario['reads']; schedule: Pick<RunSchedule, 'realPeriodMs' | 'cron' | 'tz'> };

/** What a scenario says of the volume, the schedules and the reads a run projects to. */
export function projectionOf(scenario: Scenario): ProjectionScenario {
  return { eventsPerDay: scenario.eventsPerDay, reads: scenario.reads, schedule: runSchedule(scenario) };
}

/**
 * For a tier that declared a projection (batch), its latency under the real schedule at the
 * scenario's volume, computed from its measured job seconds per visible event and its measured event
 * count (see schedule-latency.ts); undefined for the others.
 */
export function projectedLatencyOf(outcome: TierOutcome, scenario: ProjectionScenario): LatencyStats | undefined {
  if (!outcome.latency.projection) return undefined;
  return projectScheduleLatency(
    { latency: { count: outcome.latency.total.totalCount }, usage: { events: outcome.visible, jobSeconds: outcome.facts.jobSeconds ?? 0 } },
    { eventsPerDay: scenario.eventsPerDay, realPeriodMs: scenario.schedule.realPeriodMs },
  );
}

/**
 * A tier's section of summary.json, from what it measured; the one figure not measured as such,
 * projectedLatency, is computed from measured inputs and labelled projected wherever it is shown.
 */
export function tierSummary(
  outcome: TierOutcome,
  resources: ProcessUsageTotals | undefined,
  cost: TierCost | undefined,
  scenario: ProjectionScenario,
): TierSummary {
  const projected = projectedLatencyOf(outcome, scenario);
  const measured = outcome.latency.summary();
  const measuredAtReads = outcome.latency.stalenessSummary();
  const staleness = stalenessAtRead(
    {
      measured,
      ...(projected ? { projected } : {}),
      measuredAtReads,
      latency: { count: measured.count },
      usage: { events: outcome.visible, jobSeconds: outcome.facts.jobSeconds ?? 0 },
    },
    readsContextOf(scenario),
  );
  return {
    state: outcome.state,
    ...(outcome.error ? { error: outcome.error } : {}),
    correct: outcome.correct,
    unseen: outcome.unseen,
    appliedTwice: outcome.appliedTwice,
    ...(outcome.facts.guarantee ? { guarantee: outcome.facts.guarantee } : {}),
    ...(outcome.facts.engine ? { engine: outcome.facts.engine } : {}),
    ...(outcome.facts.workers ? { scaleOut: { workers: outcome.facts.workers, partitionTakeovers: outcome.facts.partitionTakeovers ?? 0 } } : {}),
    mismatches: outcome.mismatchCount,
    mismatchSamples: outcome.mismatches,
    latency: { ...measured, histogram: encodeHistogram(outcome.latency.total) },
    warmupLatency: outcome.latency.warmupSummary(),
    generatorLag: lagOf(outcome.generatorLag),
    ...(projected ? { projectedLatency: projected } : {}),
    distribution: distributionPoints(outcome.latency.total),
    freshness: latencyStats(outcome.freshness),
    stalenessAtRead: staleness,
    stalenessMeasured: measuredAtReads,
    achievedPerSec: achievedPerSec(outcome),
    resources: resources
      ? { cpuSeconds: resources.cpuSeconds, peakRssBytes: resources.peakRssBytes, meanRssBytes: resources.meanRssBytes }
      : notMeasured,
    usage: {
      events: outcome.visible,
      runSeconds: outcome.spanMicros / 1e6,
      s3Requests: outcome.usage.s3Requests,
      s3BytesWritten: outcome.usage.s3BytesWritten,
      kafkaBytesWritten: outcome.usage.kafkaBytesWritten,
      ...(outcome.facts.jobRuns !== undefined ? { jobSeconds: outcome.facts.jobSeconds ?? 0, jobRuns: outcome.facts.jobRuns } : {}),
    },
    deadLetters: outcome.deadLetters,
    cost: cost ?? { usdPerYear: 0, architecture: 'none', measuredShare: 0, lines: [] },
  };
}

/** One repeat: its percentiles per tier, and the tier it alone would recommend. */
export function repeatSummary(scenario: Scenario, tiers: TierOutcome[], costs: Partial<Record<TierName, TierCost>>): RepeatSummary {
  const summaries: RunSummary['tiers'] = {};
  const figures: RepeatSummary['tiers'] = {};
  for (const outcome of tiers) {
    const tier = tierSummary(outcome, undefined, costs[outcome.name], projectionOf(scenario));
    summaries[outcome.name] = tier;
    figures[outcome.name] = { count: tier.latency.count, p50Micros: tier.latency.p50Micros, p99Micros: tier.latency.p99Micros, p999Micros: tier.latency.p999Micros };
  }
  return { recommendation: recommend(summaries, scenario.slaMs * 1000).tier, tiers: figures };
}

/** Assembles summary.json from what the run measured. */
export function buildSummary(inputs: SummaryInputs): RunSummary {
  const { scenario, services } = inputs;
  const schedule = runSchedule(scenario);
  const projection = { eventsPerDay: scenario.eventsPerDay, reads: scenario.reads, schedule };
  const tiers: RunSummary['tiers'] = {};
  for (const outcome of inputs.tiers) {
    tiers[outcome.name] = tierSummary(outcome, inputs.resources.get(`tier:${outcome.name}`), inputs.costs[outcome.name], projection);
  }
  const processes: ProcessUsage[] = [...inputs.resources].map(([name, usage]) => ({
    name,
    cpuSeconds: usage.cpuSeconds,
    peakRssBytes: usage.peakRssBytes,
    meanRssBytes: usage.meanRssBytes,
    source: '/proc',
  }));
  const lag = newLatencyHistogram();
  for (const pass of inputs.passes) lag.add(decodeHistogram(pass.generator.lagHistogram));
  const sum = (pick: (pass: TierRunResult) => number) => inputs.passes.reduce((total, pass) => total + pick(pass), 0);
  const produced = sum((p) => p.generator.produced);
  const slaMicros = scenario.slaMs * 1000;
  // Which tier is cheapest among those meeting the SLA, with the costs an assumption moved gives.
  const cheapestWith = (costs: Partial<Record<TierName, TierCost>>) => recommend(withCosts(tiers, costs), slaMicros).tier;
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
      batchReadPath: inputs.tiers.find((t) => t.facts.readPath)?.facts.readPath ?? 'staged',
      execution: inputs.execution,
      kafkaClient: inputs.kafkaClient,
      measuredSecPerTier: inputs.measuredSecPerTier,
      tierWorkerNiceness: inputs.tierWorkerNiceness,
      services: inputs.servicesState,
      schedule,
    },
    events: {
      produced,
      rejected: sum((p) => p.generator.malformed),
      valid: sum((p) => p.validEvents),
      ratePerSec: scenario.rate.ratePerSec,
      // Over every pass: records sent over the time the sending took.
      achievedRatePerSec: produced / Math.max(1e-6, sum((p) => p.generator.produced / Math.max(1e-6, p.generator.achievedRatePerSec))),
      generatorLag: lagOf(lag),
    },
    sla: { p99Micros: slaMicros },
    reads: readsOf(scenario.reads),
    tiers,
    processes,
    cost: { ...inputs.cost, eventsPerDay: scenario.eventsPerDay, sensitivity: sensitivity(inputs.pricing, cheapestWith) },
    repeats: inputs.repeats,
    ...(inputs.faults.length > 0 ? { faults: inputs.faults } : {}),
    recommendation: withSchedule(
      recommend(tiers, slaMicros, (cheaper, simpler) => orderFlip(inputs.pricing, cheaper, simpler)),
      tiers,
      { schedule, reads: scenario.reads },
    ),
  };
}

/** A choice that rests on a schedule's phase names it, and when the results are read. */
function withSchedule(
  recommendation: RunSummary['recommendation'],
  tiers: RunSummary['tiers'],
  { schedule, reads }: { schedule: RunSchedule; reads: Scenario['reads'] },
): RunSummary['recommendation'] {
  const chosen = recommendation.tier ? tiers[recommendation.tier] : undefined;
  if (chosen?.stalenessAtRead?.basis !== 'computed' || !schedule.cron) return recommendation;
  return {
    ...recommendation,
    why: `${recommendation.why} Its job runs on cron "${schedule.cron}" (${schedule.tz ?? 'UTC'}); the results are read ${readsText(readsOf(reads))}.`,
  };
}

function withCosts(tiers: RunSummary['tiers'], costs: Partial<Record<TierName, TierCost>>): RunSummary['tiers'] {
  return Object.fromEntries(Object.entries(tiers).map(([name, tier]) => [name, { ...tier, cost: costs[name as TierName] ?? tier.cost }]));
}

function pick(description: Services['kafka']['description']) {
  return { server: description.server, version: description.version, endpoint: description.endpoint };
}
