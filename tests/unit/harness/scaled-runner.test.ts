import { describe, expect, it } from 'vitest';
import { combinedHealth, rebalancePauseMicros } from '../../../src/harness/scaled-runner.ts';
import { idleHealth } from '../../../src/harness/tier-runner.ts';
import type { TierHealth } from '../../../src/tiers/types.ts';

const worker = (health: Partial<TierHealth>): TierHealth => ({ ...idleHealth(), state: 'running', ...health });

describe('combinedHealth: several workers of one tier as one', () => {
  it('counts what the tier took per partition, the furthest any worker wrote through, not the sum of the workers', () => {
    // Partition 0 moved from the first worker (through 100) to the second, which read it again from 80 and went on to 150.
    const first = worker({ counts: { accepted: 100, rejected: 2, rejectedByReason: { malformed: 2 } }, partitionsThrough: { 0: 100 }, rejectedSources: { 0: [10, 90] } });
    const second = worker({ counts: { accepted: 69, rejected: 1, rejectedByReason: { malformed: 1 } }, partitionsThrough: { 0: 150, 1: 40 }, rejectedSources: { 0: [90] } });
    const combined = combinedHealth([first, second]);
    expect(combined.counts.accepted + combined.counts.rejected).toBe(190);
    // Offset 90 was dead-lettered by both: one record.
    expect(combined.counts.rejected).toBe(2);
    expect(combined.visible).toBe(188);
    expect(combined.partitionsThrough).toEqual({ 0: 150, 1: 40 });
  });

  it('is errored when one worker is, with its error, and running while any runs', () => {
    expect(combinedHealth([worker({}), worker({ state: 'errored', error: 'boom' })])).toMatchObject({ state: 'errored', error: 'boom' });
    expect(combinedHealth([worker({ state: 'stopped' }), worker({})]).state).toBe('running');
  });
});

describe('rebalancePauseMicros', () => {
  it('runs from the kill until every partition that changed hands after it has a result from its new owner', () => {
    const takeovers = [
      { partition: 1, atMicros: 500, restoreMs: 1 }, // before the kill: another rebalance
      { partition: 2, atMicros: 11_000, restoreMs: 300, firstVisibleMicros: 11_400 },
      { partition: 3, atMicros: 11_000, restoreMs: 250, firstVisibleMicros: 11_900 },
    ];
    expect(rebalancePauseMicros(takeovers, 1_000)).toBe(10_900);
    expect(rebalancePauseMicros([...takeovers, { partition: 4, atMicros: 12_000, restoreMs: 1 }], 1_000)).toBeUndefined();
    expect(rebalancePauseMicros([], 1_000)).toBeUndefined();
  });
});
