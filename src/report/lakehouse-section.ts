import type { LakehouseCostSummary, LakehouseSummary } from '../results/lakehouse.ts';
import type { RunSummary } from '../results/summary.ts';
import {
  driftHeader,
  driftNote,
  driftRows,
  lakehouseMeasuredOn,
  lakehouseReading,
  queryHeader,
  queryRows,
  reconciliationHeader,
  reconciliationLine,
  reconciliationRows,
  recordsAddUp,
  stepHeader,
  stepNote,
  stepRows,
  zoneNote,
  swampHeader,
  swampNote,
  swampRows,
  zoneHeader,
  zoneRows,
} from './lakehouse-facts.ts';
import { costLineHeader, costLineRows, costNote, costOptionHeader, costOptionRows, costReading, noCostLine } from './lakehouse-cost-facts.ts';
import { escapeXml as esc } from './svg.ts';

/*
 * "Lake, lakehouse, warehouse" on both pages, only for a run with a `lakehouse` section: the
 * same stream raw in the lake, curated into Iceberg and served by a warehouse, each asked the
 * same dashboard queries. The rows come from lakehouse-facts.ts; each page brings its own table.
 */

type Table = (header: string[], rows: string[][]) => string;

const title = 'Lake, lakehouse, warehouse';
const stepsTitle = 'The scheduled steps: curate and load';
const costTitle = 'What each option costs a year';

export function lakehouseSectionMarkdown(summary: RunSummary, table: Table): string[] {
  const lakehouse = summary.lakehouse;
  if (!lakehouse) return [];
  const cost = lakehouse.cost;
  return [
    `## ${title}`,
    '',
    lakehouseReading(lakehouse),
    '',
    table(zoneHeader, zoneRows(lakehouse)),
    '',
    zoneNote(lakehouse),
    '',
    table(queryHeader, queryRows(lakehouse)),
    '',
    lakehouseMeasuredOn(summary),
    '',
    `### ${stepsTitle}`,
    '',
    table(stepHeader, stepRows(lakehouse)),
    '',
    stepNote(lakehouse),
    '',
    '### Schema drift and bad data',
    '',
    table(driftHeader, driftRows(lakehouse)),
    '',
    driftNote(lakehouse),
    '',
    '### Every record accounted for',
    '',
    `**${reconciliationLine(lakehouse)}**`,
    '',
    table(reconciliationHeader, reconciliationRows(lakehouse)),
    '',
    '### The data swamp',
    '',
    table(swampHeader, swampRows(lakehouse)),
    '',
    swampNote(lakehouse),
    '',
    `### ${costTitle}`,
    '',
    ...(cost
      ? [
          costReading(cost),
          '',
          table(costOptionHeader(cost), costOptionRows(cost)),
          '',
          costNote(lakehouse, cost),
          '',
          table(costLineHeader, costLineRows(cost)),
          '',
          'Assumptions:',
          '',
          ...cost.assumptions.map((a) => `- ${a}`),
        ]
      : [noCostLine(lakehouse)]),
    '',
  ];
}

export function lakehouseSectionHtml(summary: RunSummary, table: Table): string {
  const lakehouse = summary.lakehouse;
  if (!lakehouse) return '';
  const accounted = recordsAddUp(lakehouse) && lakehouse.reconciled;
  return `<section class="lakehouse">
<h2>${esc(title)}</h2>
<p>${esc(lakehouseReading(lakehouse))}</p>
<div class="figures">${table(zoneHeader, zoneRows(lakehouse))}</div>
<p class="muted">${esc(zoneNote(lakehouse))}</p>
${table(queryHeader, queryRows(lakehouse))}
<p class="muted">${esc(lakehouseMeasuredOn(summary))}</p>
<h3>${esc(stepsTitle)}</h3>
<div class="figures">${table(stepHeader, stepRows(lakehouse))}</div>
<p class="muted">${esc(stepNote(lakehouse))}</p>
<h3>Schema drift and bad data</h3>
<div class="reasons">${table(driftHeader, driftRows(lakehouse))}</div>
<p class="muted">${esc(driftNote(lakehouse))}</p>
<h3>Every record accounted for</h3>
<p class="reconciliation${accounted ? '' : ' failing'}"><b>${esc(reconciliationLine(lakehouse))}</b></p>
${table(reconciliationHeader, reconciliationRows(lakehouse))}
<h3>The data swamp</h3>
${table(swampHeader, swampRows(lakehouse))}
<p class="muted">${esc(swampNote(lakehouse))}</p>
<h3>${esc(costTitle)}</h3>
${lakehouse.cost ? costHtml(lakehouse, lakehouse.cost, table) : `<p>${esc(noCostLine(lakehouse))}</p>`}
</section>`;
}

/** The options, their lines and the assumptions; the assumptions are long, so they close the section. */
function costHtml(lakehouse: LakehouseSummary, cost: LakehouseCostSummary, table: Table): string {
  return `<p>${esc(costReading(cost))}</p>
<div class="named">${table(costOptionHeader(cost), costOptionRows(cost))}</div>
<p class="muted">${esc(costNote(lakehouse, cost))}</p>
<div class="named">${table(costLineHeader, costLineRows(cost))}</div>
<p class="muted">Assumptions:</p>
<ul class="muted">${cost.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`;
}
