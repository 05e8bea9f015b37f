import { stages } from '../metrics/latency.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { human } from './recommend.ts';
import type { RunSummary, TierSummary } from './summary.ts';

/** The rows both reports show, formatted once, so HTML and Markdown never disagree. */
export interface TierRow {
  name: TierName;
  state: string;
  correct: string;
  p50: string;
  p90: string;
  p99: string;
  p999: string;
  max: string;
  realScheduleP99: string;
  freshness: string;
  throughput: string;
  cpu: string;
  cost: string;
  ratio: string;
  deadLetters: string;
}

export const usd = (value: number) => `$${Math.round(value).toLocaleString('en-US')}`;

export function tiersOf(summary: RunSummary): Array<[TierName, TierSummary]> {
  return tierNames.flatMap((name) => (summary.tiers[name] ? [[name, summary.tiers[name]!] as [TierName, TierSummary]] : []));
}

export function tierRows(summary: RunSummary): TierRow[] {
  return tiersOf(summary).map(([name, t]) => ({
    name,
    state: t.state === 'ok' ? 'ok' : `errored: ${t.error ?? 'unknown error'}`,
    correct: t.correct ? 'yes' : `NO (${t.mismatches} windows differ)`,
    p50: human(t.latency.p50Micros),
    p90: human(t.latency.p90Micros),
    p99: human(t.latency.p99Micros),
    p999: human(t.latency.p999Micros),
    max: human(t.latency.maxMicros),
    realScheduleP99: t.projectedLatency ? `${human(t.projectedLatency.p99Micros)} (projected)` : 'as measured',
    freshness: t.freshness?.count ? `${human(t.freshness.p50Micros)} (max ${human(t.freshness.maxMicros)})` : '-',
    throughput: `${Math.round(t.achievedPerSec).toLocaleString('en-US')}/s`,
    cpu: `${t.resources.cpuSeconds.toFixed(1)} s, ${(t.resources.peakRssBytes / 2 ** 20).toFixed(0)} MiB peak`,
    cost: usd(t.cost.usdPerYear),
    ratio: summary.cost.ratios[name] ? `${summary.cost.ratios[name]!.toFixed(1)}x` : '-',
    deadLetters: `${t.deadLetters.accepted} + ${t.deadLetters.rejected} = ${t.deadLetters.produced} ${t.deadLetters.reconciles ? '✓' : '✗ does not reconcile'}`,
  }));
}

export function breakdownRows(summary: RunSummary): Array<{ name: TierName; stages: string[] }> {
  return tiersOf(summary).map(([name, t]) => ({ name, stages: stages.map((s) => human(t.latency.breakdown[s])) }));
}

export function environmentRows(summary: RunSummary): Array<[string, string]> {
  const e = summary.environment;
  return [
    ['services', `${e.servicesMode}: ${e.kafka.server} ${e.kafka.version}, ${e.s3.server} ${e.s3.version}`],
    ['machine', `${e.cpus} × ${e.cpuModel}, ${(e.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${e.os}, Node ${e.node}`],
    ['clock', e.clock],
    ['batch schedule', `every ${human(e.schedule.compressedPeriodMs * 1000)} in the lab, standing for every ${human(e.schedule.realPeriodMs * 1000)}`],
    ['micro-batch trigger', human(e.schedule.microbatchTriggerMs * 1000)],
    ['batch read path', e.batchReadPath === 'httpfs' ? "DuckDB's httpfs reads s3:// directly" : 'objects staged through the S3 client (httpfs not loadable here)'],
    ['events', `${summary.events.produced.toLocaleString('en-US')} produced (${summary.events.rejected} malformed) at ${summary.events.ratePerSec}/s asked, ${summary.events.achievedRatePerSec.toFixed(0)}/s achieved`],
    ['generator lag', `p50 ${human(summary.events.generatorLag.p50Micros)}, p99 ${human(summary.events.generatorLag.p99Micros)}, max ${human(summary.events.generatorLag.maxMicros)} (counted in every latency)`],
    ['run', `${summary.runId}, seed ${summary.seed}, ${summary.durationSec.toFixed(0)} s, started ${summary.startedAt}`],
  ];
}

export const readingNotes = [
  'Latency is measured per event from the time the generator was scheduled to emit it to the time the tier’s store acknowledged a write that includes it (open loop: a late generator counts against every tier).',
  'The batch job runs on a compressed schedule in the lab; its latency under the real schedule is projected by scaling the wait for the next run and keeping the measured job time. Both are labelled.',
  'Warm-up events are excluded from the steady-state figures. Costs project the CPU each tier measurably spent per event to the scenario’s daily volume with the price sheet and assumptions listed below.',
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
