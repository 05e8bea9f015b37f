import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { baselineFrom, parseBaseline, readBaseline, type Baseline, type BenchSpread, type Machine } from '../../../bench/micro/baseline.ts';
import { baselineRoundsNote, compareWithBaseline, formatComparison, machineNotes, standingOf } from '../../../bench/micro/compare.ts';
import { isTierlabError } from '../../../src/errors.ts';
import { thrown } from '../thrown.ts';

const machine: Machine = { cpus: 2, cpuModel: 'Intel Xeon', node: 'v24.21.0' };

function baselineOf(benchmarks: Baseline['benchmarks'], rounds = 3): Baseline {
  return { rounds, recordedAt: '2026-01-05T00:00:00.000Z', machine, benchmarks };
}

function events(name: string, median: number, low: number, high: number): BenchSpread {
  return { name, unit: 'events/s', median, low, high };
}

function micros(name: string, median: number, low: number, high: number): BenchSpread {
  return { name, unit: 'µs', median, low, high };
}

describe('compareWithBaseline', () => {
  it("fails events/s only when this run's highest round is below the baseline's lowest, however far the medians are apart", () => {
    const baseline = baselineOf({
      wide: { unit: 'events/s', median: 1000, low: 900, high: 1100 },
      narrow: { unit: 'events/s', median: 1000, low: 980, high: 1020 },
      touching: { unit: 'events/s', median: 1000, low: 980, high: 1020 },
    });
    const current = [
      events('wide', 500, 400, 950), // 2x slower, but its best round reaches into the baseline's range
      events('narrow', 1000 / 1.2, 820, 970), // only 1.2x slower, but no round comes near the baseline's
      events('touching', 900, 850, 980), // ranges that touch overlap
    ];
    expect(compareWithBaseline(current, baseline)).toEqual({
      rows: [
        { state: 'compared', name: 'wide', unit: 'events/s', current: { median: 500, low: 400, high: 950 }, baseline: { median: 1000, low: 900, high: 1100 }, ratio: 0.5, standing: 'within spread' },
        { state: 'compared', name: 'narrow', unit: 'events/s', current: { median: 1000 / 1.2, low: 820, high: 970 }, baseline: { median: 1000, low: 980, high: 1020 }, ratio: 1 / 1.2, standing: 'regressed' },
        { state: 'compared', name: 'touching', unit: 'events/s', current: { median: 900, low: 850, high: 980 }, baseline: { median: 1000, low: 980, high: 1020 }, ratio: 0.9, standing: 'within spread' },
      ],
      verdict: { passed: false, regressed: ['narrow'] },
    });
  });

  it("fails µs only when this run's lowest round is above the baseline's highest", () => {
    const baseline = baselineOf({ wide: { unit: 'µs', median: 40, low: 35, high: 50 }, narrow: { unit: 'µs', median: 40, low: 39, high: 41 } });
    const current = [micros('wide', 80, 45, 90), micros('narrow', 48, 41.5, 49)]; // 2x slower, overlapping; 1.2x slower, apart
    const { rows, verdict } = compareWithBaseline(current, baseline);
    expect(rows.map((row) => (row.state === 'compared' ? [row.name, row.ratio, row.standing] : row.state))).toEqual([
      ['wide', 2, 'within spread'],
      ['narrow', 1.2, 'regressed'],
    ]);
    expect(verdict).toEqual({ passed: false, regressed: ['narrow'] });
  });

  it('calls a run improved when the ranges part on the better side, and passes it', () => {
    const baseline = baselineOf({ fast: { unit: 'events/s', median: 1000, low: 950, high: 1050 }, quick: { unit: 'µs', median: 40, low: 38, high: 42 } });
    const { rows, verdict } = compareWithBaseline([events('fast', 2000, 1100, 2100), micros('quick', 20, 19, 37)], baseline);
    expect(rows.map((row) => row.state === 'compared' && row.standing)).toEqual(['improved', 'improved']);
    expect(verdict).toEqual({ passed: true, regressed: [] });
  });

  it("judges against a one-round baseline's median, which is its low and high", () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1000, low: 1000, high: 1000 } }, 1);
    expect(compareWithBaseline([events('a', 990, 960, 999)], baseline).verdict).toEqual({ passed: false, regressed: ['a'] });
    expect(compareWithBaseline([events('a', 900, 800, 1000)], baseline).verdict).toEqual({ passed: true, regressed: [] });
  });

  it('reports a benchmark missing from the baseline, or in another unit, as new, and one not run as missing; neither fails', () => {
    const baseline = baselineOf({ gone: { unit: 'events/s', median: 5, low: 4, high: 6 }, changed: { unit: 'µs', median: 3, low: 3, high: 3 } });
    const current = [
      events('added', 7, 6, 8),
      events('changed', 9, 9, 9),
      events('toString', 1, 1, 1), // not found on Object.prototype
    ];
    expect(compareWithBaseline(current, baseline)).toEqual({
      rows: [
        { state: 'new', name: 'added', unit: 'events/s', current: { median: 7, low: 6, high: 8 } },
        { state: 'new', name: 'changed', unit: 'events/s', current: { median: 9, low: 9, high: 9 } },
        { state: 'new', name: 'toString', unit: 'events/s', current: { median: 1, low: 1, high: 1 } },
        { state: 'missing', name: 'gone', unit: 'events/s', baseline: { median: 5, low: 4, high: 6 } },
      ],
      verdict: { passed: true, regressed: [] },
    });
  });

  it('treats every benchmark as new when there is no baseline', () => {
    expect(compareWithBaseline([micros('a', 2, 1, 3)], undefined)).toEqual({
      rows: [{ state: 'new', name: 'a', unit: 'µs', current: { median: 2, low: 1, high: 3 } }],
      verdict: { passed: true, regressed: [] },
    });
  });
});

describe('standingOf', () => {
  it('takes the better direction from the unit', () => {
    const then = { median: 10, low: 9, high: 11 };
    const higher = { median: 13, low: 12, high: 14 };
    const lower = { median: 7, low: 6, high: 8 };
    expect([standingOf('events/s', higher, then), standingOf('events/s', lower, then)]).toEqual(['improved', 'regressed']);
    expect([standingOf('µs', higher, then), standingOf('µs', lower, then)]).toEqual(['regressed', 'improved']);
    expect(standingOf('µs', { median: 11, low: 11, high: 12 }, then)).toBe('within spread'); // touching
  });
});

describe('formatComparison', () => {
  it('prints each median with its low–high, the ratio with its direction, and names the regressions', () => {
    const baseline = baselineOf({
      a: { unit: 'events/s', median: 1200, low: 1000, high: 1300 },
      b: { unit: 'µs', median: 40, low: 39, high: 41 },
      c: { unit: 'events/s', median: 100, low: 99, high: 101 },
      gone: { unit: 'µs', median: 2, low: 1.5, high: 2.5 },
    });
    const current = [events('a', 600, 500, 1000), micros('b', 48, 41.5, 49), events('c', 80, 70, 90), events('new one', 1234.4, 1200, 1300)];
    expect(formatComparison(compareWithBaseline(current, baseline))).toEqual([
      '  a            600 events/s (500–1,000) / 1,200 events/s (1,000–1,300) = 0.50 (higher is better)  ok: within the spread',
      '  b                 48.0 µs (41.5–49.0) / 40.0 µs (39.0–41.0) = 1.20 (lower is better)  REGRESSED: the ranges do not overlap',
      '  c                 80 events/s (70–90) / 100 events/s (99–101) = 0.80 (higher is better)  REGRESSED: the ranges do not overlap',
      '  new one  1,234 events/s (1,200–1,300)  new: not in the baseline',
      '  gone                                -  not measured in this run (baseline 2.0 µs)',
      "FAILED: 2 benchmarks regressed beyond both runs' spread: b, c",
    ]);
  });

  it('says so when nothing regressed, improvements included', () => {
    const baseline = baselineOf({ a: { unit: 'events/s', median: 1000, low: 990, high: 1010 } });
    expect(formatComparison(compareWithBaseline([events('a', 1500, 1400, 1600)], baseline))).toEqual([
      '  a  1,500 events/s (1,400–1,600) / 1,000 events/s (990–1,010) = 1.50 (higher is better)  improved: the ranges do not overlap',
      "passed: no benchmark regressed beyond both runs' spread",
    ]);
  });

  it('names the one regression in the singular', () => {
    const baseline = baselineOf({ a: { unit: 'µs', median: 10, low: 9, high: 11 } });
    expect(formatComparison(compareWithBaseline([micros('a', 13, 12, 14)], baseline)).at(-1)).toBe(
      "FAILED: 1 benchmark regressed beyond both runs' spread: a",
    );
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

describe('baselineRoundsNote', () => {
  it('asks for a re-recording when the baseline has one round, and is silent from two', () => {
    expect(baselineRoundsNote(baselineOf({}, 1))).toEqual([
      'the baseline has 1 round, so no spread of its own: re-record it on a quiet machine with `npm run bench -- --update-baseline`',
    ]);
    expect(baselineRoundsNote(baselineOf({}, 2))).toEqual([]);
  });
});

describe('the baseline file', () => {
  const valid = baselineFrom([events('a / b', 3, 2, 4)], 3, machine, '2026-01-05T00:00:00.000Z');

  it('round-trips what baselineFrom makes, every figure kept to 4 significant digits', () => {
    expect(valid).toEqual(baselineOf({ 'a / b': { unit: 'events/s', median: 3, low: 2, high: 4 } }));
    expect(baselineFrom([events('x', 1536297.486, 1499949.9, 1600049.9)], 3, machine, 'then').benchmarks).toEqual({
      x: { unit: 'events/s', median: 1536000, low: 1500000, high: 1600000 },
    });
    expect(parseBaseline(JSON.stringify(valid), 'bench/baseline.json')).toEqual(valid);
  });

  it('refuses a baseline without low/high, naming the benchmarks and saying to re-record it', () => {
    const before = {
      maxSlowdown: 1.5,
      recordedAt: valid.recordedAt,
      machine,
      benchmarks: { 'a / b': { unit: 'events/s', median: 3 }, c: { unit: 'events/s', median: 5, low: 4 } },
    };
    const error = thrown(() => parseBaseline(JSON.stringify(before), 'bench/baseline.json'));
    expect(isTierlabError(error, 'BAD_DATA_FILE')).toBe(true);
    expect((error as Error).message).toBe(
      'bench/baseline.json: benchmarks "a / b", "c" have no low/high (a baseline recorded before rounds, without a spread); ' +
        're-record it with `npm run bench -- --update-baseline`',
    );
    const one = { ...valid, benchmarks: { x: { unit: 'µs', median: 2 } } };
    expect(() => parseBaseline(JSON.stringify(one), 'b.json')).toThrow('b.json: benchmark "x" has no low/high');
  });

  it('names the bad field and its value', () => {
    const bad = { ...valid, rounds: 0, benchmarks: { x: { unit: 'ops', median: 0, low: 0, high: 1 } } };
    expect(() => parseBaseline(JSON.stringify(bad), 'bench/baseline.json')).toThrow(
      'bench/baseline.json: /rounds must be >= 1 (got 0); /benchmarks/x/unit must be equal to one of the allowed values (got "ops"); ' +
        '/benchmarks/x/median must be > 0 (got 0); /benchmarks/x/low must be > 0 (got 0)',
    );
  });

  it('refuses a median outside its own low–high, naming the three', () => {
    const bad = { ...valid, benchmarks: { x: { unit: 'µs', median: 5, low: 6, high: 7 } } };
    const error = thrown(() => parseBaseline(JSON.stringify(bad), 'b.json'));
    expect(isTierlabError(error, 'BAD_DATA_FILE')).toBe(true);
    expect((error as Error).message).toBe('b.json: benchmark "x" must have low <= median <= high (got low 6, median 5, high 7)');
  });

  it('rejects a misspelt or dropped field rather than ignoring it', () => {
    const error = thrown(() => parseBaseline(JSON.stringify({ ...valid, maxSlowdown: 1.5 }), 'b.json'));
    expect(isTierlabError(error, 'BAD_DATA_FILE')).toBe(true);
    expect((error as Error).message).toBe('b.json: /maxSlowdown is not a known field');
    const { rounds: _, ...without } = valid;
    expect(() => parseBaseline(JSON.stringify(without), 'b.json')).toThrow("b.json: / must have required property 'rounds'");
  });

  it('parses the stored bench/baseline.json', async () => {
    const path = new URL('../../../bench/baseline.json', import.meta.url);
    const stored = await readBaseline(path.pathname);
    expect(stored).toBeDefined();
    expect(Object.keys(stored!.benchmarks).length).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(stored);
  });
});
