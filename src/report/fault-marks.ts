import { human } from '../results/recommend.ts';
import { line, palette, text, type Frame } from './svg.ts';
import type { FaultSummary, RunSummary } from '../results/summary.ts';

/**
 * Faults on the latency chart. summary.json keeps no time series (only each tier's latency
 * distribution), so no chart has a time axis to put a fault's moment on; what a fault did to the
 * tier is its recovery time (from the fault to the first result visible after it), a duration on
 * the same axis as latency. Each fault is drawn there: a dotted line in its tier's colour at its
 * recovery time, labelled, so the page shows where recovery sits among the tier's percentiles
 * (the events held back by the outage are the tail). A fault with no visible result after it, or
 * on a tier the chart does not plot, gets a line of text instead: it has no height to draw.
 */

/** Labels closer than this (px) are pushed apart, so two faults with similar recoveries both read. */
const labelGapPx = 13;
/** A white outline under each label's letters, so it reads where it crosses a tier's line. */
const halo = 'stroke="#fff" stroke-width="3" paint-order="stroke"';

export function faultLabel(fault: FaultSummary): string {
  return fault.recoveryMicros === null ? `${fault.spec}: no result visible after it` : `${fault.spec}: recovered in ${human(fault.recoveryMicros)}`;
}

/** The recovery times the chart must have room for: its y-axis spans these too. */
export function faultRecoveries(summary: RunSummary, plotted: ReadonlySet<string>): number[] {
  return (summary.faults ?? []).flatMap((fault) =>
    fault.recoveryMicros !== null && fault.recoveryMicros > 0 && plotted.has(fault.tier) ? [fault.recoveryMicros] : [],
  );
}

/**
 * The marks for every fault: `y` maps µs to the chart's pixel row (log scale); `plotted` names the
 * tiers that have a line. Drawn lines first, then the notes for the faults that have none,
 * stacked under the legend.
 */
export function faultMarks(summary: RunSummary, f: Frame, y: (micros: number) => number, plotted: ReadonlySet<string>): string[] {
  const faults = summary.faults ?? [];
  const drawn = faults.filter((fault) => fault.recoveryMicros !== null && fault.recoveryMicros > 0 && plotted.has(fault.tier));
  const marks: string[] = [];
  // Labels from the top down, each at least labelGapPx under the one before.
  const rows = drawn.map((fault) => ({ fault, at: y(fault.recoveryMicros!) })).sort((a, b) => a.at - b.at);
  let lastLabel = Number.NEGATIVE_INFINITY;
  for (const { fault, at } of rows) {
    const colour = palette[fault.tier] ?? palette.text!;
    // Above its line; if the label before is in the way, under the line (never across it).
    const labelY = at - 4 >= lastLabel + labelGapPx ? at - 4 : Math.max(at + 12, lastLabel + labelGapPx);
    lastLabel = labelY;
    marks.push(line(f.left, at, f.width - f.right, at, colour, `stroke-width="1.5" stroke-dasharray="2,3" class="fault" data-tier="${fault.tier}"`));
    // Right-aligned, where the percentile lines usually end (their highest percentile is short of the edge).
    marks.push(text(f.width - f.right - 4, labelY, `⚡ ${faultLabel(fault)}`, `fill="${colour}" text-anchor="end" ${halo} class="fault-label"`));
  }
  const undrawn = faults.filter((fault) => !drawn.includes(fault));
  undrawn.forEach((fault, i) => {
    const why = plotted.has(fault.tier) ? faultLabel(fault) : `${faultLabel(fault)} (${fault.tier} has no latency line)`;
    marks.push(text(f.left + 6, f.top + 14 + i * labelGapPx, `⚡ ${why}`, `fill="${palette[fault.tier] ?? palette.text!}" ${halo} class="fault-label"`));
  });
  return marks;
}

/** The sentence the chart's caption adds when the run had faults. */
export function faultCaption(summary: RunSummary): string {
  if (!summary.faults?.length) return '';
  return ' Each ⚡ dotted line is a fault injected during the run, at its recovery time: from the fault to the first result visible after it, in its tier’s colour.';
}
