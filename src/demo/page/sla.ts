import { recommend, slaP99Micros, qualifies } from '../../results/recommend.ts';
import type { RunSummary } from '../../results/summary.ts';
import type { DemoFinal, LaneTick } from '../types.ts';
import { flipFrom } from './flips.ts';

/**
 * The SLA control: a slider over a log scale from 1 ms to 7 days, because the answers a buyer
 * gives ("real-time", "a minute", "tomorrow morning") are orders of magnitude apart.
 */
export const slaRange = { minMicros: 1_000, maxMicros: 7 * 86_400_000_000, steps: 1_000 };

export function sliderToMicros(position: number): number {
  const span = Math.log(slaRange.maxMicros / slaRange.minMicros);
  const clamped = Math.min(slaRange.steps, Math.max(0, position));
  return Math.round(slaRange.minMicros * Math.exp((clamped / slaRange.steps) * span));
}

export function microsToSlider(micros: number): number {
  const span = Math.log(slaRange.maxMicros / slaRange.minMicros);
  const position = Math.round((Math.log(Math.max(slaRange.minMicros, micros) / slaRange.minMicros) / span) * slaRange.steps);
  return Math.min(slaRange.steps, Math.max(0, position));
}

/** Whether a lane meets the SLA: from the run's final figures once there are any, else from the live rolling p99. */
export type Verdict = { meets: boolean; basis: 'final' | 'so far' } | undefined;

export function laneVerdict(slaMicros: number, lane: LaneTick | undefined, tier: RunSummary['tiers'][keyof RunSummary['tiers']] | undefined): Verdict {
  if (tier) return { meets: qualifies(tier) && slaP99Micros(tier) <= slaMicros, basis: 'final' };
  if (lane?.p99Micros === undefined) return undefined;
  return { meets: lane.p99Micros <= slaMicros, basis: 'so far' };
}

/** recommend() itself, with the run's tie rule: what the report would say at this SLA. */
export function recommendationAt(final: DemoFinal, slaMicros: number): RunSummary['recommendation'] {
  return recommend(final.tiers, slaMicros, flipFrom(final.flips));
}
