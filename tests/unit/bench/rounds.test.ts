import { describe, expect, it } from 'vitest';
import { parseBenchFlags } from '../../../bench/micro/flags.ts';
import { spreadOverRounds } from '../../../bench/micro/rounds.ts';
import { isTierlabError } from '../../../src/errors.ts';
import { thrown } from '../thrown.ts';

describe('spreadOverRounds', () => {
  it("keeps per benchmark the median of its round medians and the lowest and highest, in the order first measured", () => {
    const medians = [
      { name: 'g', unit: 'events/s' as const, median: 30 },
      { name: 'k', unit: 'µs' as const, median: 5 },
      { name: 'g', unit: 'events/s' as const, median: 10 },
      { name: 'k', unit: 'µs' as const, median: 8 },
      { name: 'g', unit: 'events/s' as const, median: 20 },
    ];
    expect(spreadOverRounds(medians)).toEqual([
      { name: 'g', unit: 'events/s', median: 20, low: 10, high: 30 },
      { name: 'k', unit: 'µs', median: 6.5, low: 5, high: 8 }, // an even count: the mean of the middle two
    ]);
  });

  it('gives one round a spread of nothing, and throws on a name measured in two units', () => {
    expect(spreadOverRounds([{ name: 'a', unit: 'µs', median: 4 }])).toEqual([{ name: 'a', unit: 'µs', median: 4, low: 4, high: 4 }]);
    expect(() =>
      spreadOverRounds([
        { name: 'a', unit: 'µs', median: 4 },
        { name: 'a', unit: 'events/s', median: 4 },
      ]),
    ).toThrow('benchmark "a" measured in µs and in events/s');
  });
});

describe('parseBenchFlags', () => {
  it('runs 3 rounds by default and takes --rounds N and --update-baseline', () => {
    expect(parseBenchFlags([])).toEqual({ rounds: 3, updateBaseline: false });
    expect(parseBenchFlags(['--rounds', '5', '--update-baseline'])).toEqual({ rounds: 5, updateBaseline: true });
    expect(parseBenchFlags(['--rounds=2'])).toEqual({ rounds: 2, updateBaseline: false });
  });

  it('refuses fewer than 2 rounds or a bad number, naming the value', () => {
    for (const value of ['1', '0', 'three', '2.5', '-3']) {
      const error = thrown(() => parseBenchFlags([`--rounds=${value}`]));
      expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
      expect((error as Error).message).toBe(`--rounds must be a whole number >= 2 (got "${value}")`);
    }
  });

  it('refuses an unknown flag or a missing value as BAD_INPUT, naming the flag', () => {
    const unknown = thrown(() => parseBenchFlags(['--round', '3']));
    expect(isTierlabError(unknown, 'BAD_INPUT')).toBe(true);
    expect((unknown as Error).message).toContain("'--round'");
    const missing = thrown(() => parseBenchFlags(['--rounds']));
    expect(isTierlabError(missing, 'BAD_INPUT')).toBe(true);
    expect((missing as Error).message).toContain('--rounds');
  });
});
