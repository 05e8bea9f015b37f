import type { CapacityResult } from '../results/capacity.ts';
import { spreadPercentiles, tierSpread, type Spread } from '../metrics/spread.ts';
import { tierNames } from '../tiers/types.ts';
import { human } from '../results/recommend.ts';
import type { RunSummary, WarmupSummary } from '../results/summary.ts';

/*
 * How the figures were obtained and how much they moved, formatted once for both pages: someone
 * trying to refute the report first asks what a number was measured on and whether a second run
 * would give the same one.
 */

const seconds = (sec: number) => human(sec * 1_000_000);
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** Step p99s in one unit, so the eye reads the trend: "41 → 8.2 → 19.9 → 13.2 ms". */
export function stepList(micros: readonly number[]): string {
  if (micros.length === 0) return 'none recorded';
  const largest = Math.max(...micros);
  const [divisor, unit] = largest < 1_000 ? [1, 'µs'] : largest < 1_000_000 ? [1_000, 'ms'] : [1_000_000, 's'];
  return `${micros.map((m) => String(Number((m / divisor).toPrecision(3)))).join(' → ')} ${unit}`;
}

function warmupText(warmup: WarmupSummary): string {
  if (!warmup.done) return 'Warm-up was skipped: the broker was measured cold.';
  const converged = warmup.converged
    ? 'produce latency converged'
    : 'produce latency had not converged when the warm-up’s time bound ended it, so the first figures may include a still-warming broker';
  return (
    `Before that, a warm-up of ${seconds(warmup.durationSec)} sent ${count(warmup.records)} records at ${count(warmup.ratePerSec)}/s; ` +
    `${converged} (produce p99 per step: ${stepList(warmup.stepP99Micros)}).`
  );
}

/** The "How it was measured" paragraph near the top of both pages. */
export function measuredHow(summary: RunSummary): string {
  const e = summary.environment;
  const execution =
    e.execution === 'isolated'
      ? `Execution: isolated — each tier alone on the identical seeded stream, one after another, ${seconds(e.measuredSecPerTier)} each.`
      : `Execution: together — all tiers side by side on one stream, sharing the machine’s cores, for ${seconds(e.measuredSecPerTier)}; ` +
        'the tiers shared the CPU, so their figures include that contention' +
        ((e.tierWorkerNiceness ?? 0) > 0 ? ` (tier workers ran at nice ${e.tierWorkerNiceness}, below the broker and the generator, so a tier's own load delays the shared stream less).` : '.');
  const n = summary.repeats.length;
  const runs =
    n <= 1
      ? 'A single run: no spread measured, a second run may differ.'
      : `${n} repeats: the tables pool the events of all ${n}; the spread across repeats is shown below.`;
  // The harness writes 0 when the broker's start time was unknown; no broker is up 0 s after a warm-up.
  const uptime =
    e.services.uptimeSecAtStart > 0
      ? `The Kafka broker had been up ${seconds(e.services.uptimeSecAtStart)} when measurement started.`
      : 'The Kafka broker’s uptime at the start of measurement was not recorded.';
  const client = `The tiers talked to Kafka with the ${e.kafkaClient === 'platformatic' ? '@platformatic/kafka' : 'kafkajs'} client; the generator used kafkajs.`;
  return [execution, runs, client, uptime, warmupText(e.services.warmup)].join(' ');
}

/** The spread section: one row per tier and percentile, and whether the repeats agreed. */
export interface SpreadFacts {
  intro: string;
  header: string[];
  rows: string[][];
  agreement: string;
}

const moved = (s: Spread) => (s.median > 0 ? `±${(((s.max - s.min) / 2 / s.median) * 100).toFixed(0)}%` : '-');

/**
 * Present only with two repeats or more: one run has no spread, and a table of one value as its
 * own median, min and max would look like a measured spread of zero.
 */
export function spreadFacts(summary: RunSummary): SpreadFacts | undefined {
  const n = summary.repeats.length;
  if (n < 2) return undefined;
  // A repeat that measured nothing for a tier is left out of its spread (the repeats column then shows "2 of 3").
  const spreads = tierSpread(summary.repeats);
  const labels: Record<(typeof spreadPercentiles)[number], string> = { p50Micros: 'p50', p99Micros: 'p99', p999Micros: 'p99.9' };
  const rows = tierNames.flatMap((tier) => {
    const spread = spreads[tier];
    if (!spread) return [];
    return spreadPercentiles.map((p) => {
      const s = spread[p];
      return [tier, labels[p], human(s.median), `${human(s.min)} – ${human(s.max)}`, moved(s), s.n === n ? String(n) : `${s.n} of ${n}`];
    });
  });
  const picks = summary.repeats.map((r) => r.recommendation ?? 'none');
  const agreement = picks.every((pick) => pick === picks[0])
    ? `Every repeat recommended the same tier: ${picks[0]}.`
    : `The repeats did not agree on a tier: ${picks.map((pick, i) => `repeat ${i + 1} ${pick}`).join(', ')}.`;
  return {
    intro: 'Each repeat’s p50, p99 and p99.9 as measured (batch on its compressed lab schedule): the median over the repeats and the range they moved in.',
    header: ['tier', 'percentile', 'median', 'min – max', 'moved (± of median)', 'repeats'],
    rows,
    agreement,
  };
}

/**
 * The capacity result is a separate run: where it was measured on another scenario or against
 * another SLA than this page's, the page says so rather than let its rates pass for this run's.
 */
export function capacityNotes(summary: RunSummary, capacity: CapacityResult): string[] {
  const notes = [];
  if (capacity.scenario !== summary.scenario.name) {
    notes.push(`The capacity figures come from scenario ${capacity.scenario}, not ${summary.scenario.name}, the scenario of the rest of this page.`);
  }
  if (capacity.slaP99Micros !== summary.sla.p99Micros) {
    notes.push(`The capacity search used an SLA of ${human(capacity.slaP99Micros)} at p99; the rest of this page uses ${human(summary.sla.p99Micros)}.`);
  }
  return notes;
}
