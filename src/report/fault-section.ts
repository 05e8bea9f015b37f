import { human } from './recommend.ts';
import type { RunSummary } from './summary.ts';
import { escapeXml as esc } from './svg.ts';

/** The faults a run injected: when, how long until a result was visible again, and whether anything was lost or counted twice. */
export const faultHeader = ['fault', 'recovery (kill to next visible result)', 'tier correct', 'unseen', 'applied twice'];

export function faultRows(summary: RunSummary): string[][] {
  return (summary.faults ?? []).map((fault) => {
    const tier = summary.tiers[fault.tier];
    return [
      fault.spec,
      fault.recoveryMicros === null ? 'none visible after it' : human(fault.recoveryMicros),
      tier?.correct ? 'yes' : 'NO',
      String(tier?.unseen ?? '-'),
      String(tier?.appliedTwice ?? '-'),
    ];
  });
}

const note =
  'A killed worker gets no chance to flush or commit; a new one takes over its consumer group, restores its windows from the results it committed and skips what they already counted. ' +
  'Latency figures include the killed worker up to its last snapshot (at most a second before the kill).';

export function faultSectionMarkdown(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string[] {
  if (!summary.faults?.length) return [];
  return ['## Faults injected', '', table(faultHeader, faultRows(summary)), '', note, ''];
}

export function faultSectionHtml(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string {
  if (!summary.faults?.length) return '';
  return `<h2>Faults injected</h2>\n${table(faultHeader, faultRows(summary))}\n<p class="muted">${esc(note)}</p>`;
}
