import { tierNames } from '../tiers/types.ts';
import { pricingScenarioOf, reprojectCosts } from '../harness/costs.ts';
import { runsPerDay, type Reads } from '../metrics/staleness.ts';
import { human } from '../results/recommend.ts';
import { readsText } from '../results/staleness-at-read.ts';
import type { RunSummary, TierSummary } from '../results/summary.ts';
import { readsOf, type Scenario } from '../scenarios/scenario.ts';

/** The cheapest schedules a batch job is commonly given, coarsest first. */
export const candidateSchedules = [
  { cron: '0 23 * * SUN', label: 'weekly, Sunday 23:00' },
  { cron: '0 2 * * *', label: 'nightly, 02:00' },
  { cron: '0 * * * *', label: 'hourly' },
  { cron: '*/15 * * * *', label: 'every 15 minutes' },
] as const;

/** One way to serve the reads: a tier, and for batch the schedule it runs on. */
export interface ReadsOption {
  label: string;
  tier: TierSummary;
  stalenessP99Micros: number;
  usdPerYear: number;
}

/**
 * Each way to serve `reads` from one stored run: a tier on a schedule (batch) on every candidate
 * schedule (its cost billed per run, its staleness at each read computed from the schedule's phase
 * and the job time the run measured), and the others (micro-batch, streaming) as measured. Options that did not finish
 * correctly are left out.
 */
export async function readsOptions(
  evidence: RunSummary,
  scenario: Scenario,
  reads: Reads,
  tz: string,
  eventsPerDay: number,
): Promise<ReadsOption[]> {
  const options: ReadsOption[] = [];
  const asked = { ...pricingScenarioOf(scenario), reads };
  // A tier on a schedule (its latency projected to it) is offered on every candidate schedule; the others as measured.
  const scheduled = tierNames.filter((name) => evidence.tiers[name]?.projectedLatency);
  for (const { cron, label } of candidateSchedules) {
    const schedule = { ...asked.schedule, cron, tz, realPeriodMs: Math.round(86_400_000 / runsPerDay({ cron, tz })) };
    const reprojected = await reprojectCosts(evidence, eventsPerDay, { ...asked, schedule });
    for (const name of scheduled) {
      const tier = reprojected[name];
      if (tier) options.push(option(`${name}, ${label} (${tz})`, tier));
    }
  }
  const others = await reprojectCosts(evidence, eventsPerDay, asked);
  for (const name of tierNames.filter((n) => !scheduled.includes(n))) {
    const tier = others[name];
    if (tier) options.push(option(name, tier));
  }
  return options.filter((o) => o.tier.state === 'ok' && o.tier.correct && o.tier.latency.count > 0);
}

function option(label: string, tier: TierSummary): ReadsOption {
  return { label, tier, stalenessP99Micros: tier.stalenessAtRead?.p99Micros ?? tier.latency.p99Micros, usdPerYear: tier.cost.usdPerYear };
}

/** The lines of `advise --reads`: every option with its staleness at read and cost, then the cheapest that meets the SLA. */
export function readsAdviceLines(options: ReadsOption[], reads: Reads, slaMicros: number): string[] {
  const dollars = (usd: number) => `$${Math.round(usd).toLocaleString('en-US')}/year`;
  const width = Math.max(...options.map((o) => o.label.length));
  const lines = [
    `results read ${readsText(readsOf(reads))}; SLA: staleness at read ${human(slaMicros)} at p99`,
    ...options.map(
      (o) =>
        `  ${o.label.padEnd(width)}  stale ${human(o.stalenessP99Micros).padStart(9)} at read (p99, ${o.tier.stalenessAtRead?.basis ?? 'measured'})  ` +
        `${o.stalenessP99Micros <= slaMicros ? 'meets' : 'misses'}  ${dollars(o.usdPerYear)}`,
    ),
  ];
  const meeting = options.filter((o) => o.stalenessP99Micros <= slaMicros).sort((a, b) => a.usdPerYear - b.usdPerYear);
  const best = meeting[0];
  lines.push(
    '',
    best
      ? `choose: ${best.label}: ${human(best.stalenessP99Micros)} stale at read (p99), ${dollars(best.usdPerYear)}` +
          (meeting.length > 1 ? `; next cheapest: ${meeting[1]!.label} at ${(meeting[1]!.usdPerYear / best.usdPerYear).toFixed(2)}x the cost` : '')
      : `choose: none: no option is within ${human(slaMicros)} of staleness at read`,
  );
  return lines;
}
