import { floorCells, floorHeader, floorNotes } from '../results/floor-render.ts';
import type { FloorResult } from '../results/floor.ts';
import { escapeXml as esc } from './svg.ts';

const heading = (floor: FloorResult) =>
  `The floor: what this broker and DuckDB allow (${floor.rate.toLocaleString('en-US')} events/s, ${floor.durationSec} s per row, run ${floor.runId})`;

/** The floor table on report.html: every latency above read as a multiple of what the broker or the engine allows. */
export function floorSectionHtml(floor: FloorResult): string {
  const head = `<tr>${floorHeader.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = floor.rows.map((row) => `<tr>${floorCells(row).map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<h2>${esc(heading(floor))}</h2>
<table><thead>${head}</thead><tbody>${body}</tbody></table>
${floorNotes(floor).map((n) => `<p class="muted">${esc(n)}</p>`).join('')}`;
}

export function floorSectionMarkdown(floor: FloorResult): string {
  const cell = (value: string) => value.replaceAll('|', '\\|');
  return [
    `## ${heading(floor)}`,
    '',
    `| ${floorHeader.join(' | ')} |`,
    `|${floorHeader.map(() => '---').join('|')}|`,
    ...floor.rows.map((row) => `| ${floorCells(row).map(cell).join(' | ')} |`),
    '',
    ...floorNotes(floor).flatMap((n) => [n, '']),
  ].join('\n');
}
