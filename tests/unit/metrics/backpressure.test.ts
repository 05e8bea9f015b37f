import { describe, expect, it } from 'vitest';
import { judgeMemoryBound, perSecond, type OverloadPhase, type OverloadSample } from '../../../src/metrics/backpressure.ts';

const MiB = 2 ** 20;
const sample = (phase: OverloadPhase, rssMiB: number, backlog: number, atSec: number): OverloadSample => ({
  atMicros: atSec * 1_000_000,
  phase,
  rssBytes: rssMiB * MiB,
  backlog,
  visible: 0,
});
// A cap of 10,000 records at 1 KiB each: an allowance of ~9.8 MiB.
const options = { capRecords: 10_000, bytesPerHeldRecord: 1024, eventBytes: 170 };

describe('judgeMemoryBound', () => {
  it('calls a tier bounded when its RSS under overload stays within the allowance over its calm peak', () => {
    const verdict = judgeMemoryBound(
      [sample('calm', 100, 0, 0), sample('calm', 120, 50, 1), sample('flood', 125, 10_000, 2), sample('flood', 129, 25_000, 3), sample('after', 128, 12_000, 4)],
      options,
    );
    expect(verdict).toEqual({
      calmPeakRssBytes: 120 * MiB,
      overloadPeakRssBytes: 129 * MiB,
      growthBytes: 9 * MiB,
      allowanceBytes: 10_000 * 1024,
      backlogPeak: 25_000,
      backlogWireBytes: 25_000 * 170,
      backlogHeldBytes: 25_000 * 1024,
      judged: true,
      bounded: true,
    });
  });

  it('calls a tier whose memory follows its backlog unbounded', () => {
    const verdict = judgeMemoryBound([sample('calm', 120, 0, 0), sample('flood', 130, 10_000, 1), sample('flood', 145, 25_000, 2)], options);
    expect(verdict.growthBytes).toBe(25 * MiB);
    expect(verdict).toMatchObject({ judged: true, bounded: false });
  });

  it('does not judge a run whose backlog stayed under twice the cap: holding it would not have shown', () => {
    const verdict = judgeMemoryBound([sample('calm', 120, 0, 0), sample('flood', 121, 19_999, 1)], options);
    expect(verdict).toMatchObject({ judged: false, bounded: false, backlogPeak: 19_999 });
    expect(judgeMemoryBound([sample('calm', 120, 0, 0), sample('flood', 121, 19_999, 1)], { ...options, discrimination: 1.5 }).judged).toBe(true);
  });

  it('does not judge without samples from both phases', () => {
    expect(judgeMemoryBound([sample('flood', 121, 50_000, 1)], options).judged).toBe(false);
    expect(judgeMemoryBound([sample('calm', 121, 50_000, 1)], options).judged).toBe(false);
  });

  it('takes the backlog from the overload only: a calm backlog is the generator ahead of a sample', () => {
    const verdict = judgeMemoryBound([sample('calm', 120, 90_000, 0), sample('flood', 121, 5_000, 1)], options);
    expect(verdict.backlogPeak).toBe(5_000);
  });
});

describe('perSecond', () => {
  it('is records over the span, and 0 for an empty span', () => {
    expect(perSecond(30_000, 1_500_000)).toBe(20_000);
    expect(perSecond(10, 0)).toBe(0);
  });
});
