import { describe, expect, it } from 'vitest';
import type { LatencyStats } from '../../../src/metrics/histogram.ts';
import { stalenessAtRead, type ReadsEvidence } from '../../../src/results/staleness-at-read.ts';

const second = 1_000_000;
const hour = 3_600 * second;
const stats = (p99Micros: number, count = 1_000): LatencyStats => ({ count, p50Micros: p99Micros / 2, p90Micros: p99Micros, p99Micros, p999Micros: p99Micros, maxMicros: p99Micros });

/** A tier on a real schedule: per-event latency under it 23.8 h at p99; its job took 1 µs per event. */
const batch: ReadsEvidence = {
  measured: stats(21 * second),
  projected: stats(23.8 * hour),
  measuredAtReads: { reads: 300, p50Micros: 5 * second, p99Micros: 19 * second, maxMicros: 20 * second },
  latency: { count: 1_000 },
  usage: { events: 1_000_000, jobSeconds: 1 },
};
const microbatch: ReadsEvidence = {
  measured: stats(5.1 * second),
  measuredAtReads: { reads: 300, p50Micros: 2.6 * second, p99Micros: 5.2 * second, maxMicros: 5.3 * second },
  latency: { count: 1_000 },
  usage: { events: 1_000 },
};
const nightly = { cron: '0 2 * * *', tz: 'Europe/London' };
const monday = { kind: 'cron', cron: '0 9 * * MON', tz: 'Europe/London' } as const;

describe('staleness at read, per tier', () => {
  it('for continuous reads is the per-event latency: under the real schedule where a tier runs on one', () => {
    expect(stalenessAtRead(batch, { reads: { kind: 'continuous' }, eventsPerDay: 50e6, schedule: nightly })).toEqual({
      reads: 1_000,
      p50Micros: 11.9 * hour,
      p99Micros: 23.8 * hour,
      maxMicros: 23.8 * hour,
      basis: 'computed',
    });
    expect(stalenessAtRead(microbatch, { reads: { kind: 'continuous' }, eventsPerDay: 50e6 })).toMatchObject({ p99Micros: 5.1 * second, basis: 'measured' });
  });

  it('for a scheduled tier read on a cron is computed from the schedule\'s phase and the measured job time', () => {
    // 50e6 events a day at 1 µs each: the nightly job runs 50 s, done at 02:00:50; Monday 09:00 is 7 h after its cutoff.
    expect(stalenessAtRead(batch, { reads: monday, eventsPerDay: 50e6, schedule: nightly })).toEqual({
      reads: 4,
      p50Micros: 7 * hour,
      p99Micros: 7 * hour,
      maxMicros: 7 * hour,
      basis: 'computed',
    });
  });

  it('for a scheduled tier with no phase falls back to the per-event projection (the read falls anywhere in the period)', () => {
    expect(stalenessAtRead(batch, { reads: monday, eventsPerDay: 50e6 })).toMatchObject({ p99Micros: 23.8 * hour, basis: 'computed' });
  });

  it('for any other tier read every D or on a cron is what the read instants measured', () => {
    expect(stalenessAtRead(microbatch, { reads: { kind: 'every', everyMs: 60_000 }, eventsPerDay: 50e6 })).toEqual({
      reads: 300,
      p50Micros: 2.6 * second,
      p99Micros: 5.2 * second,
      maxMicros: 5.3 * second,
      basis: 'measured',
    });
  });
});
