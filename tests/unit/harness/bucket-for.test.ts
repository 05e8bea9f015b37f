import { describe, expect, it } from 'vitest';
import { bucketFor } from '../../../src/harness/launch.ts';
import { tierNames } from '../../../src/tiers/types.ts';

/** S3 rules: 3-63 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
const validBucket = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

describe('each lake tier\'s bucket', () => {
  it('gives each tier tierlab-RUN-TIER, so their raw/ and curated/ never meet', () => {
    expect(bucketFor('20261125-035952-demo-78df-r1', 'batch')).toBe('tierlab-20261125-035952-demo-78df-r1-batch');
    expect(bucketFor('20261125-035952-demo-78df-r1', 'microbatch')).toBe('tierlab-20261125-035952-demo-78df-r1-microbatch');
    expect(bucketFor('Run_ID', 'microbatch')).toBe('tierlab-run-id-microbatch');
  });

  it('cuts a name past 63 characters and ends it in a hash of the whole, so long names stay valid and apart', () => {
    // An isolated pass of a long scenario name: the run id already ends in the tier.
    const runId = '20261125-035952-fraud-detection-78df-r1-microbatch';
    const buckets = tierNames.map((tier) => bucketFor(runId, tier));
    for (const bucket of buckets) {
      expect(bucket).toMatch(validBucket);
      expect(bucket.length).toBeLessThanOrEqual(63);
    }
    expect(buckets[0]).toMatch(/^tierlab-20261125-035952-fraud-detection-78df-r1-microb-[0-9a-f]{8}$/);
    expect(buckets[1]).toMatch(/^tierlab-20261125-035952-fraud-detection-78df-r1-microb-[0-9a-f]{8}$/);
    expect(new Set(buckets).size).toBe(buckets.length);
    // Two run ids that differ only past the cut still get two buckets.
    const long = 'x'.repeat(70);
    expect(bucketFor(`${long}-a`, 'batch')).not.toBe(bucketFor(`${long}-b`, 'batch'));
    expect(bucketFor(`${long}-a`, 'batch')).toMatch(validBucket);
    // The same run and tier always give the same name: the harness and the tier agree on it.
    expect(bucketFor(runId, 'microbatch')).toBe(buckets[1]);
  });
});
