import { loadChosenArchitectures, loadPriceSheet, orderFlip, type CostInputs } from '../cost/index.ts';
import { usageOf } from '../harness/costs.ts';
import type { OrderFlip } from '../results/recommend.ts';
import type { RunSummary } from '../results/summary.ts';
import { weekChart } from '../report/week-chart.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { TierName } from '../tiers/types.ts';
import type { DemoFinal, FlipTable } from './types.ts';

/** For every ordered pair of the run's tiers, what reverses their cost order (undefined: nothing does). */
export function flipTable(tiers: readonly TierName[], flip: OrderFlip): FlipTable {
  const table: FlipTable = {};
  for (const cheaper of tiers) {
    for (const simpler of tiers) {
      if (cheaper === simpler) continue;
      const found = flip(cheaper, simpler);
      if (found) table[`${cheaper}>${simpler}`] = found;
    }
  }
  return table;
}

/** The cost model's inputs as the run priced them, rebuilt from its summary and scenario (as reprojectCosts does). */
async function pricingOf(summary: RunSummary, scenario: Scenario): Promise<CostInputs> {
  return {
    sheet: await loadPriceSheet(),
    architectures: await loadChosenArchitectures(scenario.architectures),
    kafka: scenario.architectures.kafka,
    eventsPerDay: scenario.eventsPerDay,
    eventBytes: summary.cost.eventBytes,
    peakToMeanRate: summary.cost.peakToMeanRate,
    // The schedules the run priced with, as it recorded them.
    realPeriodMs: summary.environment.schedule.realPeriodMs,
    triggerMs: summary.environment.schedule.microbatchTriggerMs,
    tiers: usageOf(summary),
  };
}

/** What the page needs at the end: the tiers recommend() reads, its tie rule as data, and the links. */
export async function demoFinal(summary: RunSummary, scenario: Scenario, hrefs: { report: string; summary: string }): Promise<DemoFinal> {
  const pricing = await pricingOf(summary, scenario);
  const tiers = Object.keys(summary.tiers) as TierName[];
  return {
    runId: summary.runId,
    tiers: summary.tiers,
    flips: flipTable(tiers, (cheaper, simpler) => orderFlip(pricing, cheaper, simpler)),
    recommendation: summary.recommendation,
    slaMicros: summary.sla.p99Micros,
    execution: summary.environment.execution,
    eventsPerDay: summary.cost.eventsPerDay,
    faults: summary.faults ?? [],
    weekChartSvg: weekChart(summary),
    reportHref: hrefs.report,
    summaryHref: hrefs.summary,
  };
}
