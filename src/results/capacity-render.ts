import { human } from './recommend.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import type { CapacityResult, CapacityStep, TierCapacity } from './capacity.ts';

export const perSec = (rate: number) => `${Math.round(rate).toLocaleString('en-US')}/s`;

/** The step table's columns, shared by the terminal, the HTML page and the Markdown. */
export const stepHeader = ['offered/s', 'achieved/s', 'p99', 'SLA met', 'fell behind', 'why'];

export function stepCells(step: CapacityStep): string[] {
  return [
    Math.round(step.offeredPerSec).toLocaleString('en-US'),
    Math.round(step.achievedPerSec).toLocaleString('en-US'),
    step.count > 0 ? human(step.p99Micros) : 'no data',
    step.metSla ? 'yes' : 'no',
    step.fellBehind ? 'yes' : 'no',
    step.reason ?? '',
  ];
}

export function maxRateText(tier: TierCapacity): string {
  return tier.maxRatePerSec === null ? 'none: no step met the SLA without falling behind' : perSec(tier.maxRatePerSec);
}

/** The measured tiers in the usual order (batch, micro-batch, streaming). */
export function measuredTiers(result: CapacityResult): Array<[TierName, TierCapacity]> {
  return tierNames.flatMap((name) => {
    const tier = result.tiers[name];
    return tier ? [[name, tier] as [TierName, TierCapacity]] : [];
  });
}

/** The terminal table of `tierlab capacity`: per tier, every step, then the highest rate meeting the SLA. */
export function renderCapacityTable(result: CapacityResult): string {
  const lines = [
    `capacity of ${result.scenario}${result.quick ? ' (quick)' : ''}: SLA ${human(result.slaP99Micros)} at p99, steps of ${result.stepSec} s, run ${result.runId}`,
  ];
  for (const [name, tier] of measuredTiers(result)) {
    lines.push('', name);
    lines.push(...columns([stepHeader, ...tier.steps.map(stepCells)], [true, true, true, false, false, false]).map((l) => `  ${l}`));
    lines.push(`  highest rate meeting the SLA: ${maxRateText(tier)}`);
    lines.push(`  search ended: ${tier.stoppedBecause}`);
  }
  return lines.join('\n');
}

/** Aligns cells into columns; numbers right-aligned so their magnitudes line up. */
function columns(rows: string[][], rightAligned: boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}
