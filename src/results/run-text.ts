import { tierLabel } from './labels.ts';
import { human } from './recommend.ts';
import { readsText } from './staleness-at-read.ts';
import type { RunSummary } from './summary.ts';
import type { TierName } from '../tiers/types.ts';

/**
 * What `tierlab run` prints when it ends, from the summary alone: the table, what it was measured
 * on, the recommendation, the war story and the faults. README's quoted runs are made from it too
 * (measured-section.ts), so a pasted table is what the command printed.
 */
export function closingLines(summary: RunSummary): string[] {
  return [
    summaryTable(summary),
    `\n${measuredOn(summary)}`,
    `results read ${readsText(summary.reads)}; the SLA bounds staleness at those reads`,
    `\nrecommendation: ${summary.recommendation.why}`,
    `\nwar story: ${summary.cost.warStory.verdict}: ${summary.cost.warStory.why}`,
    ...faultLines(summary),
  ];
}

/** One line on what the figures above stand on, so a pasted table never travels without it. */
function measuredOn(summary: RunSummary): string {
  const e = summary.environment;
  const runs = summary.repeats.length === 1 ? 'a single run (no spread)' : `${summary.repeats.length} repeats (medians and spread in the report)`;
  const warm = e.services.warmup.done ? `after a ${e.services.warmup.durationSec.toFixed(0)} s warm-up` : 'on a cold broker (no warm-up)';
  const lag = summary.events.generatorLag;
  const guarantees = Object.entries(summary.tiers).flatMap(([name, tier]) => (tier.guarantee ? [`${name} ${tier.guarantee}`] : []));
  return (
    `measured ${e.execution === 'isolated' ? 'one tier at a time' : 'with the tiers side by side'}, ${e.measuredSecPerTier} s each, ${runs}, ` +
    `${warm}, tiers on ${e.kafkaClient}${guarantees.length > 0 ? ` (${guarantees.join(', ')})` : ''}, on ${e.cpus} CPUs (${e.servicesMode} services); generator lag p99 ${human(lag.p99Micros)}, max ${human(lag.maxMicros)}`
  );
}

function faultLines(summary: RunSummary): string[] {
  return (summary.faults ?? []).map((fault) => {
    const tier = summary.tiers[fault.tier];
    const recovered = fault.recoveryMicros === null ? 'no result visible after it' : `recovered in ${human(fault.recoveryMicros)}`;
    const server = fault.outageMicros === undefined ? '' : ` (server back after ${human(fault.outageMicros)})`;
    return `fault ${fault.spec}: ${recovered}${server}; ${fault.tier} ${tier?.correct ? 'correct' : 'NOT correct'}, unseen ${tier?.unseen ?? '?'}, applied twice ${tier?.appliedTwice ?? '?'}`;
  });
}

/**
 * The closing table. A tier that did not finish, or measured nothing, shows "no data" and no price:
 * a p50 of 0 µs or a bill from half a run would read as figures.
 */
export function summaryTable(summary: RunSummary): string {
  const rows = [['tier', 'state', 'correct', 'p50', 'p99', 'p99 (real schedule, projected)', 'staleness at read p99', '$/year (projected)', 'measured', 'architecture priced']];
  for (const [name, tier] of Object.entries(summary.tiers)) {
    const finished = tier.state === 'ok' && tier.latency.count > 0;
    const latency = (micros: number) => (finished ? human(micros) : 'no data');
    rows.push([
      tierLabel(name as TierName, tier),
      tier.state,
      tier.correct ? 'yes' : 'NO',
      latency(tier.latency.p50Micros),
      latency(tier.latency.p99Micros),
      tier.projectedLatency && finished ? human(tier.projectedLatency.p99Micros) : '-',
      tier.stalenessAtRead && finished ? `${human(tier.stalenessAtRead.p99Micros)} (${tier.stalenessAtRead.basis})` : '-',
      finished ? `$${Math.round(tier.cost.usdPerYear).toLocaleString('en-US')}` : '-',
      finished ? `${Math.round(tier.cost.measuredShare * 100)}%` : '-',
      tier.cost.architecture,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')).join('\n');
}
