import { human } from '../results/recommend.ts';
import { readsText } from '../results/staleness-at-read.ts';
import type { RunSummary } from '../results/summary.ts';
import { escapeXml as esc } from './svg.ts';
import { weekChart, weekZone } from './week-chart.ts';
import { tiersOf } from './facts.ts';

/**
 * Staleness at read on both pages: report.html draws the week (week-chart.ts), report.md gives
 * the same figures as a table, since a Markdown page has no picture made from summary.json.
 * Runs stored before reads were modelled have neither.
 */

const hasStaleness = (summary: RunSummary) => summary.reads !== undefined && tiersOf(summary).some(([, t]) => t.stalenessAtRead);

/** What the picture computes and what it measured, in one paragraph. */
export function weekNote(summary: RunSummary): string {
  const schedule = summary.environment.schedule;
  // The tier on a real schedule has its staleness computed from it; the others' is measured.
  const scheduled = tiersOf(summary).find(([, t]) => t.stalenessAtRead?.basis === 'computed')?.[0];
  const Scheduled = scheduled ? `${scheduled.charAt(0).toUpperCase()}${scheduled.slice(1)}` : '';
  const batch = !scheduled
    ? ''
    : schedule.cron
    ? `${Scheduled} is computed, not measured: its cron "${schedule.cron}" (${schedule.tz ?? 'UTC'}) places each run in the week, each run takes the job time per event this run measured times the events that arrived since the run before (at ${summary.cost.eventsPerDay.toLocaleString('en-US')} events/day), and at each read its staleness is the time since the newest visible run started.`
    : `${Scheduled} is computed from its period (${human(schedule.realPeriodMs * 1000)}) and the measured job time per event; the scenario gives no phase, so a read falls anywhere in the period (the uniform model) and it is drawn flat at its p99.`;
  const measured = tiersOf(summary).flatMap(([name, t]) => (name !== scheduled && t.stalenessAtRead ? [name] : []));
  const how =
    summary.reads?.kind === 'continuous'
      ? 'with continuous reads, the staleness each event met is its latency'
      : 'staleness sampled at read instants every 100 ms while the stream ran (after warm-up)';
  const names = measured.join(' and ');
  const others = measured.length > 0 ? `${names.charAt(0).toUpperCase()}${names.slice(1)} ${measured.length > 1 ? 'are' : 'is'} measured: ${how}; with no schedule to place in the week, each is drawn flat at its p99.` : '';
  return `Results read ${readsText(summary.reads)}. ${[batch, others].filter(Boolean).join(' ')} The week runs Monday 00:00 to Monday 00:00 in ${weekZone(summary)}, the week the scheduled figures were computed on; the SLA is judged on staleness at read.`;
}

export function weekSectionHtml(summary: RunSummary): string {
  const chart = weekChart(summary);
  if (!chart) return '';
  return `<h2>One week of reads</h2>\n<figure class="week">${chart}<figcaption>${esc(weekNote(summary))}</figcaption></figure>`;
}

/** For continuous reads the figures stand on events, one decision each, not on reads. */
export const weekHeader = (summary: RunSummary) => ['tier', summary.reads?.kind === 'continuous' ? 'events (continuous reads)' : 'reads', 'staleness p50', 'p99', 'max', 'basis'];

/** Per tier: how many reads the figures stand on (events, for continuous reads), p50/p99/max and whether computed or measured. */
export function weekRows(summary: RunSummary): string[][] {
  return tiersOf(summary).flatMap(([name, t]) => {
    const s = t.stalenessAtRead;
    if (!s) return [];
    if (s.reads === 0 || t.latency.count === 0) return [[name, '0', 'no data', 'no data', 'no data', s.basis]];
    return [[name, s.reads.toLocaleString('en-US'), human(s.p50Micros), human(s.p99Micros), human(s.maxMicros), s.basis]];
  });
}

export function weekSectionMarkdown(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string[] {
  if (!hasStaleness(summary)) return [];
  return ['## Staleness at read', '', table(weekHeader(summary), weekRows(summary)), '', weekNote(summary), ''];
}
