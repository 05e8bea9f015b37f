import { human } from '../results/recommend.ts';
import type { RunSummary } from '../results/summary.ts';
import { escapeXml as esc } from './svg.ts';

/** The faults a run injected: when, how long until a result was visible again, and whether anything was lost or counted twice. */
export const faultHeader = ['fault', 'tier', 'recovery (fault to next visible result)', 'server back after', 'tier correct', 'unseen', 'applied twice'];

export function faultRows(summary: RunSummary): string[][] {
  return (summary.faults ?? []).map((fault) => {
    const tier = summary.tiers[fault.tier];
    return [
      fault.spec,
      fault.tier,
      fault.recoveryMicros === null ? 'none visible after it' : human(fault.recoveryMicros),
      fault.outageMicros === undefined ? '-' : human(fault.outageMicros),
      tier?.correct ? 'yes' : 'NO',
      String(tier?.unseen ?? '-'),
      String(tier?.appliedTwice ?? '-'),
    ];
  });
}

const killNote =
  'A killed worker gets no chance to flush or commit; a new one takes over its consumer group, restores its windows from the results it committed and skips what they already counted. ' +
  'Latency figures include the killed worker up to its last snapshot (at most a second before the kill).';

const serviceNote =
  'broker-restart and s3-outage stop the server cleanly and start it again on the same data; they hit every tier of the pass, so each has its own recovery, ' +
  'measured from the fault to the first result the tier made visible once the server was down. The tiers, the generator and the lake sink retry the server meanwhile; ' +
  'events held back by the outage are in the latency tail.';

const unplannedNote =
  'A worker that ended without being asked to (a crash, an out-of-memory kill, a kill by hand) was replaced as an orchestrator would, ' +
  'exactly as a planned kill is; one that dies again soon after its replacement ends the tier with the reason.';

/** The notes for the kinds of fault the run met. */
function notes(summary: RunSummary): string {
  const faults = summary.faults ?? [];
  const kill = faults.some((fault) => fault.spec.startsWith('kill:'));
  const unplanned = faults.some((fault) => fault.unplanned);
  const service = faults.some((fault) => !fault.spec.startsWith('kill:') && !fault.unplanned);
  return [...(kill ? [killNote] : []), ...(unplanned ? [unplannedNote] : []), ...(service ? [serviceNote] : [])].join(' ');
}

// The summary keeps no time series, so the chart marks each fault on its latency axis (fault-marks.ts).
const onTheChart = 'Each fault is marked on the latency chart above at its recovery time.';

export function faultSectionMarkdown(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string[] {
  if (!summary.faults?.length) return [];
  return ['## Faults injected', '', table(faultHeader, faultRows(summary)), '', notes(summary), ''];
}

export function faultSectionHtml(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string {
  if (!summary.faults?.length) return '';
  return `<h2>Faults injected</h2>\n${table(faultHeader, faultRows(summary))}\n<p class="muted">${esc(`${notes(summary)} ${onTheChart}`)}</p>`;
}
