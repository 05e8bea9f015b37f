import { describe, expect, it } from 'vitest';
import { judgeClaims } from '../../../src/results/claims.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { makeRunSummary } from './summary-builder.ts';

const hour = 3_600_000_000;
const verdicts = (runs: RunSummary[]) => Object.fromEntries(judgeClaims(runs).map((v) => [v.id, v.verdict]));

describe("the seed's claims, judged on stored runs", () => {
  it('with no run, says of every claim that it was not measured, and what would measure it', () => {
    const judged = judgeClaims([]);
    expect(judged.map((v) => v.id)).toEqual(['batch-hours', 'microbatch-seconds', 'microbatch-minutes', 'streaming-millis', 'monday-batch', 'war-story-dollars', 'six-times']);
    for (const v of judged) {
      expect(v.verdict, v.id).toBe('not measured');
      expect(v.runs, v.id).toEqual([]);
      expect(v.toMeasure, v.id).toMatch(/^tierlab run \S+ --quick$/);
      expect(v.assumed.length, v.id).toBeGreaterThan(10);
    }
  });

  it("judges latency claims on the run's figures: the demo fixture (batch 23.8 h projected, micro-batch 5.4 s, streaming 85 ms)", () => {
    const run = makeRunSummary();
    run.tiers.batch!.projectedLatency = { count: 59_933, p50Micros: 12 * hour, p90Micros: 21.6 * hour, p99Micros: 23.8 * hour, p999Micros: 24 * hour, maxMicros: 24 * hour };
    expect(verdicts([run])).toMatchObject({
      'batch-hours': 'reproduced',
      'microbatch-seconds': 'reproduced',
      'streaming-millis': 'reproduced',
      // The fixture's war story: streaming 1.4x micro-batch where it costs $180k, batch $472,700 there.
      'six-times': 'refuted',
      'war-story-dollars': 'refuted',
      'monday-batch': 'not measured',
      'microbatch-minutes': 'not measured',
    });
    const six = judgeClaims([run]).find((v) => v.id === 'six-times')!;
    expect(six.figures).toBe("1.38x where streaming costs $180k/year; 2.00x at the scenario's 1.7e+8 events/day");
    expect(six.runs).toEqual(['20261124-150355-demo-c02b']);
  });

  it('refutes streaming in milliseconds when its p99 is a second or more, and uses only tiers that finished correctly', () => {
    const slow = makeRunSummary();
    slow.tiers.streaming!.latency = { ...slow.tiers.streaming!.latency, p99Micros: 1_200_000 };
    expect(verdicts([slow])['streaming-millis']).toBe('refuted');
    const wrong = makeRunSummary();
    wrong.tiers.streaming!.correct = false;
    expect(verdicts([wrong])['streaming-millis']).toBe('not measured');
  });

  it("judges the Monday dashboard and the few-minutes case on those scenarios' own runs, the full run before a quick one", () => {
    const exec = (tier: 'batch' | 'microbatch', quick: boolean, runId: string) =>
      makeRunSummary({ runId, scenario: { name: 'exec-dashboard', question: 'Monday', dataset: 'clickstream', quick }, recommendation: { tier, why: `${tier} meets it` } });
    const judged = judgeClaims([exec('batch', true, 'quick-run'), exec('microbatch', false, 'full-run')]).find((v) => v.id === 'monday-batch')!;
    expect(judged).toMatchObject({ verdict: 'refuted', runs: ['full-run'], figures: 'exec-dashboard (SLA 1.00 min): microbatch meets it' });
    const ops = makeRunSummary({ runId: 'ops', scenario: { name: 'ops-dashboard', question: 'ops', dataset: 'clickstream', quick: true } });
    expect(verdicts([ops])['microbatch-minutes']).toBe('reproduced');
  });
});
