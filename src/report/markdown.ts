import { stages } from '../metrics/latency.ts';
import { human } from './recommend.ts';
import { breakdownRows, environmentRows, processHeader, processRows, readingNotes, tierRows, usd } from './facts.ts';
import type { RunSummary } from './summary.ts';

function table(header: string[], rows: string[][]): string {
  const cell = (value: string) => value.replaceAll('|', '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** report.md: the same facts as report.html, as Markdown tables for a PR or a wiki. */
export function renderMarkdown(summary: RunSummary): string {
  const rows = tierRows(summary);
  const rec = summary.recommendation;
  return [
    `# ${summary.scenario.question}`,
    '',
    `**Recommendation: ${rec.tier ?? 'none'}.** ${rec.why}`,
    '',
    `Scenario \`${summary.scenario.name}\`${summary.scenario.quick ? ' (quick run)' : ''}, dataset \`${summary.scenario.dataset}\`, SLA ${human(summary.sla.p99Micros)} at p99, projected to ${summary.cost.eventsPerDay.toLocaleString('en-US')} events/day.`,
    '',
    '## Latency and cost per tier',
    '',
    table(
      ['tier', 'state', 'correct', 'p50', 'p90', 'p99', 'p99.9', 'max', 'p99, real schedule', 'throughput', '$/year', 'ratio'],
      rows.map((r) => [r.name, r.state, r.correct, r.p50, r.p90, r.p99, r.p999, r.max, r.realScheduleP99, r.throughput, r.cost, r.ratio]),
    ),
    '',
    '## Where the median latency goes (p50 per stage)',
    '',
    table(['tier', ...stages], breakdownRows(summary).map((r) => [r.name, ...r.stages])),
    '',
    '## Correctness and dead letters',
    '',
    table(['tier', 'correct', 'accepted + rejected = produced', 'freshness p50 (max)', 'CPU, memory'], rows.map((r) => [r.name, r.correct, r.deadLetters, r.freshness, r.cpu])),
    '',
    '## Cost against daily volume ($/year)',
    '',
    table(
      ['events/day', ...Object.keys(summary.tiers)],
      summary.cost.curve.map((p) => [p.eventsPerDay.toExponential(0), ...Object.keys(summary.tiers).map((n) => usd(p.usdPerYear[n as keyof typeof p.usdPerYear] ?? 0))]),
    ),
    '',
    '## Resources measured',
    '',
    table(processHeader, processRows(summary)),
    '',
    '## Environment',
    '',
    table(['', ''], environmentRows(summary)),
    '',
    '## Cost assumptions',
    '',
    ...summary.cost.assumptions.map((a) => `- ${a}`),
    '',
    '## How to read this',
    '',
    ...readingNotes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}
