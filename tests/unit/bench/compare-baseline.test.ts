import { describe, expect, it } from 'vitest';
import { baselineFrom, parseBaseline, type Baseline, type BenchMedian, type Machine } from '../../../bench/micro/baseline.ts';
import { compareWithBaseline, formatComparison, machineNotes } from '../../../bench/micro/compare.ts';
import { isTierlabError } from '../../../src/errors.ts';

const machine: Machine = { cpus: 2, cpuModel: 'Intel Xeon', node: 'v24.21.0' };

function baselineOf(benchmarks: Baseline['benchmarks'], maxSlowdown = 1.5): Baseline {
  return { maxSlowdown, recordedAt: '2026-01-05T00:00:00.000Z', machine, benchmarks };
}

describe('compareWithBaseline', () => {
  it('reads events/s as higher-is-better: ratio current/baseline, slowdown baseline/current', () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1200 }, b: { unit: 'events/s', median: 1000 } });
    const current: BenchMedian[] = [
      { name: 'a', unit: 'events/s', median: 800 }, // exactly 1.5x slower: at the limit, not past it
      { name: 'b', unit: 'events/s', median: 400 }, // 2.5x slower
    ];
    expect(compareWithBaseline(current, baseline, { maxSlowdown: 1.5 })).toEqual({
      rows: [
        { state: 'compared', name: 'a', unit: 'events/s', current: 800, baseline: 1200, ratio: 800 / 1200, slowdown: 1.5, regressed: false },
        { state: 'compared', name: 'b', unit: 'events/s', current: 400, baseline: 1000, ratio: 0.4, slowdown: 2.5, regressed: true },
      ],
      verdict: { passed: false, regressed: ['b'] },
    });
  });

  it('reads µs as lower-is-better: the slowdown is the ratio itself', () => {
    const baseline = baselineOf({ fast: { unit: 'µs', median: 40 }, slow: { unit: 'µs', median: 40 } });
    const current: BenchMedian[] = [
      { name: 'fast', unit: 'µs', median: 60 },
      { name: 'slow', unit: 'µs', median: 61 },
    ];
    const { rows, verdict } = compareWithBaseline(current, baseline, { maxSlowdown: 1.5 });
    expect(rows).toEqual([
      { state: 'compared', name: 'fast', unit: 'µs', current: 60, baseline: 40, ratio: 1.5, slowdown: 1.5, regressed: false },
      { state: 'compared', name: 'slow', unit: 'µs', current: 61, baseline: 40, ratio: 1.525, slowdown: 1.525, regressed: true },
    ]);
    expect(verdict).toEqual({ passed: false, regressed: ['slow'] });
  });

  it('passes a faster run, with a slowdown below 1', () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1000 } });
    expect(compareWithBaseline([{ name: 'a', unit: 'events/s', median: 2000 }], baseline, { maxSlowdown: 1.5 })).toEqual({
      rows: [{ state: 'compared', name: 'a', unit: 'events/s', current: 2000, baseline: 1000, ratio: 2, slowdown: 0.5, regressed: false }],
      verdict: { passed: true, regressed: [] },
    });
  });

  it('takes the limit from its options', () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1000 } });
    const current: BenchMedian[] = [{ name: 'a', unit: 'events/s', median: 800 }]; // 1.25x slower
    expect(compareWithBaseline(current, baseline, { maxSlowdown: 1.5 }).verdict.passed).toBe(true);
    expect(compareWithBaseline(current, baseline, { maxSlowdown: 1.2 }).verdict).toEqual({ passed: false, regressed: ['a'] });
  });

  it('reports a benchmark missing from the baseline, or in another unit, as new, and one not run as missing; neither fails', () => {
    const baseline = baselineOf({ gone: { unit: 'events/s', median: 5 }, changed: { unit: 'µs', median: 3 } });
    const current: BenchMedian[] = [
      { name: 'added', unit: 'events/s', median: 7 },
      { name: 'changed', unit: 'events/s', median: 9 },
      { name: 'toString', unit: 'events/s', median: 1 }, // not found on Object.prototype
    ];
    expect(compareWithBaseline(current, baseline, { maxSlowdown: 1.5 })).toEqual({
      rows: [
        { state: 'new', name: 'added', unit: 'events/s', current: 7 },
        { state: 'new', name: 'changed', unit: 'events/s', current: 9 },
        { state: 'new', name: 'toString', unit: 'events/s', current: 1 },
        { state: 'missing', name: 'gone', unit: 'events/s', baseline: 5 },
      ],
      verdict: { passed: true, regressed: [] },
    });
  });

  it('treats every benchmark as new when there is no baseline', () => {
    expect(compareWithBaseline([{ name: 'a', unit: 'µs', median: 2 }], undefined, { maxSlowdown: 1.5 })).toEqual({
      rows: [{ state: 'new', name: 'a', unit: 'µs', current: 2 }],
      verdict: { passed: true, regressed: [] },
    });
  });
});

describe('formatComparison', () => {
  it('prints each ratio with its direction, and names the regressions', () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1200 }, b: { unit: 'µs', median: 40 }, gone: { unit: 'µs', median: 2 } });
    const current: BenchMedian[] = [
      { name: 'a', unit: 'events/s', median: 800 },
      { name: 'b', unit: 'µs', median: 61 },
      { name: 'new one', unit: 'events/s', median: 1234.4 },
    ];
    expect(formatComparison(compareWithBaseline(current, baseline, { maxSlowdown: 1.5 }), 1.5)).toEqual([
      '  a          800 events/s / 1,200 events/s = 0.67 (higher is better)  ok (1.50x worse)',
      "  b               61.0 µs / 40.0 µs = 1.52 (lower is better)  WORSE: 1.52x the baseline's (limit 1.5x)",
      '  new one  1,234 events/s  new: not in the baseline',
      '  gone                  -  not measured in this run (baseline 2.0 µs)',
      'FAILED: 1 benchmark is more than 1.5x worse than the baseline: b',
    ]);
  });

  it('says so when everything passed', () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1000 } });
    const comparison = compareWithBaseline([{ name: 'a', unit: 'events/s', median: 1000 }], baseline, { maxSlowdown: 2 });
    expect(formatComparison(comparison, 2)).toEqual([
      '  a  1,000 events/s / 1,000 events/s = 1.00 (higher is better)  ok',
      'passed: no benchmark is more than 2x worse than the baseline',
    ]);
  });
});

describe('machineNotes', () => {
  it('is silent on the same machine', () => {
    expect(machineNotes(machine, { ...machine })).toEqual([]);
  });

  it('says in one line that another CPU model or count makes the ratios indicative', () => {
    expect(machineNotes({ ...machine, cpus: 8 }, machine)).toEqual([
      "machine differs from the baseline's (8 × Intel Xeon here, 2 × Intel Xeon there): the ratios are indicative",
    ]);
    expect(machineNotes({ ...machine, cpuModel: 'AMD EPYC' }, machine)).toHaveLength(1);
  });

  it('names a different Node version', () => {
    expect(machineNotes({ ...machine, node: 'v24.22.0' }, machine)).toEqual(["node differs from the baseline's (v24.22.0 here, v24.21.0 there)"]);
  });
});

describe('the baseline file', () => {
  const valid = baselineFrom([{ name: 'a / b', unit: 'events/s', median: 3 }], machine, '2026-01-05T00:00:00.000Z', 1.5);

  it('round-trips what baselineFrom makes, medians kept to 4 significant digits', () => {
    expect(valid).toEqual(baselineOf({ 'a / b': { unit: 'events/s', median: 3 } }));
    expect(baselineFrom([{ name: 'x', unit: 'events/s', median: 1536297.486 }], machine, 'then', 1.5).benchmarks).toEqual({
      x: { unit: 'events/s', median: 1536000 },
    });
    expect(parseBaseline(JSON.stringify(valid), 'bench/baseline.json')).toEqual(valid);
  });

  it('defaults maxSlowdown to 1.5 when left out', () => {
    const { maxSlowdown: _, ...without } = valid;
    expect(parseBaseline(JSON.stringify(without), 'b.json').maxSlowdown).toBe(1.5);
  });

  it('names the bad field and its value', () => {
    const bad = { ...valid, benchmarks: { x: { unit: 'ops', median: 0 } } };
    expect(() => parseBaseline(JSON.stringify(bad), 'bench/baseline.json')).toThrow(
      'bench/baseline.json: /benchmarks/x/unit must be equal to one of the allowed values (got "ops"); /benchmarks/x/median must be > 0 (got 0)',
    );
  });

  it('rejects a misspelt field rather than ignoring it', () => {
    const { maxSlowdown: _, ...without } = valid;
    const error = catchError(() => parseBaseline(JSON.stringify({ ...without, maxSlowDown: 3 }), 'b.json'));
    expect(isTierlabError(error, 'BAD_DATA_FILE')).toBe(true);
    expect((error as Error).message).toBe('b.json: /maxSlowDown is not a known field');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
