import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset, systemClock } from '../events/index.ts';
import type { Logger } from '../log.ts';
import { ResourceSampler } from '../metrics/resources.ts';
import { buildSummary } from '../report/build-summary.ts';
import type { RunSummary } from '../report/summary.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { projectRunCosts } from './costs.ts';
import { runTiers, type RunProgress } from './run-tiers.ts';
import { localTierRunner } from './tier-runner.ts';
import { workerTierRunner } from './worker-runner.ts';

export interface LabRunOptions {
  scenario: Scenario;
  services: Services;
  /** results/ — the run writes results/<run-id>/. */
  resultsDir: string;
  tiers?: TierName[];
  /** Run the tiers in this process instead of one worker process each (resources not attributed). */
  inProcess?: boolean;
  logger: Logger;
  onProgress?: (progress: RunProgress) => void;
}

export interface LabRun {
  dir: string;
  summary: RunSummary;
}

export function newRunId(scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${scenario}-${randomBytes(2).toString('hex')}`;
}

/** One scenario, all its tiers, measured: the job behind `tierlab run` and `npm run lab`. */
export async function runLab(options: LabRunOptions): Promise<LabRun> {
  const { scenario, services, logger } = options;
  const runId = newRunId(scenario.name);
  const dir = join(options.resultsDir, runId);
  await mkdir(dir, { recursive: true });
  const profile = await loadDataset(scenario.dataset);
  const sampler = new ResourceSampler();
  // This process generates and runs the harness; its children (tier workers, session servers)
  // are measured under their own names.
  sampler.watch('generator', process.pid, { withChildren: false });
  // Native servers run under a watchdog shell; sampling its tree counts the JVM under it.
  if (services.kafka.description.pid) sampler.watch('kafka-broker', services.kafka.description.pid);
  if (services.s3.description.pid) sampler.watch('s3-server', services.s3.description.pid);
  const startedAt = new Date();
  sampler.start();
  const periodMs = scenario.batch.periodMs ?? 20_000;
  const run = await runTiers({
    runId,
    kafka: services.kafka.endpoint,
    s3: services.s3.endpoint,
    profile,
    seed: scenario.seed,
    rate: scenario.rate,
    durationMs: scenario.durationSec * 1000,
    warmupMs: scenario.warmupSec * 1000,
    windowMs: scenario.windowMs ?? profile.windowMs,
    partitions: scenario.partitions,
    tiers: options.tiers ?? [...tierNames],
    tierOptions: { batch: scenario.batch, microbatch: scenario.microbatch, ...(scenario.streaming ? { streaming: scenario.streaming } : {}) },
    // Long enough for the last events to land and the next scheduled job (or trigger) to run.
    drainTimeoutMs: Math.max(periodMs, scenario.microbatch.triggerMs ?? 5_000) + (scenario.batch.lake?.flushMs ?? 2_000) + 30_000,
    clock: systemClock,
    logger,
    launch: options.inProcess ? (spec) => localTierRunner(spec, logger.child({ tier: spec.name })) : workerTierRunner,
    sampler,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const resources = await sampler.stop();
  const durationSec = (Date.now() - startedAt.getTime()) / 1000;
  const { costs, cost } = await projectRunCosts({ scenario, run, resources });
  const summary = buildSummary({ runId, scenario, startedAt, durationSec, services, run, resources, costs, cost });
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return { dir, summary };
}
