import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { SeenSeqs } from '../../../src/metrics/seen-seqs.ts';

describe('SeenSeqs', () => {
  it('answers as a Set would, through a page filling, nearly full and full, in any order', () => {
    const seen = new SeenSeqs();
    const reference = new Set<number>();
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Two pages and a bit, shuffled, each seq offered twice at random times; a few never.
    const seqs = Array.from({ length: 2 * 65_536 + 500 }, (_, i) => i).filter((seq) => seq % 997 !== 3);
    const offers = [...seqs, ...seqs];
    for (let i = offers.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [offers[i], offers[j]] = [offers[j]!, offers[i]!];
    }
    let wrong = 0;
    for (const seq of offers) {
      if (seen.add(seq) === reference.has(seq)) wrong++;
      reference.add(seq);
    }
    expect(wrong).toBe(0);
    expect(seen.size).toBe(reference.size);
    // The gaps are still new, once.
    for (const gap of [3, 997 * 40 + 3, 997 * 131 + 3]) {
      expect(gap % 997).toBe(3);
      expect(seen.add(gap)).toBe(true);
      expect(seen.add(gap)).toBe(false);
    }
  });

  it('fills a page completely, then still knows every seq in it', () => {
    const seen = new SeenSeqs();
    for (let seq = 65_536; seq < 2 * 65_536; seq++) expect(seen.add(seq)).toBe(true);
    for (let seq = 65_536; seq < 2 * 65_536; seq += 4_099) expect(seen.add(seq)).toBe(false);
    expect(seen.add(65_535)).toBe(true);
    expect(seen.size).toBe(65_537);
  });

  it('takes seqs far past 2^32', () => {
    const seen = new SeenSeqs();
    const far = 2 ** 40 + 17;
    expect(seen.add(far)).toBe(true);
    expect(seen.add(far)).toBe(false);
    expect(seen.add(far + 1)).toBe(true);
    expect(seen.add(17)).toBe(true);
  });

  it('refuses a seq that is no whole number >= 0, naming it', () => {
    const seen = new SeenSeqs();
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
      let error: unknown;
      try {
        seen.add(bad);
      } catch (caught) {
        error = caught;
      }
      expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
      expect((error as Error).message).toContain(`(got ${bad})`);
    }
  });
});
