import { describe, expect, it } from 'vitest';
import { ofRun, runStartedMs } from '../../../src/harness/cleanup.ts';
import { bucketFor, topicsFor } from '../../../src/harness/launch.ts';

describe("a run's stores, by name (issue 19, item 6)", () => {
  const runId = '20261205-041500-fraud-detection-ab12';
  const mine = ofRun(runId);

  it("knows every topic, group and bucket a run and its passes make, and nobody else's", () => {
    const topics = topicsFor(`${runId}-p1`, 'streaming');
    for (const name of [topics.events, topics.results, topics.deadLetter, `tierlab-${runId}-p1-streaming`, bucketFor(`${runId}-p2`, 'batch')]) expect(mine(name), name).toBe(true);
    // A bucket name S3 would not take whole is cut and hashed: still this run's.
    const long = bucketFor(`${runId}-p1-repeat-3-with-a-very-long-suffix`, 'microbatch');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(mine(long)).toBe(true);
    for (const name of ['tierlab.20261205-041500-fraud-detection-cd34.events', 'tierlab.warmup.p6', 'orders', '__consumer_offsets']) expect(mine(name), name).toBe(false);
  });

  it('reads when a run started from any of its names, and none from a name no run made', () => {
    expect(runStartedMs(`tierlab.${runId}-p1.events`)).toBe(Date.parse('2026-12-05T04:15:00Z'));
    expect(runStartedMs(bucketFor(runId, 'batch'))).toBe(Date.parse('2026-12-05T04:15:00Z'));
    expect(runStartedMs('tierlab.warmup.p6')).toBeUndefined();
    expect(runStartedMs('tierlab-engines-cache')).toBeUndefined();
  });
});
