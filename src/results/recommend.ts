import type { TierName } from '../tiers/types.ts';
import type { RunSummary, TierSummary } from './summary.ts';

/**
 * Simplest first (tierNames' order): on a tie in cost, the tier with fewer moving parts wins.
 * Written out, not imported: this module is served to the live page on its own (src/demo/assets.ts),
 * so it may import types only.
 */
const simplicity: readonly TierName[] = ['batch', 'microbatch', 'streaming'];

/**
 * What counts against the SLA: staleness at read (the age of the oldest unseen event when the
 * results are read); for a run stored before reads were modelled, the per-event latency, under
 * the real schedule where the tier projected one (batch).
 */
function slaFigures(tier: TierSummary): { p99Micros: number; count: number } {
  if (tier.stalenessAtRead) return { p99Micros: tier.stalenessAtRead.p99Micros, count: Math.min(tier.stalenessAtRead.reads, tier.latency.count) };
  return tier.projectedLatency ?? tier.latency;
}

export function slaP99Micros(tier: TierSummary): number {
  return slaFigures(tier).p99Micros;
}

/** How the figure judged against the SLA was had, for the recommendation's words. */
function slaBasis(tier: TierSummary): string {
  if (tier.stalenessAtRead) return `a p99 staleness at read of ${human(tier.stalenessAtRead.p99Micros)} (${tier.stalenessAtRead.basis === 'computed' ? 'computed from its real schedule' : 'measured'})`;
  return `a p99 of ${human(slaP99Micros(tier))}${tier.projectedLatency ? ' under its real schedule (projected)' : ''}`;
}

/**
 * A tier that can stand behind a recommendation: it finished, its answer equals the ground truth,
 * every record is accounted for (accepted + dead letters = produced), and it measured something —
 * an empty histogram is no data, never a p99 of 0 that meets any SLA.
 */
export function qualifies(tier: TierSummary): boolean {
  return tier.state === 'ok' && tier.correct && tier.deadLetters.reconciles && slaFigures(tier).count > 0;
}

/** The assumption that, at half or double its value, reverses which of two tiers costs less; none: undefined. */
export type OrderFlip = (cheaper: TierName, simpler: TierName) => { assumption: string; factor: number } | undefined;

/**
 * The cheapest tier that qualifies and whose p99 meets the SLA — computed from the summary's
 * measured numbers alone, so changing the SLA can change the answer. Costs within the
 * uncertainty of their inputs are a tie (`flips`: moving one assumption to half or double
 * reverses their order), and a tie goes to the simpler tier.
 */
export function recommend(tiers: RunSummary['tiers'], slaMicros: number, flips?: OrderFlip): RunSummary['recommendation'] {
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
        ? `No tier meets the SLA of ${human(slaMicros)} at p99; the fastest, ${fastest.name}, has ${slaBasis(fastest.tier)}.`
        : 'No tier finished correctly, so there is nothing to recommend.',
    };
  }
  const cheapest = [...meeting].sort(
    (a, b) => a.tier.cost.usdPerYear - b.tier.cost.usdPerYear || simplicity.indexOf(a.name) - simplicity.indexOf(b.name),
  )[0]!;
  // The simplest tier whose cost is tied with the cheapest's: some assumption at half or double reverses their order.
  const tie = flips
    ? meeting
        .filter((c) => simplicity.indexOf(c.name) < simplicity.indexOf(cheapest.name))
        .map((c) => ({ candidate: c, flip: flips(cheapest.name, c.name) }))
        .find((t) => t.flip !== undefined)
    : undefined;
  const best = tie?.candidate ?? cheapest;
  const faster = meeting.filter((c) => c.name !== best.name);
  const premium = faster.map((c) => `${c.name} at ${ratio(c.tier.cost.usdPerYear, best.tier.cost.usdPerYear)} the cost`).join(', ');
  return {
    tier: best.name,
    why:
      `${best.name} meets the SLA of ${human(slaMicros)} with ${slaBasis(best.tier)} ` +
      `at $${Math.round(best.tier.cost.usdPerYear).toLocaleString('en-US')}/year` +
      (premium ? `; the other tiers that also meet it: ${premium}.` : '; no other tier meets it.') +
      (tie?.flip
        ? ` ${cheapest.name} costs ${ratio(cheapest.tier.cost.usdPerYear, best.tier.cost.usdPerYear)} as much, within the uncertainty of the inputs ` +
          `(${tie.flip.assumption} at ${tie.flip.factor === 2 ? 'double' : 'half'} its value reverses their order), so the tie goes to the simpler tier.`
        : ''),
  };
}

/** Two decimals below 10x, so a 2% gap reads 1.02x, not 1.0x. */
function ratio(a: number, b: number): string {
  if (b <= 0) return 'n/a';
  const r = a / b;
  return `${r.toFixed(r < 10 ? 2 : 1)}x`;
}

/** µs as a person reads it: 850 µs, 3.2 ms, 2.6 s, 4.1 min, 11.8 h. */
export function human(micros: number): string {
  if (micros < 1_000) return `${Math.round(micros)} µs`;
  if (micros < 1_000_000) return `${(micros / 1_000).toPrecision(3)} ms`;
  if (micros < 60_000_000) return `${(micros / 1_000_000).toPrecision(3)} s`;
  if (micros < 3_600_000_000) return `${(micros / 60_000_000).toPrecision(3)} min`;
  return `${(micros / 3_600_000_000).toPrecision(3)} h`;
}
