import { compareSpreads, spreadPercentiles, tierSpread, type Spread, type SpreadComparison, type SpreadPercentile } from '../metrics/spread.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { human } from '../results/recommend.ts';
import type { RunSummary } from '../results/summary.ts';

/*
 * `tierlab compare RUN_A RUN_B` as data and as text: two stored runs side by side, per tier and
 * percentile, from each run's repeats. Pure, so the table is unit-tested without files.
 */

/** What a reader must know about a run before trusting a ratio against it. */
export interface RunHeader {
  runId: string;
  scenario: string;
  execution: string;
  repeats: number;
  cpus: number;
  servicesMode: string;
  /** Tiers whose figures should not be read as latency: errored, or a wrong result. */
  warnings: string[];
}

export interface CompareRow {
  tier: TierName;
  percentile: SpreadPercentile;
  /** Absent when that run did not measure the tier. */
  a?: Spread;
  b?: Spread;
  /** Present when both runs measured it. */
  comparison?: SpreadComparison;
}

export interface RunComparison {
  a: RunHeader;
  b: RunHeader;
  /** Conditions that differ between the runs, so a ratio measures them too, e.g. "cpus 8 / 2". */
  differences: string[];
  rows: CompareRow[];
}

const percentileLabels: Record<SpreadPercentile, string> = { p50Micros: 'p50', p99Micros: 'p99', p999Micros: 'p99.9' };

export function compareRuns(a: RunSummary, b: RunSummary): RunComparison {
  const spreadsA = tierSpread(a.repeats);
  const spreadsB = tierSpread(b.repeats);
  const present = tierNames.filter((tier) => a.tiers[tier] || b.tiers[tier] || spreadsA[tier] || spreadsB[tier]);
  const rows = present.flatMap((tier) =>
    spreadPercentiles.map((percentile): CompareRow => {
      const inA = spreadsA[tier]?.[percentile];
      const inB = spreadsB[tier]?.[percentile];
      return {
        tier,
        percentile,
        ...(inA ? { a: inA } : {}),
        ...(inB ? { b: inB } : {}),
        ...(inA && inB ? { comparison: compareSpreads(inA, inB) } : {}),
      };
    }),
  );
  return { a: headerOf(a), b: headerOf(b), differences: differencesBetween(a, b), rows };
}

function headerOf(run: RunSummary): RunHeader {
  const warnings = tierNames.flatMap((tier) => {
    const summary = run.tiers[tier];
    if (!summary) return [];
    if (summary.state === 'errored') return [`${tier} errored${summary.error ? `: ${summary.error}` : ''}`];
    if (!summary.correct) return [`${tier} finished with a result that differs from the ground truth`];
    return [];
  });
  return {
    runId: run.runId,
    scenario: run.scenario.name,
    execution: run.environment.execution,
    repeats: run.repeats.length,
    cpus: run.environment.cpus,
    servicesMode: run.environment.servicesMode,
    warnings,
  };
}

/** Conditions that change latency by themselves; a ratio across them is not the tier's alone. */
function differencesBetween(a: RunSummary, b: RunSummary): string[] {
  const conditions: Array<[string, string | number | boolean, string | number | boolean]> = [
    ['scenario', a.scenario.name, b.scenario.name],
    ['quick', a.scenario.quick, b.scenario.quick],
    ['execution', a.environment.execution, b.environment.execution],
    ['cpus', a.environment.cpus, b.environment.cpus],
    ['services', a.environment.servicesMode, b.environment.servicesMode],
    ['events/s', a.events.ratePerSec, b.events.ratePerSec],
  ];
  return conditions.filter(([, inA, inB]) => inA !== inB).map(([name, inA, inB]) => `${name} ${inA} / ${inB}`);
}

/** The comparison as lines of text: the two run headers, then an aligned table. */
export function renderCompare(comparison: RunComparison): string[] {
  const lines = [headerLine('A', comparison.a), ...warningLines(comparison.a), headerLine('B', comparison.b), ...warningLines(comparison.b)];
  if (comparison.differences.length > 0) {
    lines.push(`note: the runs differ in ${comparison.differences.join(', ')}; the ratios measure that too`);
  }
  lines.push('');
  const table = [
    ['tier', 'pct', 'A', 'B', 'B/A', 'verdict'],
    ...comparison.rows.map((row) => [
      row.tier,
      percentileLabels[row.percentile],
      row.a ? spreadText(row.a) : '—',
      row.b ? spreadText(row.b) : '—',
      row.comparison ? ratioText(row.comparison.ratio) : '—',
      row.comparison?.verdict ?? missingText(row),
    ]),
  ];
  lines.push(...alignColumns(table));
  lines.push('');
  lines.push('B/A above 1 means B is slower. A difference is called real only when both runs have');
  lines.push('two or more repeats (--repeat N) and their min-max ranges do not overlap.');
  return lines;
}

function headerLine(label: 'A' | 'B', run: RunHeader): string {
  const repeats =
    run.repeats === 1 ? '1 repeat (a single run: no spread)' : `${run.repeats} repeats (median, min-max)`;
  return (
    `${label}: ${run.runId}  scenario ${run.scenario}, ${run.execution} execution, ${repeats}, ` +
    `${run.cpus} cpus, ${run.servicesMode} services`
  );
}

function warningLines(run: RunHeader): string[] {
  return run.warnings.map((warning) => `   warning: ${warning}`);
}

/** A single run shows its value; repeats show the median and the range it comes from. */
function spreadText(spread: Spread): string {
  return spread.n < 2 ? human(spread.median) : `${human(spread.median)} (${human(spread.min)}–${human(spread.max)})`;
}

/** A tier one run measured and the other did not, or that neither has figures for (errored in every repeat). */
function missingText(row: CompareRow): string {
  if (row.a) return 'only in A';
  if (row.b) return 'only in B';
  return 'not measured';
}

function ratioText(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a';
}

/** Pads every column to its widest cell; the last column is left unpadded. */
function alignColumns(table: string[][]): string[] {
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd(),
  );
}
