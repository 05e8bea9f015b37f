import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { batchStalenessAtReads, checkCron, parseReads, runsPerDay, scheduleInstants } from '../../../src/metrics/staleness.ts';

const at = (iso: string) => Date.parse(iso) * 1000;
const london = 'Europe/London';
const nightly = { cron: '0 2 * * *', tz: london };
const mondays0900 = { kind: 'cron', cron: '0 9 * * MON', tz: london } as const;

/** Runs `fn`, expecting a BAD_INPUT whose message names `value`. */
function expectBadInput(fn: () => unknown, value: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isTierlabError(caught, 'BAD_INPUT'), String(caught)).toBe(true);
  expect((caught as Error).message).toContain(value);
}

describe('batchStalenessAtReads', () => {
  it('reads Mondays 09:00 of a nightly 02:00 job with no job time: every read is exactly 7 h stale', () => {
    const { stats, perRead } = batchStalenessAtReads({ reads: mondays0900, schedule: nightly, jobSecondsPerEvent: 0, eventsPerDay: 50e6 });
    expect(stats).toEqual({ reads: 4, p50Micros: 25_200_000_000, p99Micros: 25_200_000_000, maxMicros: 25_200_000_000 });
    // The horizon: 4 weeks from Monday 2026-01-05 00:00 London (GMT in January, so = UTC).
    expect(perRead).toEqual([
      { readMicros: at('2026-01-05T09:00:00Z'), stalenessMicros: 25_200_000_000, jobStartMicros: at('2026-01-05T02:00:00Z') },
      { readMicros: at('2026-01-12T09:00:00Z'), stalenessMicros: 25_200_000_000, jobStartMicros: at('2026-01-12T02:00:00Z') },
      { readMicros: at('2026-01-19T09:00:00Z'), stalenessMicros: 25_200_000_000, jobStartMicros: at('2026-01-19T02:00:00Z') },
      { readMicros: at('2026-01-26T09:00:00Z'), stalenessMicros: 25_200_000_000, jobStartMicros: at('2026-01-26T02:00:00Z') },
    ]);
  });

  it('reads Mondays 09:00 of a weekly Sunday 23:00 job: 10 h, its 350 s job long finished', () => {
    // J = 1e-6 s/event × 50e6 events/day × 7 days = 350 s: visible at 23:05:50, well before 09:00.
    const { stats, perRead } = batchStalenessAtReads({
      reads: mondays0900,
      schedule: { cron: '0 23 * * SUN', tz: london },
      jobSecondsPerEvent: 1e-6,
      eventsPerDay: 50e6,
    });
    expect(stats).toEqual({ reads: 4, p50Micros: 36_000_000_000, p99Micros: 36_000_000_000, maxMicros: 36_000_000_000 });
    expect(perRead[0]).toEqual({ readMicros: at('2026-01-05T09:00:00Z'), stalenessMicros: 36_000_000_000, jobStartMicros: at('2026-01-04T23:00:00Z') });
  });

  it('a read while the nightly job runs sees the previous night: 24 h 0 min 30 s; one at its finish sees tonight', () => {
    // J = 1e-6 s/event × 50e6 events/day × 1 day = 50 s: the 02:00 job is visible at 02:00:50.
    const input = { schedule: nightly, jobSecondsPerEvent: 1e-6, eventsPerDay: 50e6 };
    const during = batchStalenessAtReads({ ...input, reads: { kind: 'cron', cron: '30 0 2 * * *', tz: london } });
    expect(during.stats).toEqual({ reads: 28, p50Micros: 86_430_000_000, p99Micros: 86_430_000_000, maxMicros: 86_430_000_000 });
    expect(during.perRead[0]).toEqual({ readMicros: at('2026-01-05T02:00:30Z'), stalenessMicros: 86_430_000_000, jobStartMicros: at('2026-01-04T02:00:00Z') });
    // Visible exactly at t + J counts as visible (t_j + J_j <= r).
    const atFinish = batchStalenessAtReads({ ...input, reads: { kind: 'cron', cron: '50 0 2 * * *', tz: london } });
    expect(atFinish.stats).toEqual({ reads: 28, p50Micros: 50_000_000, p99Micros: 50_000_000, maxMicros: 50_000_000 });
  });

  it('an hourly job read every 5 min: stalenesses 0..55 min, 672 reads each, nearest-rank p50 25 min, p99 = max 55 min', () => {
    const { stats, perRead } = batchStalenessAtReads({
      reads: { kind: 'every', everyMs: 300_000 },
      schedule: { cron: '0 * * * *', tz: 'UTC' },
      jobSecondsPerEvent: 0,
      eventsPerDay: 1e6,
    });
    // 4 weeks × 7 × 24 × 12 = 8064 reads; p50 is rank 4032 (the 6th value, 25 min), p99 rank 7984 (the 12th, 55 min).
    expect(stats).toEqual({ reads: 8064, p50Micros: 1_500_000_000, p99Micros: 3_300_000_000, maxMicros: 3_300_000_000 });
    const counts = new Map<number, number>();
    for (const read of perRead) counts.set(read.stalenessMicros, (counts.get(read.stalenessMicros) ?? 0) + 1);
    expect([...counts.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 672], [300_000_000, 672], [600_000_000, 672], [900_000_000, 672], [1_200_000_000, 672], [1_500_000_000, 672],
      [1_800_000_000, 672], [2_100_000_000, 672], [2_400_000_000, 672], [2_700_000_000, 672], [3_000_000_000, 672], [3_300_000_000, 672],
    ]);
    expect(perRead[0]).toEqual({ readMicros: at('2026-01-05T00:00:00Z'), stalenessMicros: 0, jobStartMicros: at('2026-01-05T00:00:00Z') });
  });

  it('a job longer than the gap to the next start is taken as is: hourly runs of 90 min, read on the hour, are 2 h stale', () => {
    // J = 1 s/event × 129,600 events/day × 1/24 day = 5400 s. At HH:00 the runs of HH:00 and HH-1:00
    // are still going, so the latest visible one started at HH-2:00.
    const { stats, perRead } = batchStalenessAtReads({
      reads: { kind: 'every', everyMs: 3_600_000 },
      schedule: { cron: '0 * * * *', tz: 'UTC' },
      jobSecondsPerEvent: 1,
      eventsPerDay: 129_600,
      weeks: 1,
    });
    expect(stats).toEqual({ reads: 168, p50Micros: 7_200_000_000, p99Micros: 7_200_000_000, maxMicros: 7_200_000_000 });
    expect(perRead[0]).toEqual({ readMicros: at('2026-01-05T00:00:00Z'), stalenessMicros: 7_200_000_000, jobStartMicros: at('2026-01-04T22:00:00Z') });
  });

  it('continuous reads (one a minute) of a nightly job approximate per-event latency: Uniform(0, 24 h) to the minute', () => {
    const { stats } = batchStalenessAtReads({ reads: { kind: 'continuous' }, schedule: nightly, jobSecondsPerEvent: 0, eventsPerDay: 1e6 });
    // 40,320 reads, each of 0..1439 min 28 times: p50 rank 20,160 -> 719 min, p99 rank 39,917 -> 1425 min.
    expect(stats).toEqual({ reads: 40_320, p50Micros: 43_140_000_000, p99Micros: 85_500_000_000, maxMicros: 86_340_000_000 });
  });
});

describe('scheduleInstants and DST (croner, Europe/London)', () => {
  it('lists runs from `from` (included) to `to` (excluded)', () => {
    expect(scheduleInstants(nightly, at('2026-01-05T02:00:00Z'), at('2026-01-07T02:00:00Z'))).toEqual([at('2026-01-05T02:00:00Z'), at('2026-01-06T02:00:00Z')]);
  });

  it('spring forward (29 Mar 2026, 01:00 GMT -> 02:00 BST): a 01:30 job runs at 02:00 BST that day; an interval job skips it', () => {
    expect(scheduleInstants({ cron: '30 1 * * *', tz: london }, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toEqual([
      at('2026-03-28T01:30:00Z'), // 01:30 GMT
      at('2026-03-29T01:00:00Z'), // 02:00 BST: the first valid time after the gap
      at('2026-03-30T00:30:00Z'), // 01:30 BST
    ]);
    // A list in the hour makes it an interval job in croner: the 01:30 that does not exist is skipped.
    expect(scheduleInstants({ cron: '30 1,13 * * *', tz: london }, at('2026-03-29T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toEqual([at('2026-03-29T12:30:00Z')]);
  });

  it('fall back (25 Oct 2026, 02:00 BST -> 01:00 GMT): a 01:30 job runs once; an interval job runs both 01:30s', () => {
    expect(scheduleInstants({ cron: '30 1 * * *', tz: london }, at('2026-10-25T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toEqual([at('2026-10-25T00:30:00Z')]);
    expect(scheduleInstants({ cron: '*/30 * * * *', tz: london }, at('2026-10-25T00:00:00Z'), at('2026-10-25T02:00:00Z'))).toEqual([
      at('2026-10-25T00:00:00Z'), at('2026-10-25T00:30:00Z'), at('2026-10-25T01:00:00Z'), at('2026-10-25T01:30:00Z'),
    ]);
  });
});

describe('runsPerDay', () => {
  it('counts runs a day over the horizon: nightly 1, weekly 1/7, every 15 min 96', () => {
    expect(runsPerDay(nightly)).toBe(1);
    expect(runsPerDay({ cron: '0 23 * * SUN', tz: london })).toBe(1 / 7);
    expect(runsPerDay({ cron: '*/15 * * * *', tz: london })).toBe(96);
    expect(runsPerDay({ cron: '0 * * * *', tz: 'UTC' }, 1)).toBe(24);
  });
});

describe('bad input names the value', () => {
  it('rejects a bad cron, a bad time zone and a cron that never runs', () => {
    expectBadInput(() => checkCron('0 2 * *', london, 'schedule'), '"0 2 * *"');
    expectBadInput(() => checkCron('61 2 * * *', london, 'schedule'), '"61 2 * * *"');
    expectBadInput(() => checkCron('0 2 * * FOO', london, 'schedule'), '"0 2 * * FOO"');
    expectBadInput(() => checkCron('0 0 30 2 *', london, 'schedule'), '"0 0 30 2 *" never runs');
    expectBadInput(() => checkCron('0 2 * * *', 'Mars/Olympus', 'schedule'), '"Mars/Olympus"');
    expectBadInput(() => checkCron('0 2 * * *', '', 'schedule'), 'time zone must be an IANA name');
    expectBadInput(() => runsPerDay({ cron: 'nightly', tz: london }), '"nightly"');
    expectBadInput(() => batchStalenessAtReads({ reads: { kind: 'cron', cron: '0 9 * * MON', tz: 'Europe/Londn' }, schedule: nightly, jobSecondsPerEvent: 0, eventsPerDay: 1 }), '"Europe/Londn"');
    expectBadInput(() => batchStalenessAtReads({ reads: { kind: 'every', everyMs: 0 }, schedule: nightly, jobSecondsPerEvent: 0, eventsPerDay: 1 }), 'got 0');
    expectBadInput(() => batchStalenessAtReads({ reads: mondays0900, schedule: nightly, jobSecondsPerEvent: -1, eventsPerDay: 1 }), 'got -1');
    expectBadInput(() => batchStalenessAtReads({ reads: { kind: 'cron', cron: '0 9 1 7 *', tz: london }, schedule: nightly, jobSecondsPerEvent: 0, eventsPerDay: 1 }), 'no read');
  });

  it('parseReads accepts what a person types and names a bad value', () => {
    expect(parseReads('Mon 09:00', london)).toEqual({ kind: 'cron', cron: '0 9 * * MON', tz: london });
    expect(parseReads('fri 9:30', london)).toEqual({ kind: 'cron', cron: '30 9 * * FRI', tz: london });
    expect(parseReads('daily 09:00', london)).toEqual({ kind: 'cron', cron: '0 9 * * *', tz: london });
    expect(parseReads('every 5m', london)).toEqual({ kind: 'every', everyMs: 300_000 });
    expect(parseReads(' continuous ', london)).toEqual({ kind: 'continuous' });
    expectBadInput(() => parseReads('Monday 9am', london), '"Monday 9am"');
    expectBadInput(() => parseReads('Mon 25:00', london), '"Mon 25:00"');
    expectBadInput(() => parseReads('every 5 minutes', london), 'every 5 minutes');
    expectBadInput(() => parseReads('every 0s', london), '"every 0s"');
    expectBadInput(() => parseReads('Mon 09:00', 'Mars/Olympus'), '"Mars/Olympus"');
  });
});
