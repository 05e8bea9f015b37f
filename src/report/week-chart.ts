import { jobSecondsPerEvent } from '../metrics/schedule-latency.ts';
import { batchStalenessAtReads, horizonStartMicros, scheduleInstants, type BatchSchedule, type Reads } from '../metrics/staleness.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { human } from '../results/recommend.ts';
import { readsFromSummary, readsText } from '../results/staleness-at-read.ts';
import type { RunSummary, StalenessAtRead, TierSummary } from '../results/summary.ts';
import { escapeXml, line, palette, polyline, scale, svg, text } from './svg.ts';

/**
 * One week of the scenario as a reader lives it (issue 24): when the batch job runs and when its
 * results become visible, when the results are read, and how stale each tier is at each read,
 * against the SLA. Made from summary.json alone, like every report chart.
 *
 * The week is the staleness model's own (staleness.ts): Monday 2026-01-05 00:00 to the next
 * Monday in the reads' time zone, else the schedule's, else UTC, so the points drawn are exactly
 * the reads the batch figures were computed on. Batch's staleness at each read comes from
 * batchStalenessAtReads (its cron, the job time per event measured in the run, the daily volume).
 * Micro-batch and streaming run on no schedule: a week repeats what the run measured, so each is
 * drawn flat at its p99 rather than pretending to a time series the summary does not keep.
 */

export const weekChartTitle = 'One week: when the job runs, when the results are read, and how stale they are at each read';

const microsPerMinute = 60_000_000;
const microsPerHour = 60 * microsPerMinute;
const microsPerDay = 24 * microsPerHour;
const microsPerWeek = 7 * microsPerDay;
/** More marks than one an hour would smear at this width (a pixel is ~12 min of the week): drawn as bands. */
const maxMarks = 168;
/** Reads this few get their staleness written beside their point and a guide line down from their mark. */
const labelledReads = 31;
/** Reads finer than this are drawn from the model read every minute: a pixel is ten of them already. */
const lineStepMs = 60_000;
/** Instants further apart than this are separate bands (reads on weekdays 9 to 5: five bands, not one). */
const bandGapMicros = microsPerHour + 1;
/** A white outline under labels, so they read where they cross a line. */
const halo = 'stroke="#fff" stroke-width="3" paint-order="stroke"';
const chartWidth = 940;
const plotLeft = 64;
const plotRight = chartWidth - 16;
const plotHeight = 260;

/** Ticks of the log axis at durations a person names, µs; the axis spans the ones around the data. */
const durationTicks: Array<[number, string]> = [
  [1, '1 µs'],
  [10, '10 µs'],
  [100, '100 µs'],
  [1e3, '1 ms'],
  [1e4, '10 ms'],
  [1e5, '100 ms'],
  [1e6, '1 s'],
  [1e7, '10 s'],
  [microsPerMinute, '1 min'],
  [10 * microsPerMinute, '10 min'],
  [microsPerHour, '1 h'],
  [6 * microsPerHour, '6 h'],
  [microsPerDay, '1 d'],
  [2 * microsPerDay, '2 d'],
  [microsPerWeek, '1 week'],
  [31 * microsPerDay, '31 d'],
];

interface Week {
  tz: string;
  startMicros: number;
  endMicros: number;
  /** Local midnights from Monday to the next Monday, both included (8). */
  midnights: number[];
}

interface JobRun {
  startMicros: number;
  visibleMicros: number;
}

/** The tiers that carry staleness at read, in the usual order. */
function tiersWithStaleness(summary: RunSummary): Array<[TierName, TierSummary & { stalenessAtRead: StalenessAtRead }]> {
  return tierNames.flatMap((name) => {
    const tier = summary.tiers[name];
    return tier?.stalenessAtRead ? [[name, tier as TierSummary & { stalenessAtRead: StalenessAtRead }] as const] : [];
  });
}

/** A tier whose figures rest on nothing (no read, or no event made visible) is "no data", never a staleness of 0. */
const hasData = (tier: TierSummary & { stalenessAtRead: StalenessAtRead }) => tier.stalenessAtRead.reads > 0 && tier.latency.count > 0;

/** The week's time zone: the reads', else the batch schedule's, else UTC (as the staleness model takes it). */
export function weekZone(summary: Pick<RunSummary, 'reads' | 'environment'>): string {
  const reads = summary.reads;
  return (reads?.kind === 'cron' ? reads.tz : undefined) ?? summary.environment.schedule.tz ?? 'UTC';
}

function weekOf(summary: RunSummary): Week {
  const tz = weekZone(summary);
  const startMicros = horizonStartMicros(tz);
  // Midnights from croner, not start + n days: a zone's day is not always 24 h.
  const midnights = scheduleInstants({ cron: '0 0 * * *', tz }, startMicros, startMicros + microsPerWeek + microsPerDay).slice(0, 8);
  return { tz, startMicros, endMicros: midnights[7] ?? startMicros + microsPerWeek, midnights };
}

/**
 * The week's job runs and when each one's results became visible: the model's J_j (staleness.ts),
 * the job time per event × the events that arrived since the run before. Runs from a week earlier
 * are kept so the first runs of the week have their previous cutoff and the curve has a job before
 * Monday 00:00; the earliest of them, with no cutoff before it, counts as visible when it starts.
 */
function jobRuns(schedule: BatchSchedule, jobSecondsPerEventValue: number, eventsPerDay: number, week: Week): JobRun[] {
  const starts = scheduleInstants(schedule, week.startMicros - microsPerWeek, week.endMicros);
  return starts.map((startMicros, j) => ({
    startMicros,
    visibleMicros: j === 0 ? startMicros : startMicros + Math.round((jobSecondsPerEventValue * eventsPerDay * (startMicros - starts[j - 1]!)) / 86_400),
  }));
}

/**
 * Batch staleness had it been read at any instant of the week: the exact sawtooth (it grows with
 * the clock and drops when a newer run becomes visible), drawn faintly behind sparse reads so a
 * reader sees where in the cycle each read falls. "Latest visible" is by start, as in the model.
 */
function sawtooth(runs: JobRun[], week: Week): Array<[number, number]> {
  const byVisible = runs.map((_, j) => j).sort((a, b) => runs[a]!.visibleMicros - runs[b]!.visibleMicros || a - b);
  const points: Array<[number, number]> = [];
  let latest = -1;
  let k = 0;
  while (k < byVisible.length && runs[byVisible[k]!]!.visibleMicros <= week.startMicros) latest = Math.max(latest, byVisible[k++]!);
  if (latest >= 0) points.push([week.startMicros, week.startMicros - runs[latest]!.startMicros]);
  for (; k < byVisible.length && runs[byVisible[k]!]!.visibleMicros < week.endMicros; k++) {
    const next = byVisible[k]!;
    if (next <= latest) continue;
    const at = runs[next]!.visibleMicros;
    if (latest >= 0) points.push([at, at - runs[latest]!.startMicros]);
    latest = next;
    points.push([at, at - runs[latest]!.startMicros]);
  }
  if (latest >= 0) points.push([week.endMicros, week.endMicros - runs[latest]!.startMicros]);
  return points;
}

/** Instants in runs no more than `gap` apart: [first, last] of each. */
function bandsOf(instants: number[], gap: number): Array<[number, number]> {
  const bands: Array<[number, number]> = [];
  for (const at of instants) {
    const last = bands.at(-1);
    if (last && at - last[1] <= gap) last[1] = at;
    else bands.push([at, at]);
  }
  return bands;
}

interface ReadMarks {
  /** The reads as instants, when there are few enough to draw one mark each. */
  instants?: number[];
  /** Where reads are too dense for a mark each: shaded spans. */
  bands: Array<[number, number]>;
  count: number;
  continuous: boolean;
}

function readMarks(reads: Reads, week: Week): ReadMarks {
  if (reads.kind === 'continuous') return { bands: [], count: 0, continuous: true };
  if (reads.kind === 'every') {
    const everyMicros = reads.everyMs * 1000;
    // Epoch-aligned, as the model reads: "every 5m" is :00, :05, ...
    const first = Math.ceil(week.startMicros / everyMicros) * everyMicros;
    const count = first < week.endMicros ? Math.floor((week.endMicros - 1 - first) / everyMicros) + 1 : 0;
    if (count > maxMarks) return { bands: [[week.startMicros, week.endMicros]], count, continuous: false };
    const instants = Array.from({ length: count }, (_, i) => first + i * everyMicros);
    return { instants, bands: [], count, continuous: false };
  }
  const instants = scheduleInstants({ cron: reads.cron, tz: reads.tz }, week.startMicros, week.endMicros);
  if (instants.length > maxMarks) return { bands: bandsOf(instants, bandGapMicros), count: instants.length, continuous: false };
  return { instants, bands: [], count: instants.length, continuous: false };
}

type ScheduledLine =
  | { kind: 'per-read'; points: Array<{ readMicros: number; stalenessMicros: number; jobStartMicros: number }>; dense: boolean }
  | { kind: 'flat'; micros: number; why: string };

/**
 * Batch at each read: from the model where the schedule has a phase (cron). Reads finer than a
 * minute, and continuous reads (which the model itself reads every minute), are drawn from the
 * model read every minute: a line, exact to the minute, where a mark per read would be a smear.
 */
function scheduledLine(summary: RunSummary, tier: TierSummary & { stalenessAtRead: StalenessAtRead }, reads: Reads, marks: ReadMarks): ScheduledLine {
  const cron = summary.environment.schedule.cron;
  if (!cron) return { kind: 'flat', micros: tier.stalenessAtRead.p99Micros, why: 'no phase given: uniform model' };
  // A read rarer than weekly (the 1st of the month, every 30d) may miss this week: nothing to place in it.
  if (reads.kind !== 'continuous' && marks.count === 0) return { kind: 'flat', micros: tier.stalenessAtRead.p99Micros, why: 'no read falls in this week' };
  const fine = reads.kind === 'continuous' || (reads.kind === 'every' && reads.everyMs < lineStepMs);
  const { perRead } = batchStalenessAtReads({
    reads: fine ? { kind: 'every', everyMs: lineStepMs } : reads,
    schedule: { cron, tz: summary.environment.schedule.tz ?? 'UTC' },
    jobSecondsPerEvent: jobSecondsPerEvent(tier.usage),
    eventsPerDay: summary.cost.eventsPerDay,
    weeks: 1,
  });
  return { kind: 'per-read', points: perRead, dense: fine || marks.instants === undefined };
}

/**
 * A per-read sawtooth thinned to about one vertex per `stepMicros` of the clock: a read a minute
 * is ten a pixel. Staleness grows linearly with the clock, which on a log axis is a curve, so the
 * ramps keep their intermediate reads; the reads either side of each drop (a newer run became
 * visible) are always kept, so the drops stay sharp. A gap of more than an hour between reads
 * (nights, weekends) breaks the line: nothing is read there.
 */
function sawtoothSegments(points: Array<{ readMicros: number; stalenessMicros: number; jobStartMicros: number }>, stepMicros: number): Array<Array<[number, number]>> {
  const segments: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  points.forEach((p, i) => {
    const before = points[i - 1];
    const after = points[i + 1];
    if (before && p.readMicros - before.readMicros > bandGapMicros) {
      segments.push(current);
      current = [];
    }
    const edge = !before || !after || before.jobStartMicros !== p.jobStartMicros || after.jobStartMicros !== p.jobStartMicros || after.readMicros - p.readMicros > bandGapMicros;
    const last = current.at(-1);
    if (edge || !last || p.readMicros - last[0] >= stepMicros) current.push([p.readMicros, p.stalenessMicros]);
  });
  segments.push(current);
  return segments.filter((s) => s.length > 0);
}

/** The exact sawtooth with points every `stepMicros` along each ramp, so it bends as it must on the log axis. */
function alongRamps(vertices: Array<[number, number]>, stepMicros: number): Array<[number, number]> {
  return vertices.flatMap(([at, micros], i) => {
    const next = vertices[i + 1];
    if (!next || next[0] <= at) return [[at, micros] as [number, number]];
    const steps = Math.ceil((next[0] - at) / stepMicros);
    return Array.from({ length: steps }, (_, k) => [at + ((next[0] - at) * k) / steps, micros + ((next[1] - micros) * k) / steps] as [number, number]);
  });
}

/** "Mon 09:00" in the week's zone. */
function clockOf(tz: string): (micros: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (micros) => format.format(new Date(Math.round(micros / 1000)));
}

/** Labels pushed apart vertically so none overlaps the one above it. */
function spread<T extends { y: number }>(labels: T[], gapPx = 13): T[] {
  const sorted = [...labels].sort((a, b) => a.y - b.y);
  let last = Number.NEGATIVE_INFINITY;
  for (const label of sorted) {
    label.y = Math.max(label.y, last + gapPx);
    last = label.y;
  }
  return sorted;
}

/** An approximate text width at the chart's 11 px: enough to lay out a legend without measuring. */
const textWidth = (content: string) => content.length * 6.2;

function legendRows(entries: Array<{ label: string; colour: string; dash?: string; width?: number }>, left: number, top: number, right: number): { marks: string[]; bottom: number } {
  const marks: string[] = [];
  let x = left;
  let y = top;
  for (const entry of entries) {
    const width = 28 + textWidth(entry.label) + 18;
    if (x + width > right && x > left) {
      x = left;
      y += 15;
    }
    marks.push(line(x, y, x + 22, y, entry.colour, `stroke-width="${entry.width ?? 3}"${entry.dash ? ` stroke-dasharray="${entry.dash}"` : ''}`));
    marks.push(text(x + 28, y + 4, entry.label, 'class="legend"'));
    x += width;
  }
  return { marks, bottom: y + 6 };
}

/**
 * The week chart as an SVG string; '' for a summary without reads or staleness at read (runs
 * stored before reads were modelled), so the page then shows nothing in its place.
 */
export function weekChart(summary: RunSummary): string {
  const tiers = tiersWithStaleness(summary);
  if (!summary.reads || tiers.length === 0) return '';
  const reads = readsFromSummary(summary);
  const week = weekOf(summary);
  const clock = clockOf(week.tz);
  const marks = readMarks(reads, week);
  const schedule = summary.environment.schedule;
  // The tier on a real schedule (its staleness computed from it, not measured): its job's runs get the lane at the top.
  const scheduledEntry = tiers.find(([, t]) => t.stalenessAtRead.basis === 'computed');
  const jobTier = scheduledEntry?.[0];
  const scheduled = scheduledEntry?.[1];
  const jobColour = jobTier ? palette[jobTier]! : palette.grid!;
  const scheduledData = scheduled && hasData(scheduled) ? scheduled : undefined;
  const runs =
    scheduled && schedule.cron
      ? jobRuns({ cron: schedule.cron, tz: schedule.tz ?? 'UTC' }, scheduledData ? jobSecondsPerEvent(scheduledData.usage) : 0, summary.cost.eventsPerDay, week)
      : [];
  const weekRuns = runs.filter((run) => run.startMicros >= week.startMicros && run.startMicros < week.endMicros);
  const scheduledDrawn = scheduledData ? scheduledLine(summary, scheduledData, reads, marks) : undefined;
  // Two pixels of the week: fine enough for a smooth curve, a few hundred points a week.
  const stepMicros = ((week.endMicros - week.startMicros) * 2) / (plotRight - plotLeft);
  const reference = scheduledDrawn?.kind === 'per-read' && !scheduledDrawn.dense ? alongRamps(sawtooth(runs, week), stepMicros) : [];
  const flats = tiers.filter(([name, tier]) => name !== jobTier && hasData(tier));

  // The y-axis: the ticks around everything drawn, the SLA included.
  const values = [summary.sla.p99Micros, ...flats.map(([, t]) => t.stalenessAtRead.p99Micros)];
  if (scheduledDrawn?.kind === 'flat') values.push(scheduledDrawn.micros);
  if (scheduledDrawn?.kind === 'per-read') values.push(...scheduledDrawn.points.map((p) => p.stalenessMicros));
  values.push(...reference.map(([, micros]) => micros));
  const positive = values.filter((v) => v > 0);
  const lowest = Math.min(...positive);
  const highest = Math.max(...positive);
  // From the named duration at or under the smallest value to just over the largest: 16 px above
  // it for the label of the line that sits there (often the SLA), and at least a decade in all.
  const bottomLog = Math.log10(([...durationTicks].reverse().find(([micros]) => micros <= lowest) ?? durationTicks[0]!)[0]);
  const highestLog = Math.max(Math.log10(highest), bottomLog + 1);
  const topLog = highestLog + ((highestLog - bottomLog) * 16) / (plotHeight - 16);
  const ticks = durationTicks.filter(([micros]) => Math.log10(micros) >= bottomLog && Math.log10(micros) <= topLog);

  // Legend first: how many rows it takes sets where everything under it starts.
  // Batch drawn read by read has no single line to label: its p99 goes in the legend.
  const legendLabel = (name: TierName, tier: TierSummary & { stalenessAtRead: StalenessAtRead }) =>
    !hasData(tier) ? `${name}: no data` : name === jobTier && scheduledDrawn?.kind === 'per-read' ? `${name}: computed at each read, p99 ${human(tier.stalenessAtRead.p99Micros)}` : name;
  const legendEntries: Array<{ label: string; colour: string; dash?: string; width?: number }> = tiers.map(([name, tier]) => ({
    label: legendLabel(name, tier),
    colour: palette[name]!,
    ...(name === jobTier && scheduledDrawn?.kind === 'flat' ? { dash: '6,3' } : {}),
  }));
  if (reference.length > 0) legendEntries.push({ label: `${jobTier} if read at any instant`, colour: jobColour, dash: '2,2', width: 1.5 });
  legendEntries.push({ label: `SLA ${human(summary.sla.p99Micros)}`, colour: palette.sla!, dash: '8,4', width: 2 });
  const legend = legendRows(legendEntries, plotLeft, 40, plotRight);

  const jobLane = { top: legend.bottom + 12, height: 16 };
  const readLane = { top: jobLane.top + jobLane.height + 6, height: 16 };
  const plotTop = readLane.top + readLane.height + 14;
  const plotBottom = plotTop + plotHeight;
  const x = scale(week.startMicros, week.endMicros, plotLeft, plotRight);
  const yLog = scale(bottomLog, topLog, plotBottom, plotTop);
  const y = (micros: number) => yLog(Math.min(Math.max(Math.log10(Math.max(micros, 1)), bottomLog), topLog));

  const body: string[] = [text(plotLeft, 20, weekChartTitle, 'font-size="13" font-weight="600"'), ...legend.marks];

  // Days: a line at each local midnight through the lanes and the plot, the day's name under it.
  week.midnights.forEach((midnight, i) => {
    body.push(line(x(midnight), jobLane.top, x(midnight), plotBottom, palette.grid!));
    const next = week.midnights[i + 1];
    if (next === undefined) return;
    body.push(text((x(midnight) + x(next)) / 2, plotBottom + 15, clock(midnight).slice(0, 3), 'text-anchor="middle" class="day"'));
    for (const hour of [6, 12, 18]) {
      const at = midnight + hour * microsPerHour;
      if (at < next) body.push(line(x(at), plotBottom, x(at), plotBottom + 4, '#bbb'));
    }
  });
  // Every tick gets its grid line; a label too close to the one under it (1 d and 2 d) is left out.
  let lastLabelY = Number.POSITIVE_INFINITY;
  for (const [micros, label] of ticks) {
    body.push(line(plotLeft, y(micros), plotRight, y(micros), palette.grid!));
    if (lastLabelY - y(micros) < 15) continue;
    body.push(text(plotLeft - 6, y(micros) + 4, label, 'text-anchor="end"'));
    lastLabelY = y(micros);
  }
  body.push(line(plotLeft, plotBottom, plotRight, plotBottom, '#999'));

  // The job lane: each run from its start to where its results became visible.
  body.push(text(plotLeft - 6, jobLane.top + 12, `${jobTier ?? 'scheduled'} job`, 'text-anchor="end"'));
  if (!scheduled) body.push(text(plotLeft + 6, jobLane.top + 12, 'no tier on a schedule in this run', 'fill="#666"'));
  else if (!schedule.cron) body.push(text(plotLeft + 6, jobLane.top + 12, `runs every ${human(schedule.realPeriodMs * 1000)}; no phase given: uniform model, so no runs to mark`, 'fill="#666"'));
  else if (weekRuns.length > maxMarks) {
    for (const [from, to] of bandsOf(weekRuns.map((run) => run.startMicros), bandGapMicros)) {
      body.push(`<rect class="job-band" x="${x(from).toFixed(1)}" y="${jobLane.top}" width="${Math.max(2, x(to) - x(from)).toFixed(1)}" height="${jobLane.height}" fill="${jobColour}" fill-opacity="0.3"/>`);
    }
    body.push(text(plotLeft + 6, jobLane.top + 12, `job runs on cron "${schedule.cron}": ${weekRuns.length.toLocaleString('en-US')} runs this week`, halo));
  } else {
    for (const run of weekRuns) {
      const from = x(run.startMicros);
      const tip = scheduledData
        ? `job starts ${clock(run.startMicros)}, results visible ${clock(run.visibleMicros)} (${human(run.visibleMicros - run.startMicros)} later)`
        : `job starts ${clock(run.startMicros)}`;
      body.push(
        `<g class="job-run"><title>${escapeXml(tip)}</title>` +
          line(from, jobLane.top, from, jobLane.top + jobLane.height, jobColour, 'stroke-width="2"') +
          `<rect x="${from.toFixed(1)}" y="${(jobLane.top + 4).toFixed(1)}" width="${Math.max(3, x(run.visibleMicros) - from).toFixed(1)}" height="${jobLane.height - 8}" fill="${jobColour}" fill-opacity="0.55"/></g>`,
      );
    }
  }

  // The reads lane: a tick a read, or shaded where they are too dense to tell apart.
  body.push(text(plotLeft - 6, readLane.top + 12, 'reads', 'text-anchor="end"'));
  if (marks.continuous) body.push(text(plotLeft + 6, readLane.top + 12, 'continuous: a decision at every event, so no read marks; each line is the staleness an event meets', 'fill="#666"'));
  for (const [from, to] of marks.bands) {
    body.push(`<rect class="reads-band" x="${x(from).toFixed(1)}" y="${readLane.top}" width="${Math.max(2, x(to) - x(from)).toFixed(1)}" height="${readLane.height}" fill="#777" fill-opacity="0.25"/>`);
  }
  // One band (the whole week) has room for its count; several (weekdays 9 to 5) leave it to the note below.
  if (marks.bands.length === 1) body.push(text(plotLeft + 6, readLane.top + 12, `${readsText(summary.reads)}: ${marks.count.toLocaleString('en-US')} reads this week`, halo));
  const guides = (marks.instants?.length ?? 0) <= labelledReads;
  for (const at of marks.instants ?? []) {
    body.push(`<g class="read"><title>${escapeXml(`read ${clock(at)}`)}</title>${line(x(at), readLane.top, x(at), readLane.top + readLane.height, '#444', 'stroke-width="2"')}</g>`);
    if (guides) body.push(line(x(at), readLane.top + readLane.height, x(at), plotBottom, '#999', 'stroke-dasharray="2,3"'));
  }

  // Staleness: the SLA, the flat tiers, the scheduled tier.
  const labels: Array<{ y: number; content: string; colour: string }> = [];
  const slaY = y(summary.sla.p99Micros);
  body.push(line(plotLeft, slaY, plotRight, slaY, palette.sla!, 'stroke-width="2" stroke-dasharray="8,4" class="sla"'));
  labels.push({ y: slaY - 4, content: `SLA ${human(summary.sla.p99Micros)}`, colour: palette.sla! });
  for (const [name, tier] of flats) {
    const s = tier.stalenessAtRead;
    body.push(line(plotLeft, y(s.p99Micros), plotRight, y(s.p99Micros), palette[name]!, `stroke-width="2" class="staleness" data-tier="${name}"`));
    labels.push({ y: y(s.p99Micros) - 4, content: `${name} ${s.basis} p99 ${human(s.p99Micros)}`, colour: palette[name]! });
  }
  if (reference.length > 0) body.push(polyline(reference.map(([at, micros]) => [x(at), y(micros)]), jobColour, 'stroke-width="1" stroke-dasharray="2,2" stroke-opacity="0.6" class="reference"'));
  if (scheduledDrawn?.kind === 'flat') {
    body.push(line(plotLeft, y(scheduledDrawn.micros), plotRight, y(scheduledDrawn.micros), jobColour, `stroke-width="2" stroke-dasharray="6,3" class="staleness" data-tier="${jobTier}"`));
    labels.push({ y: y(scheduledDrawn.micros) - 4, content: `${jobTier} computed p99 ${human(scheduledDrawn.micros)} (${scheduledDrawn.why})`, colour: jobColour });
  } else if (scheduledDrawn?.kind === 'per-read' && scheduledDrawn.dense) {
    for (const segment of sawtoothSegments(scheduledDrawn.points, stepMicros)) {
      body.push(polyline(segment.map(([at, micros]) => [x(at), y(micros)]), jobColour, `class="staleness" data-tier="${jobTier}"`));
    }
  } else if (scheduledDrawn?.kind === 'per-read') {
    const labelled = scheduledDrawn.points.length <= labelledReads;
    for (const p of scheduledDrawn.points) {
      const over = p.stalenessMicros > summary.sla.p99Micros;
      const tip = `read ${clock(p.readMicros)}: ${human(p.stalenessMicros)} stale (the newest visible run started ${clock(p.jobStartMicros)})${over ? ', over the SLA' : ''}`;
      body.push(
        `<circle class="staleness" data-tier="${jobTier}" cx="${x(p.readMicros).toFixed(1)}" cy="${y(p.stalenessMicros).toFixed(1)}" r="${labelled ? 4.5 : 3}" fill="${jobColour}" stroke="${over ? palette.sla : '#fff'}" stroke-width="${over ? 2 : 1}"><title>${escapeXml(tip)}</title></circle>`,
      );
      if (labelled) body.push(text(x(p.readMicros) + 8, y(p.stalenessMicros) + 4, human(p.stalenessMicros), `fill="${jobColour}" font-weight="600" ${halo}`));
    }
  }
  for (const label of spread(labels)) body.push(text(plotRight - 4, label.y, label.content, `text-anchor="end" fill="${label.colour}" ${halo}`));

  // What the picture rests on, in words, under it.
  const notes = [`time of week in ${week.tz}, Monday 00:00 to Monday 00:00 · staleness at read: the age of the oldest event not yet visible (log scale)`];
  notes.push(`reads: ${readsText(summary.reads)}${marks.continuous ? '' : `, ${marks.count.toLocaleString('en-US')} in the week`}`);
  if (jobTier) notes.push(scheduledNote(jobTier, summary, scheduledData, weekRuns));
  if (flats.length > 0) notes.push(`${flats.map(([name]) => name).join(', ')}: no schedule to place in the week; drawn flat at the p99 ${marks.continuous ? 'each event met' : 'measured at read instants every 100 ms'} while the stream ran`);
  notes.forEach((note, i) => body.push(text(plotLeft, plotBottom + 34 + i * 15, note, `class="note"${i === 0 ? '' : ' fill="#555"'}`)));

  const f = { width: chartWidth, height: plotBottom + 34 + notes.length * 15, left: plotLeft, right: chartWidth - plotRight, top: plotTop, bottom: 0 };
  // The report lays it out at its own width; the demo page may be narrower: scale down, never up.
  return svg(f, weekChartTitle, body).replace('class="chart"', 'class="chart week-chart" style="max-width:100%;height:auto"');
}

function scheduledNote(name: string, summary: RunSummary, tier: (TierSummary & { stalenessAtRead: StalenessAtRead }) | undefined, weekRuns: JobRun[]): string {
  const schedule = summary.environment.schedule;
  if (!tier) return `${name}: no data (no event was made visible), so no staleness to draw`;
  if (!schedule.cron) return `${name}: every ${human(schedule.realPeriodMs * 1000)} with no phase given: uniform model, drawn flat at its computed p99`;
  const durations = weekRuns.map((run) => run.visibleMicros - run.startMicros);
  const took = durations.length === 0 ? '' : Math.min(...durations) === Math.max(...durations) ? human(durations[0]!) : `${human(Math.min(...durations))} to ${human(Math.max(...durations))}`;
  return (
    `${name}: computed from its cron "${schedule.cron}" (${schedule.tz ?? 'UTC'}) and the job time per event measured here` +
    `${took ? `: each run takes ${took} at ${summary.cost.eventsPerDay.toLocaleString('en-US')} events/day` : ''}`
  );
}
