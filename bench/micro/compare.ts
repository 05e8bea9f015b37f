// Comparing one run's medians with the stored baseline: pure functions, no IO, no clock.
import type { Baseline, BenchMedian, BenchUnit, Machine } from './baseline.ts';

/** One benchmark's standing against the baseline, keyed on `state`. */
export type ComparisonRow =
  | {
      state: 'compared';
      name: string;
      unit: BenchUnit;
      current: number;
      baseline: number;
      /** current / baseline. */
      ratio: number;
      /** How many times worse than the baseline (below 1: better); the same reading for either unit. */
      slowdown: number;
      regressed: boolean;
    }
  /** Not in the baseline, or measured there in another unit: reported, never a failure. */
  | { state: 'new'; name: string; unit: BenchUnit; current: number }
  /** In the baseline but not measured in this run. */
  | { state: 'missing'; name: string; unit: BenchUnit; baseline: number };

export interface Comparison {
  rows: ComparisonRow[];
  verdict: { passed: boolean; regressed: string[] };
}

export function higherIsBetter(unit: BenchUnit): boolean {
  return unit === 'events/s';
}

/**
 * Each current median against its baseline entry: rows in the order of `current`, then the
 * baseline's benchmarks this run did not measure. The run fails when any benchmark is more than
 * `maxSlowdown` times worse (events/s below baseline / maxSlowdown, µs above baseline × maxSlowdown).
 */
export function compareWithBaseline(
  current: readonly BenchMedian[],
  baseline: Baseline | undefined,
  options: { maxSlowdown: number },
): Comparison {
  const stored = baseline?.benchmarks ?? {};
  const rows: ComparisonRow[] = current.map(({ name, unit, median }): ComparisonRow => {
    const entry = Object.hasOwn(stored, name) ? stored[name] : undefined;
    if (entry === undefined || entry.unit !== unit) return { state: 'new', name, unit, current: median };
    const ratio = median / entry.median;
    const slowdown = higherIsBetter(unit) ? entry.median / median : ratio;
    return { state: 'compared', name, unit, current: median, baseline: entry.median, ratio, slowdown, regressed: slowdown > options.maxSlowdown };
  });
  const measured = new Set(current.map((median) => median.name));
  for (const [name, entry] of Object.entries(stored)) {
    if (!measured.has(name)) rows.push({ state: 'missing', name, unit: entry.unit, baseline: entry.median });
  }
  const regressed = rows.filter((row) => row.state === 'compared' && row.regressed).map((row) => row.name);
  return { rows, verdict: { passed: regressed.length === 0, regressed } };
}

/**
 * One line when this machine is not the baseline's (CPU model or count), since the ratios are
 * then indicative only; one more when Node differs. None when they match.
 */
export function machineNotes(current: Machine, baseline: Machine): string[] {
  const notes: string[] = [];
  if (current.cpuModel !== baseline.cpuModel || current.cpus !== baseline.cpus) {
    notes.push(
      `machine differs from the baseline's (${describeCpu(current)} here, ${describeCpu(baseline)} there): the ratios are indicative`,
    );
  }
  if (current.node !== baseline.node) notes.push(`node differs from the baseline's (${current.node} here, ${baseline.node} there)`);
  return notes;
}

function describeCpu(machine: Machine): string {
  return `${machine.cpus} × ${machine.cpuModel}`;
}

/** The comparison as terminal lines: one per benchmark, then the verdict. */
export function formatComparison(comparison: Comparison, maxSlowdown: number): string[] {
  const currentOf = (row: ComparisonRow) => (row.state === 'missing' ? '-' : formatMedian(row.current, row.unit));
  const nameWidth = Math.max(0, ...comparison.rows.map((row) => row.name.length));
  const currentWidth = Math.max(0, ...comparison.rows.map((row) => currentOf(row).length));
  const lines = comparison.rows.map((row) => {
    const name = row.name.padEnd(nameWidth);
    const current = currentOf(row).padStart(currentWidth);
    switch (row.state) {
      case 'new':
        return `  ${name}  ${current}  new: not in the baseline`;
      case 'missing':
        return `  ${name}  ${current}  not measured in this run (baseline ${formatMedian(row.baseline, row.unit)})`;
      case 'compared': {
        const direction = higherIsBetter(row.unit) ? 'higher is better' : 'lower is better';
        const standing = row.regressed
          ? `WORSE: ${row.slowdown.toFixed(2)}x the baseline's (limit ${maxSlowdown}x)`
          : row.slowdown > 1
            ? `ok (${row.slowdown.toFixed(2)}x worse)`
            : 'ok';
        return (
          `  ${name}  ${current} / ${formatMedian(row.baseline, row.unit)}` +
          ` = ${row.ratio.toFixed(2)} (${direction})  ${standing}`
        );
      }
    }
  });
  const { passed, regressed } = comparison.verdict;
  lines.push(
    passed
      ? `passed: no benchmark is more than ${maxSlowdown}x worse than the baseline`
      : `FAILED: ${regressed.length} benchmark${regressed.length === 1 ? ' is' : 's are'} more than ${maxSlowdown}x worse than the baseline: ${regressed.join(', ')}`,
  );
  return lines;
}

export function formatMedian(value: number, unit: BenchUnit): string {
  const digits = unit === 'µs' ? 1 : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}
