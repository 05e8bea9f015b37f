import { Cron } from 'croner';
import { parseDurationMs } from '../parse.ts';
import { TierlabError } from '../errors.ts';
import { stalenessStats, type StalenessStats } from './staleness-grid.ts';

export type { StalenessStats };

/**
 * Staleness at read for the batch tier under its real schedule, computed exactly (no sampling).
 *
 * An SLA bounds what a reader sees: at a read instant r, the age of the oldest event not yet
 * visible. Events arrive uniformly at eventsPerDay. The job starting at t_j takes everything that
 * arrived since t_{j-1} (its cutoff is t_j) and is visible at t_j + J_j, where
 * J_j = jobSecondsPerEvent × eventsPerDay × (t_j − t_{j−1}) / 1 day. At r, with j the latest job
 * (by start) that is visible, the oldest unseen event arrived just after t_j: staleness = r − t_j.
 * Jobs never overlap in this model: a J_j longer than the gap to the next start is used as is (the
 * next job may then become visible first, and "latest visible" is still taken by start order).
 *
 * Cron semantics are croner's (5 fields, or 6 with seconds first; day-of-month OR day-of-week as
 * in Vixie cron). DST, as croner does it and as the tests pin down for Europe/London: a fixed-time
 * job (one value each in minute and hour, e.g. `30 1 * * *`) that falls in the spring-forward gap
 * runs at the first valid time after it (02:00 BST), and on fall-back runs once, at the first
 * occurrence; an interval job (`*`, step, list or range) skips gap times and runs both occurrences.
 *
 * Horizon: `weeks` whole weeks from Monday 2026-01-05 00:00 in the read's time zone (the schedule's
 * for `every` and `continuous` reads), with the job schedule starting one week earlier so the first
 * reads have jobs before them. A week of reads covers every pattern that repeats weekly, so those
 * figures are exact; the dates sit away from the usual DST transitions (March/April, October/
 * November) unless weeks > 8, so they describe ordinary weeks. Monthly or rarer patterns are
 * computed over the same few weeks and are not claimed to be exact for the whole month or year.
 */

export type Reads = { kind: 'continuous' } | { kind: 'every'; everyMs: number } | { kind: 'cron'; cron: string; tz: string };
export interface BatchSchedule {
  cron: string;
  tz: string;
}

const msPerWeek = 7 * 86_400_000;
/** A Sunday in UTC: the next local Monday 00:00 after it is 2026-01-05 in every zone (UTC−12…+14). */
const horizonAnchorMs = Date.parse('2026-01-04T00:00:00Z');
/** `continuous` reads: one per minute stands in for "a read at every event" (see batchStalenessAtReads). */
const continuousStepMs = 60_000;
/** croner steps one run at a time (some thousands a second): a guard against a per-second cron over weeks. */
const maxInstants = 200_000;

function badInput(message: string, details: Record<string, unknown>): TierlabError {
  return new TierlabError('BAD_INPUT', message, { details });
}

function checkTz(tz: string, where: string): void {
  try {
    // Intl is what croner converts with; checking here rejects '' (which croner reads as the
    // machine's zone) and unknown names up front rather than at the first computed run.
    if (typeof tz === 'string' && new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone) return;
  } catch {
    // an unknown zone: the typed error below
  }
  throw badInput(`${where} time zone must be an IANA name such as Europe/London or UTC (got "${String(tz)}")`, { where, tz });
}

function cronFor(cron: string, tz: string, where: string): Cron {
  checkTz(tz, where);
  let job: Cron;
  try {
    // No callback: croner only computes runs and never starts a timer.
    job = new Cron(cron, { timezone: tz, mode: '5-or-6-parts' });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw badInput(`${where} must be a cron of 5 fields (minute hour day-of-month month day-of-week, or 6 with seconds first) such as "0 2 * * *" (got "${cron}": ${why})`, { where, cron, tz });
  }
  if (job.nextRun(new Date(horizonAnchorMs)) === null) throw badInput(`${where} cron "${cron}" never runs`, { where, cron, tz });
  return job;
}

/** Parses and checks a cron + tz; a bad one throws TierlabError('BAD_INPUT', ...) naming the value and what is wrong. */
export function checkCron(cron: string, tz: string, where: string): void {
  cronFor(cron, tz, where);
}

/** Runs of `job` in [fromMicros, toMicros), in µs since the epoch. */
function runsBetween(job: Cron, fromMicros: number, toMicros: number, where: string): number[] {
  const out: number[] = [];
  // croner's nextRun is strictly after its argument, and runs fall on whole seconds.
  let at = new Date(Math.ceil(fromMicros / 1000) - 1);
  for (;;) {
    const next = job.nextRun(at);
    if (next === null || next.getTime() * 1000 >= toMicros) return out;
    out.push(next.getTime() * 1000);
    if (out.length > maxInstants) throw badInput(`${where} cron "${job.getPattern()}" fires more than ${maxInstants} times in the horizon; use fewer runs or { every } reads`, { where });
    at = next;
  }
}

/** Job start instants (µs since epoch) of a schedule between two instants: fromMicros included, toMicros not. */
export function scheduleInstants(schedule: BatchSchedule, fromMicros: number, toMicros: number): number[] {
  return runsBetween(cronFor(schedule.cron, schedule.tz, 'schedule'), fromMicros, toMicros, 'schedule');
}

function checkWeeks(weeks: number): void {
  if (!Number.isSafeInteger(weeks) || weeks < 1) throw badInput(`weeks must be a whole number of weeks >= 1 (got ${String(weeks)})`, { weeks });
}

/** Monday 2026-01-05 00:00 in `tz`, in µs (croner does the zone arithmetic); the week chart draws this same week. */
export function horizonStartMicros(tz: string): number {
  return new Cron('0 0 * * 1', { timezone: tz }).nextRun(new Date(horizonAnchorMs))!.getTime() * 1000;
}

/** How many times a day the schedule runs on average over the horizon (for the cost model: runs per day). */
export function runsPerDay(schedule: BatchSchedule, weeks = 4): number {
  checkWeeks(weeks);
  const job = cronFor(schedule.cron, schedule.tz, 'schedule');
  const start = horizonStartMicros(schedule.tz);
  return runsBetween(job, start, start + weeks * msPerWeek * 1000, 'schedule').length / (7 * weeks);
}

/** How many times a day the results are read: a cron's average over the horizon, or a day over the read period. */
export function readsPerDay(reads: Reads, weeks = 4): number {
  if (reads.kind === 'cron') return runsPerDay({ cron: reads.cron, tz: reads.tz }, weeks);
  return 86_400_000 / (reads.kind === 'every' ? reads.everyMs : continuousStepMs);
}

function readInstants(reads: Reads, scheduleTz: string, weeks: number): { reads: number[]; horizonStart: number } {
  if (reads.kind === 'cron') {
    const job = cronFor(reads.cron, reads.tz, 'reads');
    const start = horizonStartMicros(reads.tz);
    return { reads: runsBetween(job, start, start + weeks * msPerWeek * 1000, 'reads'), horizonStart: start };
  }
  const everyMs = reads.kind === 'every' ? reads.everyMs : continuousStepMs;
  if (!Number.isSafeInteger(everyMs) || everyMs < 1) throw badInput(`reads.everyMs must be a whole number of ms above 0 (got ${String(everyMs)})`, { everyMs });
  const startMs = horizonStartMicros(scheduleTz) / 1000;
  const endMs = startMs + weeks * msPerWeek;
  if ((endMs - startMs) / everyMs > maxInstants) throw badInput(`reads every ${everyMs} ms gives more than ${maxInstants} reads in ${weeks} weeks; read less often`, { everyMs, weeks });
  const out: number[] = [];
  // Epoch-aligned, so "every 5m" reads at :00, :05, ... whatever the horizon start.
  for (let at = Math.ceil(startMs / everyMs) * everyMs; at < endMs; at += everyMs) out.push(at * 1000);
  return { reads: out, horizonStart: startMs * 1000 };
}

/**
 * Staleness at each read of the batch tier under its real schedule.
 *
 * `continuous` reads are every minute over the horizon: reading at every event instant, so the
 * distribution approximates the per-event latency distribution under the real schedule (an event
 * arriving uniformly between cutoffs waits for the next cutoff plus that job's time), to within the
 * one-minute step.
 */
export function batchStalenessAtReads(input: { reads: Reads; schedule: BatchSchedule; jobSecondsPerEvent: number; eventsPerDay: number; weeks?: number }): {
  stats: StalenessStats;
  perRead: Array<{ readMicros: number; stalenessMicros: number; jobStartMicros: number }>;
} {
  const { jobSecondsPerEvent, eventsPerDay, weeks = 4 } = input;
  checkWeeks(weeks);
  if (!Number.isFinite(jobSecondsPerEvent) || jobSecondsPerEvent < 0) throw badInput(`jobSecondsPerEvent must be a finite number of seconds, 0 or more (got ${String(jobSecondsPerEvent)})`, { jobSecondsPerEvent });
  if (!Number.isFinite(eventsPerDay) || eventsPerDay < 0) throw badInput(`eventsPerDay must be a finite number of events, 0 or more (got ${String(eventsPerDay)})`, { eventsPerDay });
  const job = cronFor(input.schedule.cron, input.schedule.tz, 'schedule');
  const { reads, horizonStart } = readInstants(input.reads, input.schedule.tz, weeks);
  if (reads.length === 0) throw badInput(`reads ${JSON.stringify(input.reads)} has no read in the ${weeks}-week horizon; read at least once in it`, { reads: input.reads, weeks });

  // Starts from one week before the horizon, led by the run before those, which only serves as the
  // first one's previous cutoff (so every listed job has a true J) and is taken as visible already.
  const from = horizonStart - msPerWeek * 1000;
  const before = job.previousRuns(1, new Date(from / 1000)).map((d) => d.getTime() * 1000);
  const starts = [...before, ...runsBetween(job, from, reads.at(-1)! + 1, 'schedule')];
  const visibleAt = starts.map((t, j) => (j === 0 ? t : t + Math.round((jobSecondsPerEvent * eventsPerDay * (t - starts[j - 1]!)) / 86_400)));

  // Visibility is not monotone in j when a job outlasts the gap after it, so sweep jobs in order of
  // visibility and keep the largest index seen: exact for "the latest job (by start) that is visible".
  const byVisible = starts.map((_, j) => j).sort((a, b) => visibleAt[a]! - visibleAt[b]! || a - b);
  const perRead: Array<{ readMicros: number; stalenessMicros: number; jobStartMicros: number }> = [];
  let k = 0;
  let latest = -1;
  for (const r of reads) {
    while (k < byVisible.length && visibleAt[byVisible[k]!]! <= r) latest = Math.max(latest, byVisible[k++]!);
    if (latest < 0) throw badInput(`schedule cron "${input.schedule.cron}" has no run before the first read`, { schedule: input.schedule });
    perRead.push({ readMicros: r, stalenessMicros: r - starts[latest]!, jobStartMicros: starts[latest]! });
  }
  return { stats: stalenessStats(perRead.map((p) => p.stalenessMicros)), perRead };
}

const weekdays: Record<string, string> = { mon: 'MON', tue: 'TUE', wed: 'WED', thu: 'THU', fri: 'FRI', sat: 'SAT', sun: 'SUN', daily: '*' };

/** Parses a read spec as a person types it for `tierlab advise --reads`: "Mon 09:00", "daily 09:00", "every 5m", "continuous". */
export function parseReads(text: string, tz: string): Reads {
  const value = String(text).trim().toLowerCase();
  if (value === 'continuous') return { kind: 'continuous' };
  const every = /^every\s+(\S+)$/.exec(value);
  if (every) {
    const everyMs = parseDurationMs(every[1]!, '--reads every');
    if (everyMs < 1) throw badInput(`--reads every must be a duration above 0 such as 5m (got "${text}")`, { flag: '--reads', value: text });
    return { kind: 'every', everyMs };
  }
  const at = /^(mon|tue|wed|thu|fri|sat|sun|daily)\s+(\d{1,2}):(\d{2})$/.exec(value);
  if (at && Number(at[2]) <= 23 && Number(at[3]) <= 59) {
    const cron = `${Number(at[3])} ${Number(at[2])} * * ${weekdays[at[1]!]}`;
    checkCron(cron, tz, '--reads');
    return { kind: 'cron', cron, tz };
  }
  throw badInput(`--reads must be "continuous", "every 5m", "daily 09:00" or a weekday and time such as "Mon 09:00" (got "${text}")`, { flag: '--reads', value: text });
}
