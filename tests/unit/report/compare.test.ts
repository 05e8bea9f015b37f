import { describe, expect, it } from 'vitest';
import { compareRuns, renderCompare } from '../../../src/report/compare.ts';
import type { RepeatSummary } from '../../../src/results/summary.ts';
import { makeRunSummary } from './summary-builder.ts';

const ms = 1_000;

type Figures = [p50Ms: number, p99Ms: number, p999Ms: number];

/** One repeat measuring the tiers given, at p50 / p99 / p99.9 in ms. */
function repeat(streaming: Figures, microbatch: Figures, batch?: Figures): RepeatSummary {
  const figures = ([p50, p99, p999]: Figures) => ({ count: 1_000, p50Micros: p50 * ms, p99Micros: p99 * ms, p999Micros: p999 * ms });
  return {
    recommendation: 'streaming',
    tiers: { streaming: figures(streaming), microbatch: figures(microbatch), ...(batch ? { batch: figures(batch) } : {}) },
  };
}

const before = makeRunSummary({
  runId: '20261124-150355-demo-aaaa',
  repeats: [
    repeat([3, 80, 120], [3_000, 5_400, 5_900], [12_000, 21_000, 22_000]),
    repeat([3.4, 90, 150], [3_100, 5_500, 6_000], [12_500, 20_000, 21_500]),
    repeat([3.2, 85, 140], [2_900, 5_300, 5_800], [11_800, 21_500, 23_000]),
  ],
});
// B measured no batch tier at all.
const { batch: _notMeasuredInB, ...bothTiers } = before.tiers;
const after = makeRunSummary({
  runId: '20261125-090000-demo-bbbb',
  tiers: bothTiers,
  repeats: [repeat([6, 170, 250], [3_050, 5_450, 6_100]), repeat([6.4, 160, 260], [3_000, 5_350, 5_950]), repeat([6.2, 180, 240], [3_200, 5_600, 6_050])],
});

describe('compareRuns', () => {
  it('compares each tier and percentile by the spread of its repeats', () => {
    const rows = compareRuns(before, after).rows;
    const streamingP99 = rows.find((row) => row.tier === 'streaming' && row.percentile === 'p99Micros');
    expect(streamingP99).toEqual({
      tier: 'streaming',
      percentile: 'p99Micros',
      a: { median: 85_000, min: 80_000, max: 90_000, n: 3 },
      b: { median: 170_000, min: 160_000, max: 180_000, n: 3 },
      comparison: { ratio: 2, verdict: 'slower' },
    });
    const microbatchP50 = rows.find((row) => row.tier === 'microbatch' && row.percentile === 'p50Micros');
    expect(microbatchP50?.comparison).toEqual({ ratio: 3_050 / 3_000, verdict: 'within spread' });
  });

  it('keeps a tier only one run has, with nothing to compare it with', () => {
    const batchRows = compareRuns(before, after).rows.filter((row) => row.tier === 'batch');
    expect(batchRows.map((row) => [row.percentile, row.a?.median, row.b, row.comparison])).toEqual([
      ['p50Micros', 12_000_000, undefined, undefined],
      ['p99Micros', 21_000_000, undefined, undefined],
      ['p999Micros', 22_000_000, undefined, undefined],
    ]);
  });

  it('cannot tell a difference against a single run', () => {
    const single = makeRunSummary({ runId: '20261126-120000-demo-cccc' });
    const verdicts = compareRuns(before, single).rows.map((row) => row.comparison?.verdict);
    expect(verdicts).toEqual(Array(9).fill('cannot tell'));
  });

  it('names the conditions that differ between the runs, and tiers whose figures are not to be trusted', () => {
    const elsewhere = makeRunSummary({
      environment: { ...before.environment, cpus: 2, execution: 'together' },
      tiers: { ...before.tiers, streaming: { ...before.tiers.streaming!, state: 'errored', error: 'worker died', correct: false } },
    });
    const comparison = compareRuns(before, elsewhere);
    expect(comparison.differences).toEqual(['execution isolated / together', 'cpus 8 / 2']);
    expect(comparison.b.warnings).toEqual(['streaming errored: worker died']);
  });
});

describe('renderCompare', () => {
  it('prints the run headers and one aligned row per tier and percentile', () => {
    expect(renderCompare(compareRuns(before, after))).toEqual([
      'A: 20261124-150355-demo-aaaa  scenario demo, isolated execution, 3 repeats (median, min-max), 8 cpus, native services',
      'B: 20261125-090000-demo-bbbb  scenario demo, isolated execution, 3 repeats (median, min-max), 8 cpus, native services',
      '',
      'tier        pct    A                          B                          B/A    verdict',
      'batch       p50    12.0 s (11.8 s–12.5 s)     —                          —      only in A',
      'batch       p99    21.0 s (20.0 s–21.5 s)     —                          —      only in A',
      'batch       p99.9  22.0 s (21.5 s–23.0 s)     —                          —      only in A',
      'microbatch  p50    3.00 s (2.90 s–3.10 s)     3.05 s (3.00 s–3.20 s)     1.02x  within spread',
      'microbatch  p99    5.40 s (5.30 s–5.50 s)     5.45 s (5.35 s–5.60 s)     1.01x  within spread',
      'microbatch  p99.9  5.90 s (5.80 s–6.00 s)     6.05 s (5.95 s–6.10 s)     1.03x  within spread',
      'streaming   p50    3.20 ms (3.00 ms–3.40 ms)  6.20 ms (6.00 ms–6.40 ms)  1.94x  slower',
      'streaming   p99    85.0 ms (80.0 ms–90.0 ms)  170 ms (160 ms–180 ms)     2.00x  slower',
      'streaming   p99.9  140 ms (120 ms–150 ms)     250 ms (240 ms–260 ms)     1.79x  slower',
      '',
      'B/A above 1 means B is slower. A difference is called real only when both runs have',
      'two or more repeats (--repeat N) and their min-max ranges do not overlap.',
    ]);
  });

  it('says in the header when a run is a single run, and gives no verdict against it', () => {
    const lines = renderCompare(compareRuns(makeRunSummary(), before));
    expect(lines[0]).toBe(
      'A: 20261124-150355-demo-c02b  scenario demo, isolated execution, 1 repeat (a single run: no spread), 8 cpus, native services',
    );
    expect(lines).toContain('streaming   p99    85.0 ms  85.0 ms (80.0 ms–90.0 ms)  1.00x  cannot tell');
  });

  it('warns about a tier that errored, and shows a tier no repeat measured as not measured', () => {
    const errored = makeRunSummary({
      runId: '20261126-120000-demo-dddd',
      tiers: { ...before.tiers, batch: { ...before.tiers.batch!, state: 'errored', error: 'S3 outage', correct: false } },
      repeats: [repeat([3, 80, 120], [3_000, 5_400, 5_900])],
    });
    const lines = renderCompare(compareRuns(errored, errored));
    expect(lines.slice(0, 2)).toEqual([
      'A: 20261126-120000-demo-dddd  scenario demo, isolated execution, 1 repeat (a single run: no spread), 8 cpus, native services',
      '   warning: batch errored: S3 outage',
    ]);
    expect(lines).toContain('batch       p50    —        —        —      not measured');
  });
});
