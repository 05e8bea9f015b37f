// Comparing one run's spreads with the stored baseline: pure functions, no IO, no clock.
import type { Baseline, BenchSpread, BenchUnit, Machine, RoundSpread } from './baseline.ts';

/**
 * Where this run stands against the baseline. 'regressed' and 'improved' only when the two ranges
 * of round medians do not overlap (touching ranges overlap): a difference inside either run's
 * spread is as likely noise as change on a shared machine. The rule of `--repeat` in
 * docs/measurement.md ("Execution, spread and repeats"), with the better direction set by the unit.
 */
export type Standing = 'regressed' | 'improved' | 'within spread';

/** One benchmark's standing against the baseline, keyed on `state`. */
export type ComparisonRow =
  | {
      state: 'compared';
      name: string;
      unit: BenchUnit;
      current: RoundSpread;
      baseline: RoundSpread;
      /** current median / baseline median. */
      ratio: number;
      standing: Standing;
    }
  /** Not in the baseline, or measured there in another unit: reported, never a failure. */
  | { state: 'new'; name: string; unit: BenchUnit; current: RoundSpread }
  /** In the baseline but not measured in this run. */
  | { state: 'missing'; name: string; unit: BenchUnit; baseline: RoundSpread };

export interface Comparison {
  rows: ComparisonRow[];
  verdict: { passed: boolean; regressed: string[] };
}

export function higherIsBetter(unit: BenchUnit): boolean {
  return unit === 'events/s';
}

/**
 * events/s regressed when this run's highest round is below the baseline's lowest; µs when this
 * run's lowest round is above the baseline's highest. Improved is the mirror image.
 */
export function standingOf(unit: BenchUnit, current: RoundSpread, baseline: RoundSpread): Standing {
  const below = current.high < baseline.low;
  const above = current.low > baseline.high;
  if (higherIsBetter(unit)) return below ? 'regressed' : above ? 'improved' : 'within spread';
  return above ? 'regressed' : below ? 'improved' : 'within spread';
}

/**
 * Each current spread against its baseline entry: rows in the order of `current`, then the
 * baseline's benchmarks this run did not measure. The run fails when any benchmark regressed.
 */
export function compareWithBaseline(current: readonly BenchSpread[], baseline: Baseline | undefined): Comparison {
  const stored = baseline?.benchmarks ?? {};
  const rows: ComparisonRow[] = current.map(({ name, unit, median, low, high }): ComparisonRow => {
    const now = { median, low, high };
    const entry = Object.hasOwn(stored, name) ? stored[name] : undefined;
    if (entry === undefined || entry.unit !== unit) return { state: 'new', name, unit, current: now };
    const then = { median: entry.median, low: entry.low, high: entry.high };
    return { state: 'compared', name, unit, current: now, baseline: then, ratio: median / entry.median, standing: standingOf(unit, now, then) };
  });
  const measured = new Set(current.map((spread) => spread.name));
  for (const [name, { unit, median, low, high }] of Object.entries(stored)) {
    if (!measured.has(name)) rows.push({ state: 'missing', name, unit, baseline: { median, low, high } });
  }
  const regressed = rows.filter((row) => row.state === 'compared' && row.standing === 'regressed').map((row) => row.name);
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

/**
 * A line when the baseline has a single round: its low and high are its median, so this run's
 * rounds are judged against one sample, which is stricter than the rule means. None otherwise.
 */
export function baselineRoundsNote(baseline: Baseline): string[] {
  if (baseline.rounds >= 2) return [];
  return ['the baseline has 1 round, so no spread of its own: re-record it on a quiet machine with `npm run bench -- --update-baseline`'];
}

/** The comparison as terminal lines: one per benchmark, then the verdict. */
export function formatComparison(comparison: Comparison): string[] {
  const currentOf = (row: ComparisonRow) => (row.state === 'missing' ? '-' : formatSpread(row.current, row.unit));
  const nameWidth = Math.max(0, ...comparison.rows.map((row) => row.name.length));
  const currentWidth = Math.max(0, ...comparison.rows.map((row) => currentOf(row).length));
  const lines = comparison.rows.map((row) => {
    const name = row.name.padEnd(nameWidth);
    const current = currentOf(row).padStart(currentWidth);
    switch (row.state) {
      case 'new':
        return `  ${name}  ${current}  new: not in the baseline`;
      case 'missing':
        return `  ${name}  ${current}  not measured in this run (baseline ${formatMedian(row.baseline.median, row.unit)})`;
      case 'compared': {
        const direction = higherIsBetter(row.unit) ? 'higher is better' : 'lower is better';
        const standing = {
          regressed: 'REGRESSED: the ranges do not overlap',
          improved: 'improved: the ranges do not overlap',
          'within spread': 'ok: within the spread',
        }[row.standing];
        return `  ${name}  ${current} / ${formatSpread(row.baseline, row.unit)} = ${row.ratio.toFixed(2)} (${direction})  ${standing}`;
      }
    }
  });
  const { passed, regressed } = comparison.verdict;
  lines.push(
    passed
      ? 'passed: no benchmark regressed beyond both runs\' spread'
      : `FAILED: ${regressed.length} benchmark${regressed.length === 1 ? '' : 's'} regressed beyond both runs' spread: ${regressed.join(', ')}`,
  );
  return lines;
}

/** `800 events/s (700–900)`: the median with its unit, then the lowest and highest round median. */
export function formatSpread(spread: RoundSpread, unit: BenchUnit): string {
  return `${formatMedian(spread.median, unit)} (${formatNumber(spread.low, unit)}–${formatNumber(spread.high, unit)})`;
}

export function formatMedian(value: number, unit: BenchUnit): string {
  return `${formatNumber(value, unit)} ${unit}`;
}

function formatNumber(value: number, unit: BenchUnit): string {
  const digits = unit === 'µs' ? 1 : 0;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
