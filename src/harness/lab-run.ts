import { randomBytes } from 'node:crypto';
import { writeFileAtomically } from '../results/write-atomically.ts';
import { findStores, ofRun, removeStores } from './cleanup.ts';
import { join } from 'node:path';
import { systemClock, type Clock, type DatasetProfile } from '../events/index.ts';
import { defaultKafkaClient, type KafkaClientName } from '../kafka/driver/index.ts';
import type { Logger } from '../log.ts';
import { ResourceSampler, addUsageTotals, type ProcessUsageTotals } from '../metrics/resources.ts';
import { buildSummary, repeatSummary } from './build-summary.ts';
import type { Execution, RunSummary, WarmupSummary } from '../results/summary.ts';
import { scenarioProfile, type Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { describeError, TierlabError } from '../errors.ts';
import { scenarioRunParts } from './scenario-run.ts';
import { watchServices } from './watch-services.ts';
import { assertFaultsInjectable } from './faults/availability.ts';
import type { FaultInbox } from './faults/inbox.ts';
import type { FaultSpec } from './faults/spec.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { projectRunCosts } from './costs.ts';
import { forkGenerator } from './generator/process.ts';
import { inProcessGenerator } from './generator/send.ts';
import type { StreamGenerator } from './generator/types.ts';
import { combineOutcomes, type TierOutcome } from './outcome.ts';
import { planPasses, type Pass } from './passes.ts';
import { runTiers, type RunProgress, type TierRunResult } from './run-tiers.ts';
import { localTierRunner } from './tier-runner.ts';
import { noWarmup, warmServices } from './warmup.ts';
import { workerTierRunner } from './worker-runner.ts';
import { runLakehousePass } from '../lakehouse/lakehouse-pass.ts';
import type { LakehouseSummary } from '../results/lakehouse.ts';
import type { WarehouseEndpoint } from '../services/types.ts';
import { serviceSettingsFrom } from '../services/settings.ts';

export interface LabRunOptions {
  scenario: Scenario;
  services: Services;
  /** results/ — the run writes results/<run-id>/. */
  resultsDir: string;
  tiers?: TierName[];
  /** isolated (default): each tier alone on the identical stream; together: side by side. */
  execution?: Execution;
  /** How many times the whole measurement runs. */
  repeat?: number;
  /** Warm the services before measuring (default); off only to show what a cold broker does. */
  warmup?: boolean;
  /** Run the tiers and the generator in this process (resources not attributed per tier). */
  inProcess?: boolean;
  /** The tiers' Node Kafka client (default: defaultKafkaClient); the generator always uses kafkajs, so the load is the same. */
  kafkaClient?: KafkaClientName;
  /** Faults to inject (issue 11): each in every pass that runs its tier. */
  faults?: FaultSpec[];
  /** Faults asked for while a pass's stream runs (the live demo's buttons): injected into that pass. */
  faultInbox?: FaultInbox;
  clock?: Clock;
  /** Leave the run's topics, consumer groups and buckets in place (default: removed when the run ends). */
  keep?: boolean;
  /** The warehouse server a scenario with a lakehouse serves (src/lakehouse/), and its pid where it is this machine's; required by such a scenario. */
  warehouse?: { endpoint: WarehouseEndpoint; pid?: number | undefined };
  logger: Logger;
  onStage?: (message: string) => void;
  onProgress?: (progress: RunProgress, pass: string) => void;
}

export interface LabRun {
  dir: string;
  summary: RunSummary;
}

/** How far below the broker and the generator tier workers run when side by side (nice). */
export const togetherNiceness = 10;

export function newRunId(scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${scenario}-${randomBytes(2).toString('hex')}`;
}

interface MeasuredPass {
  pass: Pass;
  result: TierRunResult;
  resources: Map<string, ProcessUsageTotals>;
}

/** One scenario, all its tiers, measured: the job behind `tierlab run` and `npm run lab`. */
export async function runLab(options: LabRunOptions): Promise<LabRun> {
  const { scenario, services } = options;
  const clock = options.clock ?? systemClock;
  const execution = options.execution ?? 'isolated';
  const tiers = options.tiers ?? [...tierNames];
  // One tier after another takes longer, so each is fed the scenario's shorter isolated duration.
  const passSec = execution === 'isolated' && tiers.length > 1 ? scenario.isolatedDurationSec : scenario.durationSec;
  // Side by side, the tiers' own load (a batch job's DuckDB threads, Parquet flushes) would delay the
  // shared stream and so every other tier: there the workers run below the broker and the generator.
  // Alone, a tier keeps normal priority, as it would on machines of its own.
  const niceness = execution === 'together' && tiers.length > 1 ? togetherNiceness : 0;
  // Before anything runs: a fault these services cannot take is refused, not skipped.
  assertFaultsInjectable(options.faults ?? [], services);
  if (options.inProcess && (options.faults ?? []).some((fault) => fault.kind === 'kill')) {
    throw new TierlabError('BAD_INPUT', '--fault kills a tier\'s worker process, so it needs the tiers in workers: drop --in-process');
  }
  const runId = newRunId(scenario.name);
  // Made when its summary is written: a run killed before then leaves no folder that looks like a result.
  const dir = join(options.resultsDir, runId);
  const profile = await scenarioProfile(scenario);
  const startedAt = new Date();
  const generator: StreamGenerator = options.inProcess ? await inProcessGenerator(services.kafka.endpoint, clock) : await forkGenerator(services.kafka.endpoint);
  const measured: MeasuredPass[] = [];
  let lakehouse: LakehouseSummary | undefined;
  let warmup: WarmupSummary = noWarmup;
  let measureStartedMicros: number;
  try {
    if (options.warmup !== false) {
      options.onStage?.(`warming Kafka and S3 at ${scenario.rate.ratePerSec} events/s until produce latency stops improving`);
      warmup = await warmServices({
        generator,
        s3: services.s3.endpoint,
        profile,
        partitions: scenario.partitions,
        ratePerSec: scenario.rate.ratePerSec,
        maxSec: scenario.quick ? 20 : 40,
      });
    }
    measureStartedMicros = clock.nowMicros();
    const passes = planPasses(execution, tiers, options.repeat ?? 1);
    for (const [index, pass] of passes.entries()) {
      const label = `pass ${index + 1}/${passes.length}: ${pass.tiers.join(', ')}${(options.repeat ?? 1) > 1 ? `, repeat ${pass.repeat}` : ''}`;
      options.onStage?.(label);
      measured.push(await measurePass(options, { runId, pass, passSec, niceness, profile, generator, clock, label }));
    }
    if (scenario.lakehouse) lakehouse = await lakehousePass(options, { runId, passSec, profile, generator, clock });
  } finally {
    await generator.close();
  }
  const durationSec = (Date.now() - startedAt.getTime()) / 1000;
  const summary = await summarize(options, { runId, startedAt, durationSec, execution, passSec, niceness, warmup, measured, measureStartedMicros });
  if (lakehouse) summary.lakehouse = lakehouse;
  await writeFileAtomically(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (!options.keep) await removeRunStores(options.services, runId, options.onStage);
  return { dir, summary };
}

/**
 * The run's topics, groups and buckets, once its result is written: a lab that runs all day
 * must not fill the broker and the lake. A failure to remove them is said, not thrown: the
 * result stands, and `tierlab clean` removes them later.
 */
export async function removeRunStores(services: Services, runId: string, onStage?: (message: string) => void): Promise<void> {
  const { kafka, s3 } = services;
  try {
    const stores = await findStores(kafka.endpoint, s3.endpoint, ofRun(runId));
    const { groupsLeft } = await removeStores(kafka.endpoint, s3.endpoint, stores);
    const left = groupsLeft.length > 0 ? `; ${groupsLeft.length} still had members (a killed worker's, until its session times out), left for \`tierlab clean\`` : '';
    onStage?.(`removed the run's ${stores.topics.length} topics, ${stores.groups.length - groupsLeft.length} consumer groups and ${stores.buckets.length} buckets (--keep keeps them)${left}`);
  } catch (error) {
    onStage?.(`could not remove the run's topics and buckets (${describeError(error)}); \`tierlab clean\` removes them later`);
  }
}

/** After the tiers: the same stream through the lake, a lakehouse table and the warehouses (src/lakehouse/). */
async function lakehousePass(
  options: LabRunOptions,
  context: { runId: string; passSec: number; profile: DatasetProfile; generator: StreamGenerator; clock: Clock },
): Promise<LakehouseSummary> {
  const { scenario, services } = options;
  if (!options.warehouse) {
    throw new TierlabError('PREREQUISITE_MISSING', `scenario ${scenario.name} serves a warehouse: run it with one (tierlab run provides PostgreSQL, or set WAREHOUSE_URL)`);
  }
  options.onStage?.('lakehouse pass: the stream landed raw, curated into Iceberg, served to PostgreSQL and a DuckDB file');
  return runLakehousePass({
    runId: context.runId,
    profile: context.profile,
    seed: scenario.seed,
    rate: scenario.rate,
    durationMs: context.passSec * 1000,
    windowMs: scenario.windowMs ?? context.profile.windowMs,
    partitions: scenario.partitions,
    options: scenario.lakehouse!,
    kafka: services.kafka.endpoint,
    s3: services.s3.endpoint,
    warehouse: options.warehouse.endpoint,
    warehousePid: options.warehouse.pid,
    eventsPerDay: scenario.eventsPerDay,
    reads: scenario.reads,
    kafkaClient: options.kafkaClient ?? defaultKafkaClient,
    engineCacheDir: serviceSettingsFrom(process.env).engineCacheDir,
    generator: context.generator,
    clock: context.clock,
    logger: options.logger,
    ...(options.onStage ? { onStage: options.onStage } : {}),
  });
}

async function measurePass(
  options: LabRunOptions,
  context: { runId: string; pass: Pass; passSec: number; niceness: number; profile: DatasetProfile; generator: StreamGenerator; clock: Clock; label: string },
): Promise<MeasuredPass> {
  const { scenario, services, logger } = options;
  const { pass, profile, generator, clock } = context;
  const sampler = new ResourceSampler();
  // The generator's own process; in-process, this one without its children (they are measured by name).
  sampler.watch('generator', generator.pid, { withChildren: generator.pid !== process.pid });
  watchServices(sampler, services);
  sampler.start();
  const result = await runTiers({
    ...scenarioRunParts(scenario, profile, services, pass.tiers),
    runId: `${context.runId}-${pass.suffix}`,
    kafkaClient: options.kafkaClient ?? defaultKafkaClient,
    rate: scenario.rate,
    durationMs: context.passSec * 1000,
    warmupMs: scenario.warmupSec * 1000,
    clock,
    logger,
    launch: options.inProcess
      ? (spec) => localTierRunner(spec, logger.child({ tier: spec.name }), clock)
      : (spec) => workerTierRunner(spec, { niceness: context.niceness }),
    generator,
    sampler,
    // A kill hits its tier's passes; a service fault every pass, and every tier in it.
    faults: (options.faults ?? []).filter((fault) => fault.kind !== 'kill' || pass.tiers.includes(fault.tier)),
    faultServices: {
      ...(services.kafka.restartable ? { kafka: services.kafka.restartable } : {}),
      ...(services.s3.restartable ? { s3: services.s3.restartable } : {}),
    },
    // Live kills replace a worker process: with the tiers in this process there is none to kill.
    ...(options.faultInbox && !options.inProcess ? { faultInbox: options.faultInbox } : {}),
    ...(options.onProgress ? { onProgress: (progress: RunProgress) => options.onProgress!(progress, context.label) } : {}),
  });
  return { pass, result, resources: withReplacedWorkers(await sampler.stop()) };
}

/** A worker that replaced a killed one (`tier:NAME#n`), or a restarted server (`kafka-broker#n`), counts as the original: its CPU adds to it. */
function withReplacedWorkers(resources: Map<string, ProcessUsageTotals>): Map<string, ProcessUsageTotals> {
  const merged = new Map<string, ProcessUsageTotals>();
  for (const [name, usage] of resources) addUsageTotals(merged, new Map([[name.replace(/#[^#]+$/, ''), usage]]));
  return merged;
}

async function summarize(
  options: LabRunOptions,
  input: {
    runId: string;
    startedAt: Date;
    durationSec: number;
    execution: Execution;
    passSec: number;
    niceness: number;
    warmup: WarmupSummary;
    measured: MeasuredPass[];
    measureStartedMicros: number;
  },
): Promise<RunSummary> {
  const { scenario, services } = options;
  const repeats = [...new Set(input.measured.map((m) => m.pass.repeat))];
  const tiersOf = (passes: MeasuredPass[]) => {
    const byTier = new Map<TierName, TierOutcome[]>();
    for (const m of passes) for (const outcome of m.result.tiers) byTier.set(outcome.name, [...(byTier.get(outcome.name) ?? []), outcome]);
    return [...byTier.values()].map(combineOutcomes);
  };
  const resourcesOf = (passes: MeasuredPass[]) => {
    const totals = new Map<string, ProcessUsageTotals>();
    for (const m of passes) addUsageTotals(totals, m.resources);
    return totals;
  };
  const runOf = (passes: MeasuredPass[]) => ({ tiers: tiersOf(passes), eventBytes: passes[0]?.result.eventBytes ?? 0 });
  // Each repeat on its own: its percentiles, and what it alone would recommend.
  const perRepeat = [];
  for (const repeat of repeats) {
    const passes = input.measured.filter((m) => m.pass.repeat === repeat);
    const run = runOf(passes);
    const resources = resourcesOf(passes);
    perRepeat.push(repeatSummary(scenario, run.tiers, (await projectRunCosts({ scenario, tiers: run.tiers, eventBytes: run.eventBytes, resources })).costs));
  }
  const all = runOf(input.measured);
  const resources = resourcesOf(input.measured);
  const { costs, cost, pricing } = await projectRunCosts({ scenario, tiers: all.tiers, eventBytes: all.eventBytes, resources });
  const kafkaStarted = Date.parse(services.kafka.description.startedAt);
  const s3Started = Date.parse(services.s3.description.startedAt);
  const atStart = input.measureStartedMicros / 1000;
  return buildSummary({
    runId: input.runId,
    scenario,
    startedAt: input.startedAt,
    durationSec: input.durationSec,
    services,
    execution: input.execution,
    kafkaClient: options.kafkaClient ?? defaultKafkaClient,
    measuredSecPerTier: input.passSec,
    tierWorkerNiceness: options.inProcess ? 0 : input.niceness,
    servicesState: {
      uptimeSecAtStart: Number.isNaN(kafkaStarted) ? 0 : (atStart - kafkaStarted) / 1000,
      s3UptimeSecAtStart: Number.isNaN(s3Started) ? 0 : (atStart - s3Started) / 1000,
      warmup: input.warmup,
    },
    passes: input.measured.map((m) => m.result),
    faults: input.measured.flatMap((m) => m.result.faults),
    tiers: all.tiers,
    resources,
    costs,
    cost,
    pricing,
    repeats: perRepeat,
  });
}
