import { describe, expect, it } from 'vitest';
import { bucketFor } from '../../../src/harness/launch.ts';
import { planPasses } from '../../../src/harness/passes.ts';
import { tierNames } from '../../../src/tiers/types.ts';

/** The shape newRunId('fraud-detection') gives (src/harness/lab-run.ts), built by hand to keep lab-run's imports out. */
const runId = '20261125-035952-fraud-detection-78df';

/** S3 rules: 3-63 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
const validBucket = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

describe('planPasses', () => {
  it('isolated: one pass per tier per repeat, in order, each with its own suffix', () => {
    const passes = planPasses('isolated', ['batch', 'microbatch', 'streaming'], 2);
    expect(passes).toEqual([
      { repeat: 1, tiers: ['batch'], suffix: 'r1-batch' },
      { repeat: 1, tiers: ['microbatch'], suffix: 'r1-microbatch' },
      { repeat: 1, tiers: ['streaming'], suffix: 'r1-streaming' },
      { repeat: 2, tiers: ['batch'], suffix: 'r2-batch' },
      { repeat: 2, tiers: ['microbatch'], suffix: 'r2-microbatch' },
      { repeat: 2, tiers: ['streaming'], suffix: 'r2-streaming' },
    ]);
    expect(new Set(passes.map((p) => p.suffix)).size).toBe(passes.length);
  });

  it('together: one pass per repeat with every tier', () => {
    const tiers = ['streaming', 'batch'] as const;
    const passes = planPasses('together', [...tiers], 3);
    expect(passes).toEqual([
      { repeat: 1, tiers: ['streaming', 'batch'], suffix: 'r1' },
      { repeat: 2, tiers: ['streaming', 'batch'], suffix: 'r2' },
      { repeat: 3, tiers: ['streaming', 'batch'], suffix: 'r3' },
    ]);
    // Each pass owns its list: changing one does not change another.
    passes[0]!.tiers.pop();
    expect(passes[1]!.tiers).toEqual(['streaming', 'batch']);
  });

  it('plans nothing for no repeats', () => {
    expect(planPasses('isolated', [...tierNames], 0)).toEqual([]);
    expect(planPasses('together', [...tierNames], 0)).toEqual([]);
  });

  it('keeps each pass bucket a valid S3 name, whole and distinct, for a realistic run id', () => {
    for (const execution of ['isolated', 'together'] as const) {
      const passes = planPasses(execution, [...tierNames], 12);
      const buckets = passes.map((pass) => bucketFor(`${runId}-${pass.suffix}`, 'batch'));
      for (const bucket of buckets) {
        expect(bucket).toMatch(validBucket);
        expect(bucket.length).toBeLessThanOrEqual(63);
      }
      // Names cut at 63 end in a hash of the whole, so no two passes share a bucket.
      expect(new Set(buckets).size).toBe(buckets.length);
    }
  });
});
