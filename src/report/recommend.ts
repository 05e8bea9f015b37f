import type { TierName } from '../tiers/types.ts';
import type { RunSummary, TierSummary } from './summary.ts';

/** Simplest first: on a tie in cost, the tier with fewer moving parts wins. */
const simplicity: TierName[] = ['batch', 'microbatch', 'streaming'];

/** The latency that counts against the SLA: under the real schedule where the tier projected one (batch), else as measured. */
function slaLatency(tier: TierSummary) {
  return tier.projectedLatency ?? tier.latency;
}

export function slaP99Micros(tier: TierSummary): number {
  return slaLatency(tier).p99Micros;
}

/**
 * A tier that can stand behind a recommendation: it finished, its answer equals the ground truth,
 * every record is accounted for (accepted + dead letters = produced), and it measured something —
 * an empty histogram is no data, never a p99 of 0 that meets any SLA.
 */
export function qualifies(tier: TierSummary): boolean {
  return tier.state === 'ok' && tier.correct && tier.deadLetters.reconciles && slaLatency(tier).count > 0;
}

/**
 * The cheapest tier that qualifies and whose p99 meets the SLA — computed from the summary's
 * measured numbers alone, so changing the SLA can change the answer.
 */
export function recommend(tiers: RunSummary['tiers'], slaMicros: number): RunSummary['recommendation'] {
  const candidates = simplicity.flatMap((name) => {
    const tier = tiers[name];
    return tier && qualifies(tier) ? [{ name, tier, p99: slaP99Micros(tier) }] : [];
  });
  const meeting = candidates.filter((c) => c.p99 <= slaMicros);
  if (meeting.length === 0) {
    const fastest = [...candidates].sort((a, b) => a.p99 - b.p99)[0];
    return {
      tier: null,
      why: fastest
        ? `No tier meets the SLA of ${human(slaMicros)} at p99; the fastest, ${fastest.name}, measured ${human(fastest.p99)}.`
        : 'No tier finished correctly, so there is nothing to recommend.',
    };
  }
  const best = [...meeting].sort(
    (a, b) => a.tier.cost.usdPerYear - b.tier.cost.usdPerYear || simplicity.indexOf(a.name) - simplicity.indexOf(b.name),
  )[0]!;
  const faster = meeting.filter((c) => c.name !== best.name);
  const premium = faster.map((c) => `${c.name} at ${ratio(c.tier.cost.usdPerYear, best.tier.cost.usdPerYear)} the cost`).join(', ');
  const projected = best.tier.projectedLatency ? ' under its real schedule (projected)' : '';
  return {
    tier: best.name,
    why:
      `${best.name} meets the SLA of ${human(slaMicros)} with a p99 of ${human(best.p99)}${projected} ` +
      `at $${Math.round(best.tier.cost.usdPerYear).toLocaleString('en-US')}/year` +
      (premium ? `; the other tiers that also meet it: ${premium}.` : '; no other tier meets it.'),
  };
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a';
}

/** µs as a person reads it: 850 µs, 3.2 ms, 2.6 s, 4.1 min, 11.8 h. */
export function human(micros: number): string {
  if (micros < 1_000) return `${Math.round(micros)} µs`;
  if (micros < 1_000_000) return `${(micros / 1_000).toPrecision(3)} ms`;
  if (micros < 60_000_000) return `${(micros / 1_000_000).toPrecision(3)} s`;
  if (micros < 3_600_000_000) return `${(micros / 60_000_000).toPrecision(3)} min`;
  return `${(micros / 3_600_000_000).toPrecision(3)} h`;
}
