import { claimsSectionMarkdown } from './claims-section.ts';
import { faultSectionMarkdown } from './fault-section.ts';
import { costSectionMarkdown } from './cost-section.ts';
import { stages } from '../metrics/latency.ts';
import { capacitySectionMarkdown } from './capacity-section.ts';
import type { ReportExtras } from './extras.ts';
import { floorSectionMarkdown } from './floor-section.ts';
import { lakehouseSectionMarkdown } from './lakehouse-section.ts';
import { weekSectionMarkdown } from './week-section.ts';
import {
  breakdownRows,
  correctnessCells,
  correctnessHeader,
  environmentRows,
  latencyCells,
  latencyHeader,
  measuredOnCells,
  measuredOnHeader,
  negativeNotes,
  processHeader,
  processRows,
  readingNotes,
  tierRows,
  usd,
} from './facts.ts';
import { capacityNotes, measuredHow, spreadFacts } from './measurement.ts';
import { human } from '../results/recommend.ts';
import type { RunSummary } from '../results/summary.ts';

function table(header: string[], rows: string[][]): string {
  const cell = (value: string) => value.replaceAll('|', '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function spreadSection(summary: RunSummary): string[] {
  const spread = spreadFacts(summary);
  if (!spread) return [];
  return [
    `## Spread across ${summary.repeats.length} repeats`,
    '',
    spread.intro,
    '',
    table(spread.header, spread.rows),
    '',
    spread.agreement,
    '',
  ];
}

/** report.md: the same facts as report.html, as Markdown tables for a PR or a wiki. */
export function renderMarkdown(summary: RunSummary, { capacity, floor }: ReportExtras = {}): string {
  const rows = tierRows(summary);
  const negatives = negativeNotes(summary);
  const rec = summary.recommendation;
  return [
    `# ${summary.scenario.question}`,
    '',
    `**Recommendation: ${rec.tier ?? 'none'}.** ${rec.why}`,
    '',
    `Scenario \`${summary.scenario.name}\`${summary.scenario.quick ? ' (quick run)' : ''}, dataset \`${summary.scenario.dataset}\`, SLA ${human(summary.sla.p99Micros)} at p99, projected to ${summary.cost.eventsPerDay.toLocaleString('en-US')} events/day.`,
    '',
    `**How it was measured.** ${measuredHow(summary)}`,
    '',
    '## Latency and cost per tier',
    '',
    table(latencyHeader, rows.map(latencyCells)),
    '',
    ...negatives.flatMap((n) => [`**${n}**`, '']),
    table(measuredOnHeader(summary), rows.map(measuredOnCells)),
    '',
    ...weekSectionMarkdown(summary, table),
    ...spreadSection(summary),
    '## Where the median latency goes (p50 per stage)',
    '',
    table(['tier', ...stages], breakdownRows(summary).map((r) => [r.name, ...r.stages])),
    '',
    ...(capacity ? [capacitySectionMarkdown(capacity), ...capacityNotes(summary, capacity).flatMap((n) => [n, ''])] : []),
    ...(floor ? [floorSectionMarkdown(floor)] : []),
    ...lakehouseSectionMarkdown(summary, table),
    ...faultSectionMarkdown(summary, table),
    ...claimsSectionMarkdown(summary, table),
    '## Correctness and dead letters',
    '',
    table(correctnessHeader, rows.map(correctnessCells)),
    '',
    '## Cost against daily volume ($/year)',
    '',
    table(
      ['events/day', ...Object.keys(summary.tiers)],
      summary.cost.curve.map((p) => [p.eventsPerDay.toExponential(0), ...Object.keys(summary.tiers).map((n) => usd(p.usdPerYear[n as keyof typeof p.usdPerYear] ?? 0))]),
    ),
    '',
    ...costSectionMarkdown(summary, table),
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
