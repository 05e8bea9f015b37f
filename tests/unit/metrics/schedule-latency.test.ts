import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import type { TierOutcome } from '../../../src/harness/outcome.ts';
import { newLatencyHistogram } from '../../../src/metrics/histogram.ts';
import { TierLatency } from '../../../src/metrics/latency.ts';
import {
  jobSecondsPerEvent,
  projectScheduleLatency,
  realJobMicros,
  realScheduleLatency,
  reprojectLatency,
} from '../../../src/metrics/schedule-latency.ts';
import { projectedLatencyOf, tierSummary } from '../../../src/harness/build-summary.ts';
import type { VisibilityBatch } from '../../../src/tiers/types.ts';

const second = 1_000_000;
const day = 86_400_000;

function badInput(run: () => unknown, naming: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(isTierlabError(thrown, 'BAD_INPUT'), String(thrown)).toBe(true);
  expect((thrown as Error).message).toContain(naming);
}

describe('latency under the real schedule, computed', () => {
  it('is q·P + J exactly: a nightly job at 1e8 events/day and 2 µs of job time per event', () => {
    // J = 2e-6 s/event × 1e8 events per run = 200 s.
    expect(realScheduleLatency({ realPeriodMs: day, jobSecondsPerEvent: 2e-6, eventsPerDay: 1e8, count: 59_933 })).toEqual({
      count: 59_933,
      p50Micros: (43_200 + 200) * second,
      p90Micros: (77_760 + 200) * second,
      p99Micros: (85_536 + 200) * second,
      p999Micros: (86_313.6 + 200) * second,
      maxMicros: (86_400 + 200) * second,
    });
  });

  it('is the wait alone when no job time was measured', () => {
    expect(realScheduleLatency({ realPeriodMs: day, jobSecondsPerEvent: 0, eventsPerDay: 1e8, count: 10 })).toEqual({
      count: 10,
      p50Micros: 43_200 * second,
      p90Micros: 77_760 * second,
      p99Micros: 85_536 * second,
      p999Micros: 86_313.6 * second,
      maxMicros: 86_400 * second,
    });
  });

  it('runs the job on the events of one period: an hourly job takes 1/24 of the daily volume', () => {
    // 2.4e7 events/day, hourly: 1e6 events per run × 5 µs = 5 s.
    expect(realJobMicros({ realPeriodMs: 3_600_000, jobSecondsPerEvent: 5e-6, eventsPerDay: 2.4e7 })).toBeCloseTo(5 * second, 3);
    expect(realScheduleLatency({ realPeriodMs: 3_600_000, jobSecondsPerEvent: 5e-6, eventsPerDay: 2.4e7, count: 1 })).toMatchObject({
      p50Micros: (1_800 + 5) * second,
      p99Micros: (3_564 + 5) * second,
      maxMicros: (3_600 + 5) * second,
    });
  });

  it('is not capped at the histograms’ 48 h: a weekly job reads as such', () => {
    expect(realScheduleLatency({ realPeriodMs: 7 * day, jobSecondsPerEvent: 0, eventsPerDay: 0, count: 1 }).p50Micros).toBe(3.5 * 86_400 * second);
  });

  it('says nothing, as an empty histogram does, when no event was measured', () => {
    expect(realScheduleLatency({ realPeriodMs: day, jobSecondsPerEvent: 2e-6, eventsPerDay: 1e8, count: 0 })).toEqual({
      count: 0,
      p50Micros: 0,
      p90Micros: 0,
      p99Micros: 0,
      p999Micros: 0,
      maxMicros: 0,
    });
  });

  it('refuses a bad period, volume, job time or count, naming the value', () => {
    const good = { realPeriodMs: day, jobSecondsPerEvent: 2e-6, eventsPerDay: 1e8, count: 1 };
    badInput(() => realScheduleLatency({ ...good, realPeriodMs: -1 }), 'realPeriodMs must be a finite number of ms above 0, got -1');
    badInput(() => realScheduleLatency({ ...good, realPeriodMs: 0 }), 'realPeriodMs');
    badInput(() => realScheduleLatency({ ...good, realPeriodMs: Number.NaN }), 'realPeriodMs must be a finite number of ms above 0, got NaN');
    badInput(() => realScheduleLatency({ ...good, eventsPerDay: -5 }), 'eventsPerDay must be a finite number of events, 0 or more, got -5');
    badInput(() => realScheduleLatency({ ...good, eventsPerDay: Number.NaN }), 'eventsPerDay');
    badInput(() => realScheduleLatency({ ...good, eventsPerDay: Number.POSITIVE_INFINITY }), 'eventsPerDay');
    badInput(() => realScheduleLatency({ ...good, jobSecondsPerEvent: -1e-6 }), 'jobSecondsPerEvent');
    badInput(() => realScheduleLatency({ ...good, count: 1.5 }), 'count must be a whole number, 0 or more, got 1.5');
    badInput(() => jobSecondsPerEvent({ events: 10, jobSeconds: Number.NaN }), 'jobSeconds');
  });
});

describe('projecting a measured run', () => {
  // A lab run: 60,000 events made visible, 3 job runs of 0.4 s each (1.2 s: 20 µs per event).
  const stored = {
    latency: { count: 59_933 },
    usage: { events: 60_000, jobSeconds: 1.2 },
    projectedLatency: { count: 59_933, p50Micros: 1, p90Micros: 1, p99Micros: 1, p999Micros: 1, maxMicros: 1 },
  };

  it('spreads the measured job time over the visible events, 0 when there is none', () => {
    expect(jobSecondsPerEvent(stored.usage)).toBeCloseTo(2e-5, 12);
    expect(jobSecondsPerEvent({ events: 60_000 })).toBe(0);
    expect(jobSecondsPerEvent({ events: 0, jobSeconds: 3 })).toBe(0);
  });

  it('projects a stored tier to the scenario’s volume and again to another (tierlab advise --volume)', () => {
    // 1e6 events/day, nightly: 1e6 events per run × 20 µs = 20 s.
    expect(projectScheduleLatency(stored, { eventsPerDay: 1e6, realPeriodMs: day })).toMatchObject({
      count: 59_933,
      p50Micros: (43_200 + 20) * second,
      p99Micros: (85_536 + 20) * second,
    });
    // Ten times the volume: the job takes ten times as long; the wait does not move.
    expect(reprojectLatency(stored, { eventsPerDay: 1e7, realPeriodMs: day })).toMatchObject({
      count: 59_933,
      p50Micros: (43_200 + 200) * second,
      maxMicros: (86_400 + 200) * second,
    });
  });

  it('leaves a tier that projected nothing without a projection', () => {
    const { projectedLatency: _, ...streaming } = stored;
    expect(reprojectLatency(streaming, { eventsPerDay: 1e7, realPeriodMs: day })).toBeUndefined();
  });
});

describe('summary.json’s projectedLatency', () => {
  function outcome(projection: boolean): TierOutcome {
    const latency = new TierLatency(0, projection ? { compressedPeriodMs: 20_000, realPeriodMs: day } : undefined);
    for (let seq = 1; seq <= 1_000; seq++) {
      const batch: VisibilityBatch = {
        tier: 'batch',
        processingStartMicros: 10 * second,
        writeStartMicros: 11 * second,
        visibleMicros: 12 * second,
        events: [{ seq, eventTimeMicros: seq * 1_000, sentMicros: seq * 1_000, readMicros: seq * 1_000 }],
      };
      latency.record(batch);
    }
    return {
      name: projection ? 'batch' : 'streaming',
      state: 'ok',
      correct: true,
      unseen: 0,
      appliedTwice: 0,
      mismatchCount: 0,
      mismatches: [],
      latency,
      freshness: newLatencyHistogram(),
      generatorLag: newLatencyHistogram(),
      counts: { accepted: 1_000, rejected: 0, rejectedByReason: {} },
      usage: { kafkaBytesWritten: 0, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0 },
      facts: projection ? { jobRuns: 2, jobSeconds: 0.004 } : {},
      deadLetters: { produced: 1_000, accepted: 1_000, rejected: 0, inDeadLetterTopic: 0, reconciles: true },
      // Warm-up events included: the job time is spread over every event the jobs made visible.
      visible: 2_000,
      spanMicros: 12 * second,
      backlog: [],
    };
  }
  const scenario = { eventsPerDay: 1e8, schedule: { realPeriodMs: day } };

  it('is computed for a tier that declared a projection, from its job seconds per visible event and measured count', () => {
    // 0.004 s / 2,000 events = 2 µs per event; 1e8 events per nightly run: J = 200 s.
    const expected = {
      count: 1_000,
      p50Micros: (43_200 + 200) * second,
      p90Micros: (77_760 + 200) * second,
      p99Micros: (85_536 + 200) * second,
      p999Micros: (86_313.6 + 200) * second,
      maxMicros: (86_400 + 200) * second,
    };
    expect(projectedLatencyOf(outcome(true), scenario)).toEqual(expected);
    expect(tierSummary(outcome(true), undefined, undefined, scenario).projectedLatency).toEqual(expected);
  });

  it('is absent for a tier that declared none', () => {
    expect(projectedLatencyOf(outcome(false), scenario)).toBeUndefined();
    expect(tierSummary(outcome(false), undefined, undefined, scenario)).not.toHaveProperty('projectedLatency');
  });
});
