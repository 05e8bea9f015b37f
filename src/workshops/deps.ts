import { defaultArchitectureChoice, loadChosenArchitectures, loadPriceSheet, orderFlip, type ArchitectureChoice, type CostInputs } from '../cost/index.ts';
import { datasetNames, loadDataset } from '../events/index.ts';
import { reprojectCosts, usageOf } from '../harness/costs.ts';
import type { OrderFlip } from '../results/recommend.ts';
import type { RunSummary } from '../results/summary.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import type { TierName } from '../tiers/types.ts';
import type { CheckDeps } from './checks/index.ts';
import { sampleDataset } from './sample.ts';

/**
 * The cost model's inputs as a stored run priced them, from its summary alone: each tier's bill
 * names its architecture, and the volume, event size and schedule are kept for reprojection.
 */
function architecturesOf(run: RunSummary): ArchitectureChoice {
  const choice: ArchitectureChoice = { ...defaultArchitectureChoice, kafka: run.cost.kafka };
  for (const [tier, summary] of Object.entries(run.tiers)) choice[tier as TierName] = summary.cost.architecture;
  return choice;
}

async function pricingOf(run: RunSummary): Promise<CostInputs> {
  const choice = architecturesOf(run);
  return {
    sheet: await loadPriceSheet(),
    architectures: await loadChosenArchitectures(choice),
    kafka: run.cost.kafka,
    eventsPerDay: run.cost.eventsPerDay,
    eventBytes: run.cost.eventBytes,
    peakToMeanRate: run.cost.peakToMeanRate,
    realPeriodMs: run.environment.schedule.realPeriodMs,
    triggerMs: run.environment.schedule.microbatchTriggerMs,
    tiers: usageOf(run),
  };
}

/** The checks' IO on this machine: data files, the price sheet, the generator. */
export const checkDeps: CheckDeps = {
  async flipsFor(run): Promise<OrderFlip> {
    const pricing = await pricingOf(run);
    return (cheaper, simpler) => orderFlip(pricing, cheaper, simpler);
  },
  async batchUsdAt(run, realPeriodMs) {
    const schedule = run.environment.schedule;
    const tiers = await reprojectCosts(run, run.cost.eventsPerDay, {
      architectures: architecturesOf(run),
      // The period asked for, without the run's cron (whose phase would contradict it).
      schedule: { compressedPeriodMs: schedule.compressedPeriodMs, realPeriodMs, microbatchTriggerMs: schedule.microbatchTriggerMs },
    });
    return tiers.batch?.cost.usdPerYear ?? Number.NaN;
  },
  loadDataset: (path) => loadDataset(path),
  async loadScenario(path) {
    const scenario = await loadScenario(path);
    return { dataset: scenario.dataset, seed: scenario.seed };
  },
  async builtIns() {
    return Promise.all((await datasetNames()).map((name) => loadDataset(name)));
  },
  sample: sampleDataset,
};
