import { describe, expect, it } from 'vitest';
import { judgeStep, searchCapacity, stepRates, type ProbeResult } from '../../../src/capacity/search.ts';
import type { CapacityStep } from '../../../src/results/capacity.ts';
import { isTierlabError } from '../../../src/errors.ts';

const ms = 1_000;
const sla = 500 * ms;

/** A step the tier handled: everything offered made visible, a flat backlog, the generator on time. */
function kept(offeredPerSec: number, p99Micros: number, extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    achievedPerSec: offeredPerSec,
    p99Micros,
    count: offeredPerSec * 30,
    backlog: Array.from({ length: 31 }, (_, i) => ({ atMicros: i * 1_000_000, backlog: 100 })),
    generatorLagP99Micros: 200,
    generatorFellBehind: false,
    ...extra,
  };
}

/** A probe that answers from a script keyed by offered rate and remembers what it was asked. */
function scripted(script: Record<number, ProbeResult | Error>) {
  const asked: number[] = [];
  const probe = async (offeredPerSec: number) => {
    asked.push(offeredPerSec);
    const answer = script[offeredPerSec];
    if (answer === undefined) throw new Error(`the script has no step at ${offeredPerSec}/s`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { probe, asked };
}

describe('the rate steps', () => {
  it('multiply from the start, in whole events per second, always rising', () => {
    expect(stepRates(1_000, 2, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(stepRates(1_000, 1.5, 4)).toEqual([1_000, 1_500, 2_250, 3_375]);
    expect(stepRates(1, 1.1, 3)).toEqual([1, 2, 3]);
  });
});

describe('the capacity search', () => {
  it('stops at the first step that misses the SLA, recording it', async () => {
    const { probe, asked } = scripted({ 1_000: kept(1_000, 20 * ms), 2_000: kept(2_000, 80 * ms), 4_000: kept(4_000, 900 * ms) });
    const tier = await searchCapacity({ startPerSec: 1_000, factor: 2, maxSteps: 10, slaP99Micros: sla, probe });
    expect(asked).toEqual([1_000, 2_000, 4_000]);
    expect(tier.maxRatePerSec).toBe(2_000);
    expect(tier.steps.map((s) => s.metSla)).toEqual([true, true, false]);
    expect(tier.steps[2]).toMatchObject({ offeredPerSec: 4_000, p99Micros: 900 * ms, metSla: false, fellBehind: false, reason: 'p99 900 ms over the SLA of 500 ms' });
    expect(tier.stoppedBecause).toBe('stopped at 4,000/s: p99 900 ms over the SLA of 500 ms');
  });

  it('stops at the first step whose backlog grew, though its p99 still met the SLA', async () => {
    // 2,000 more waiting each second: the minimum of the last third (20-30 s) is 40,000.
    const growing = Array.from({ length: 31 }, (_, i) => ({ atMicros: i * 1_000_000, backlog: 2_000 * i }));
    const { probe } = scripted({ 1_000: kept(1_000, 20 * ms), 2_000: kept(2_000, 300 * ms, { backlog: growing }) });
    const tier = await searchCapacity({ startPerSec: 1_000, factor: 2, maxSteps: 10, slaP99Micros: sla, probe });
    expect(tier.maxRatePerSec).toBe(1_000);
    expect(tier.steps[1]).toMatchObject({ metSla: true, fellBehind: true });
    expect(tier.steps[1]!.reason).toBe('the backlog grew from 0 to 40,000 events (more than 2,000)');
    expect(tier.stoppedBecause).toContain('stopped at 2,000/s: the backlog grew');
  });

  it('calls a step behind when the generator fell behind, or under 90% of the offered rate was achieved', async () => {
    const lagging = judgeStep(4_000, kept(4_000, 10 * ms, { generatorFellBehind: true, generatorLagP99Micros: 2_000 * ms }), sla);
    expect(lagging).toMatchObject({ metSla: true, fellBehind: true, reason: 'the generator fell behind its schedule (lag p99 2.00 s)' });
    const short = judgeStep(4_000, kept(4_000, 10 * ms, { achievedPerSec: 3_500 }), sla);
    expect(short).toMatchObject({ fellBehind: true, reason: 'achieved 3,500/s, under 90% of the offered 4,000/s' });
    expect(judgeStep(4_000, kept(4_000, 10 * ms, { achievedPerSec: 3_700 }), sla).fellBehind).toBe(false);
  });

  it('a saw-tooth backlog (a micro-batch trigger emptying it) is not falling behind', () => {
    const sawTooth = Array.from({ length: 31 }, (_, i) => ({ atMicros: i * 1_000_000, backlog: 2_000 * (i % 5) }));
    const step = judgeStep(2_000, kept(2_000, 5_000 * ms, { backlog: sawTooth }), 10_000 * ms);
    expect(step).toEqual<CapacityStep>({ offeredPerSec: 2_000, achievedPerSec: 2_000, p99Micros: 5_000 * ms, count: 60_000, generatorLagP99Micros: 200, metSla: true, fellBehind: false });
  });

  it('stops after maxSteps while the tier still keeps up', async () => {
    const { probe, asked } = scripted({ 500: kept(500, ms), 1_000: kept(1_000, ms), 2_000: kept(2_000, ms), 4_000: kept(4_000, ms) });
    const tier = await searchCapacity({ startPerSec: 500, factor: 2, maxSteps: 3, slaP99Micros: sla, probe });
    expect(asked).toEqual([500, 1_000, 2_000]);
    expect(tier.maxRatePerSec).toBe(2_000);
    expect(tier.steps.every((s) => s.metSla && !s.fellBehind && s.reason === undefined)).toBe(true);
    expect(tier.stoppedBecause).toBe('met the SLA without falling behind at every step up to 2,000/s: reached the limit of 3 steps');
  });

  it('an empty step is no data: it never meets the SLA, and the search stops there', async () => {
    const { probe } = scripted({ 1_000: kept(1_000, 20 * ms), 2_000: kept(2_000, 0, { count: 0, achievedPerSec: 0 }) });
    const tier = await searchCapacity({ startPerSec: 1_000, factor: 2, maxSteps: 10, slaP99Micros: sla, probe });
    expect(tier.steps[1]).toMatchObject({ count: 0, p99Micros: 0, metSla: false });
    expect(tier.steps[1]!.reason).toMatch(/^no data: no event was measured in the step/);
    expect(tier.maxRatePerSec).toBe(1_000);
    expect(tier.stoppedBecause).toBe('no data at 2,000/s: no event was measured in the step');
  });

  it('has no max rate when the first step already fails', async () => {
    const { probe } = scripted({ 1_000: kept(1_000, 2_000 * ms) });
    const tier = await searchCapacity({ startPerSec: 1_000, factor: 2, maxSteps: 10, slaP99Micros: sla, probe });
    expect(tier.maxRatePerSec).toBeNull();
    expect(tier.steps).toHaveLength(1);
  });

  it('keeps the steps already measured when a probe fails, and says so', async () => {
    const { probe } = scripted({ 1_000: kept(1_000, 20 * ms), 2_000: new Error('broker went away') });
    const tier = await searchCapacity({ startPerSec: 1_000, factor: 2, maxSteps: 10, slaP99Micros: sla, probe });
    expect(tier.steps).toHaveLength(1);
    expect(tier.maxRatePerSec).toBe(1_000);
    expect(tier.error).toBe('broker went away');
    expect(tier.stoppedBecause).toBe('the measurement failed at 2,000/s: broker went away');
  });

  it('reports each step as it is recorded', async () => {
    const { probe } = scripted({ 1_000: kept(1_000, 20 * ms), 2_000: kept(2_000, 900 * ms) });
    const seen: Array<[number, number]> = [];
    await searchCapacity({ startPerSec: 1_000, slaP99Micros: sla, probe, onStep: (step, index) => seen.push([index, step.offeredPerSec]) });
    expect(seen).toEqual([
      [0, 1_000],
      [1, 2_000],
    ]);
  });

  it('rejects a search that could not rise or could not end', async () => {
    const { probe } = scripted({});
    for (const bad of [{ factor: 1 }, { maxSteps: 0 }, { startPerSec: 0 }, { slaP99Micros: 0 }]) {
      const error = await searchCapacity({ startPerSec: 1_000, slaP99Micros: sla, probe, ...bad }).catch((e: unknown) => e);
      expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
    }
  });
});
