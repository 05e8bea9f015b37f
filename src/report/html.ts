import { claimsSectionHtml } from './claims-section.ts';
import { faultCaption } from './fault-marks.ts';
import { faultSectionHtml } from './fault-section.ts';
import { costSectionHtml } from './cost-section.ts';
import { stages } from '../metrics/latency.ts';
import { capacitySectionHtml } from './capacity-section.ts';
import type { ReportExtras } from './extras.ts';
import { floorSectionHtml } from './floor-section.ts';
import { lakehouseSectionHtml } from './lakehouse-section.ts';
import { weekSectionHtml } from './week-section.ts';
import { breakdownChart, costChart, latencyChart, volumeChart } from './charts.ts';
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
  type TierRow,
} from './facts.ts';
import { capacityNotes, measuredHow, spreadFacts } from './measurement.ts';
import { human } from '../results/recommend.ts';
import { escapeXml as esc } from './svg.ts';
import type { RunSummary } from '../results/summary.ts';

const style = `
body{font-family:system-ui,sans-serif;color:#222;max-width:980px;margin:24px auto;padding:0 16px;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd}
.answer{background:#f3f7f3;border-left:5px solid #55A868;padding:12px 16px;font-size:1.1em}
.answer.none{background:#fbf1f1;border-color:#C44E52}
table{border-collapse:collapse;font-size:.9em;margin:8px 0}td,th{border-bottom:1px solid #e5e5e5;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.errored,.failing{color:#C44E52;font-weight:600}.muted{color:#666;font-size:.9em}
.reasons td:last-child,.reasons th:last-child{text-align:left}.figures td{white-space:nowrap}.figures table{font-size:.85em}.figures td,.figures th{padding:4px 6px}
.named td:nth-child(2),.named th:nth-child(2){text-align:left}.named td:first-child{white-space:nowrap}
.method{background:#f6f6f9;border-left:5px solid #8C8C8C;padding:8px 16px}
figure{margin:12px 0}figcaption{color:#555;font-size:.9em}`;

function table(header: string[], rows: string[][], rowClass: (i: number) => string = () => ''): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r, i) => `<tr${rowClass(i) ? ` class="${rowClass(i)}"` : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Errored tiers, and tiers whose answer or record count is wrong, both in red. */
const rowClass = (rows: TierRow[]) => (i: number) => (rows[i]!.state !== 'ok' ? 'errored' : rows[i]!.failing ? 'failing' : '');

function spreadSection(summary: RunSummary): string {
  const spread = spreadFacts(summary);
  if (!spread) return '';
  return `<h2>Spread across ${summary.repeats.length} repeats</h2>
<p class="muted">${esc(spread.intro)}</p>
${table(spread.header, spread.rows)}
<p>${esc(spread.agreement)}</p>`;
}

/**
 * report.html: one self-contained page (inline CSS and SVG, nothing fetched) for a buyer. The
 * capacity section is added when a `tierlab capacity` result is given beside the summary.
 */
export function renderHtml(summary: RunSummary, { capacity, floor }: ReportExtras = {}): string {
  const rows = tierRows(summary);
  const negatives = negativeNotes(summary);
  const rec = summary.recommendation;
  const figure = (chart: string, caption: string) => `<figure>${chart}<figcaption>${esc(caption)}</figcaption></figure>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tierlab: ${esc(summary.scenario.name)}</title><style>${style}</style></head>
<body>
<h1>${esc(summary.scenario.question)}</h1>
<p class="muted">Scenario <b>${esc(summary.scenario.name)}</b>${summary.scenario.quick ? ' (quick run)' : ''} · dataset ${esc(summary.scenario.dataset)} · SLA ${esc(human(summary.sla.p99Micros))} at p99 · projected to ${summary.cost.eventsPerDay.toLocaleString('en-US')} events/day</p>
<p class="answer${rec.tier ? '' : ' none'}"><b>Recommendation: ${esc(rec.tier ?? 'none')}.</b> ${esc(rec.why)}</p>
<p class="method"><b>How it was measured.</b> ${esc(measuredHow(summary))}</p>
<h2>Latency and cost per tier</h2>
${table(latencyHeader, rows.map(latencyCells), rowClass(rows))}
${negatives.map((n) => `<p class="failing">${esc(n)}</p>`).join('\n')}
${table(measuredOnHeader(summary), rows.map(measuredOnCells))}
${figure(latencyChart(summary), `End-to-end latency (event time to visible result) by percentile, log scale. The dashed red line is the SLA; the dashed blue line is batch under its real schedule (projected).${faultCaption(summary)}`)}
${weekSectionHtml(summary)}
${spreadSection(summary)}
<h2>Where the time goes</h2>
${figure(breakdownChart(summary), 'Share of each tier’s median latency per stage. Micro-batch and batch latency is mostly waiting for the trigger or the schedule, not work.')}
${table(['tier (p50 per stage)', ...stages], breakdownRows(summary).map((r) => [r.name, ...r.stages]))}
<h2>What it costs</h2>
${figure(costChart(summary), `Projected $/year per tier at ${summary.cost.eventsPerDay.toLocaleString('en-US')} events/day (${summary.cost.priceSheet}).`)}
${figure(volumeChart(summary), 'How the cost of each tier moves with daily volume: fixed platform minimums dominate small volumes, per-event costs large ones.')}
${costSectionHtml(summary, table)}
${capacity ? `${capacitySectionHtml(capacity)}${capacityNotes(summary, capacity).map((n) => `<p class="muted">${esc(n)}</p>`).join('')}` : ''}
${floor ? floorSectionHtml(floor) : ''}
${lakehouseSectionHtml(summary, table)}
${faultSectionHtml(summary, table)}
${claimsSectionHtml(summary, table)}
<h2>Correctness</h2>
<p>Each tier’s final committed result, read back from its store, is compared window by window with the generator’s ground truth.</p>
${table(correctnessHeader, rows.map(correctnessCells), rowClass(rows))}
<h2>Resources measured</h2>
${table(processHeader, processRows(summary))}
<h2>Environment</h2>
${table(['', ''], environmentRows(summary))}
<h2>Cost assumptions</h2>
<ul>${summary.cost.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>
<h2>How to read this</h2>
<ul>${readingNotes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>
`;
}
