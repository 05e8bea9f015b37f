import { stages } from '../metrics/latency.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { human } from '../results/recommend.ts';
import { enginesText, tierLabel } from '../results/labels.ts';
import { readsText } from '../results/staleness-at-read.ts';
import type { RunSummary, TierSummary } from '../results/summary.ts';

/** The rows both reports show, formatted once, so HTML and Markdown never disagree. */
export interface TierRow {
  name: TierName;
  /** The name as shown: with its engine where not node (tierLabel). */
  label: string;
  state: string;
  correct: string;
  /** Errored, a wrong result, or records that do not reconcile: shown in red, never recommended. */
  failing: boolean;
  /** Events in the steady-state percentiles. */
  events: string;
  warmupEvents: string;
  p50: string;
  p90: string;
  p99: string;
  p999: string;
  max: string;
  realScheduleP99: string;
  /** p99 staleness when the results are read: what the SLA is judged on. */
  stalenessAtRead: string;
  freshness: string;
  achieved: string;
  generatorLag: string;
  cpu: string;
  cost: string;
  ratio: string;
  deadLetters: string;
}

export const usd = (value: number) => `$${Math.round(value).toLocaleString('en-US')}`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The correctness table: the result against the ground truth, and every record accounted for. */
export const correctnessHeader = ['tier', 'correct', 'accepted + rejected = produced, dead letters', 'freshness p50 (max)', 'CPU, memory (measured)'];
export const correctnessCells = (r: TierRow) => [r.label, r.correct, r.deadLetters, r.freshness, r.cpu];

export function tiersOf(summary: RunSummary): Array<[TierName, TierSummary]> {
  return tierNames.flatMap((name) => (summary.tiers[name] ? [[name, summary.tiers[name]!] as [TierName, TierSummary]] : []));
}

/** A percentile of a histogram that may be empty: no events is "no data", never "0 µs". */
const percentile = (stats: { count: number }, micros: number) => (stats.count > 0 ? human(micros) : 'no data');

function correctness(t: TierSummary): string {
  const wrong = t.correct ? [] : [t.mismatches > 0 ? `${count(t.mismatches)} windows differ` : 'result differs'];
  if (!t.deadLetters.reconciles) wrong.push('records do not reconcile');
  return wrong.length === 0 ? 'yes' : `NO (${wrong.join('; ')})`;
}

/** Both halves of the check: the sum, and the dead-letter topic holding every rejected record. */
function deadLetters(d: TierSummary['deadLetters']): string {
  const sum = `${count(d.accepted)} + ${count(d.rejected)} = ${count(d.produced)}, ${count(d.inDeadLetterTopic)} in the topic`;
  return `${sum} ${d.reconciles ? '✓' : '✗ does not reconcile'}`;
}

export function tierRows(summary: RunSummary): TierRow[] {
  return tiersOf(summary).map(([name, t]) => ({
    name,
    label: tierLabel(name, t),
    state: t.state === 'ok' ? 'ok' : `errored: ${t.error ?? 'unknown error'}`,
    correct: correctness(t),
    failing: t.state !== 'ok' || !t.correct || !t.deadLetters.reconciles,
    events: count(t.latency.count),
    warmupEvents: count(t.warmupLatency.count),
    p50: percentile(t.latency, t.latency.p50Micros),
    p90: percentile(t.latency, t.latency.p90Micros),
    p99: percentile(t.latency, t.latency.p99Micros),
    p999: percentile(t.latency, t.latency.p999Micros),
    max: percentile(t.latency, t.latency.maxMicros),
    realScheduleP99: t.projectedLatency ? `${percentile(t.projectedLatency, t.projectedLatency.p99Micros)} (projected)` : 'as measured',
    stalenessAtRead: stalenessCell(t),
    freshness: t.freshness?.count ? `${human(t.freshness.p50Micros)} (max ${human(t.freshness.maxMicros)})` : '-',
    achieved: `${count(t.achievedPerSec)}/s`,
    generatorLag: `${human(t.generatorLag.p99Micros)} (max ${human(t.generatorLag.maxMicros)})`,
    cpu: `${t.resources.cpuSeconds.toFixed(1)} s, ${(t.resources.peakRssBytes / 2 ** 20).toFixed(0)} MiB peak`,
    cost: usd(t.cost.usdPerYear),
    ratio: summary.cost.ratios[name] ? `${summary.cost.ratios[name]!.toFixed(1)}x` : '-',
    deadLetters: deadLetters(t.deadLetters),
  }));
}

/** Staleness at read: p99 (max) and its basis; runs stored before reads were modelled have none. */
function stalenessCell(t: TierSummary): string {
  const s = t.stalenessAtRead;
  if (!s) return '-';
  if (s.reads === 0 || t.latency.count === 0) return 'no data';
  return `${human(s.p99Micros)} (max ${human(s.maxMicros)}), ${s.basis}`;
}

export const latencyHeader = ['tier', 'state', 'correct', 'p50', 'p90', 'p99', 'p99.9', 'max', 'p99, real schedule (projected)', 'staleness at read p99 (the SLA)', 'achieved/s', '$/year', 'ratio'];
export const latencyCells = (r: TierRow) => [r.label, r.state, r.correct, r.p50, r.p90, r.p99, r.p999, r.max, r.realScheduleP99, r.stalenessAtRead, r.achieved, r.cost, r.ratio];

/** What each tier's figures rest on: how many events, and how late the generator was while it ran. */
export function measuredOnHeader(summary: RunSummary): string[] {
  const lag = summary.environment.execution === 'isolated' ? 'generator lag p99 (max), its own' : 'generator lag p99 (max), shared';
  return ['tier', 'events in the percentiles', 'warm-up events (left out)', lag];
}
export const measuredOnCells = (r: TierRow) => [r.label, r.events, r.warmupEvents, r.generatorLag];

/**
 * Events visible before their event time (a clock step): they are counted and kept out of the
 * percentiles, so a page that did not say so would quietly drop them.
 */
export function negativeNotes(summary: RunSummary): string[] {
  return tiersOf(summary).flatMap(([name, t]) =>
    t.latency.negativeCount > 0
      ? [`${name}: ${count(t.latency.negativeCount)} events were visible before their event time (a clock step); counted here, kept out of the percentiles, never clamped to 0.`]
      : [],
  );
}

export function breakdownRows(summary: RunSummary): Array<{ name: string; stages: string[] }> {
  return tiersOf(summary).map(([name, t]) => ({ name: tierLabel(name, t), stages: stages.map((s) => percentile(t.latency, t.latency.breakdown[s])) }));
}

/** 0 is what the harness writes when a server's start time was unknown. */
const uptime = (sec: number) => (sec > 0 ? human(sec * 1_000_000) : 'not recorded');

export function environmentRows(summary: RunSummary): Array<[string, string]> {
  const e = summary.environment;
  return [
    ['services', `${e.servicesMode}: ${e.kafka.server} ${e.kafka.version}, ${e.s3.server} ${e.s3.version}`],
    ['machine', `${e.cpus} × ${e.cpuModel}, ${(e.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${e.os}, Node ${e.node}`],
    ['execution', e.execution === 'isolated' ? `isolated: each tier alone, ${e.measuredSecPerTier} s each` : `together: all tiers at once, ${e.measuredSecPerTier} s`],
    ['repeats', String(summary.repeats.length)],
    ['services at start', `Kafka up ${uptime(e.services.uptimeSecAtStart)}, S3 up ${uptime(e.services.s3UptimeSecAtStart)}, warm-up ${e.services.warmup.done ? 'done' : 'skipped'}`],
    ['clock', e.clock],
    ['batch schedule', `every ${human(e.schedule.compressedPeriodMs * 1000)} in the lab, standing for ${e.schedule.cron ? `cron "${e.schedule.cron}" (${e.schedule.tz})` : `every ${human(e.schedule.realPeriodMs * 1000)}`}`],
    ['results read', readsText(summary.reads)],
    ['micro-batch trigger', human(e.schedule.microbatchTriggerMs * 1000)],
    ['engines', enginesText(tiersOf(summary))],
    ...guaranteeRows(summary),
    ['batch read path', readPathText[e.batchReadPath]],
    ['events', `${summary.events.produced.toLocaleString('en-US')} produced (${summary.events.rejected} malformed) at ${count(summary.events.ratePerSec)}/s asked, ${count(summary.events.achievedRatePerSec)}/s sent`],
    ['generator lag', `p50 ${human(summary.events.generatorLag.p50Micros)}, p99 ${human(summary.events.generatorLag.p99Micros)}, max ${human(summary.events.generatorLag.maxMicros)} (counted in every latency)`],
    ['run', `${summary.runId}, seed ${summary.seed}, ${summary.durationSec.toFixed(0)} s, started ${summary.startedAt}`],
  ];
}

const readPathText: Record<RunSummary['environment']['batchReadPath'], string> = {
  httpfs: "DuckDB's httpfs reads s3:// directly",
  staged: 'objects staged through the S3 client (httpfs not loadable here)',
  s3a: "Spark reads s3a:// through Hadoop's S3A connector",
};

function guaranteeRows(summary: RunSummary): Array<[string, string]> {
  return tiersOf(summary).flatMap(([name, tier]): Array<[string, string]> => {
    const guarantee = tier.guarantee;
    if (!guarantee) return [];
    const how =
      guarantee === 'exactly-once'
        ? 'results and consumed offsets commit in one Kafka transaction; visible when it commits'
        : 'results written, then offsets committed; what a crash replays is recognised and skipped';
    return [[`${name} guarantee`, `${guarantee}: ${how}`]];
  });
}

export const readingNotes = [
  'Latency is measured per event from the time the generator was scheduled to emit it to the time the tier’s store acknowledged a write that includes it (open loop: a late generator counts against the tier it was feeding).',
  'The batch job runs on a compressed schedule in the lab; its latency under the real schedule is projected, not measured: an event arriving uniformly in time waits for the next run (uniform over the real period P), then for that run’s job to finish (J: the job seconds per event measured here × the events one run takes at the projected daily volume), so its quantile q is q·P + J (p50 = P/2 + J, p99 = 0.99·P + J). Both are labelled. J is taken as linear in the events a run processes: a job with a fixed cost per run (a Spark job’s scheduling, listing and file opens), measured on the lab’s runs of a few thousand events, is projected as if that cost were per event, which overstates J at a large volume.',
  'Services are warmed before anything is measured; then the first part of each tier’s run is also left out of the steady-state figures. A tier that made no event visible shows “no data”, never a latency of 0.',
  'An event visible before its event time means a clock step: it is counted and shown, kept out of the percentiles, never clamped to 0.',
  'achieved/s is the events a tier made visible per second, from the first event’s scheduled time to its last visible result, drain included: what it delivered, not the rate asked for.',
  'One run is one sample. With repeats, the tables pool every repeat’s events, and the spread table gives each percentile’s median and min–max over the repeats: a difference inside that range is noise.',
  'A tier that errored, whose result differs from the ground truth, or whose records do not reconcile (accepted + rejected ≠ produced) is failing: shown in red and never recommended.',
  'Costs project the CPU each tier measurably spent per event to the scenario’s daily volume with the price sheet and assumptions listed above.',
];

/** CPU and memory of every measured process: the tiers, the generator, the broker, the S3 server. */
export function processRows(summary: RunSummary): string[][] {
  return summary.processes.map((p) => [
    p.name,
    `${p.cpuSeconds.toFixed(1)} s`,
    `${(p.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    `${(p.meanRssBytes / 2 ** 20).toFixed(0)} MiB`,
    p.source,
  ]);
}

export const processHeader = ['process', 'CPU time', 'peak RSS', 'mean RSS', 'read from'];
