import { describe, expect, it } from 'vitest';
import { warmedUp } from '../../../src/harness/generator/warmup.ts';

describe('warmedUp: has produce latency stopped improving?', () => {
  it('is false with fewer steps than minSteps, or than window + 1', () => {
    expect(warmedUp([], 0)).toBe(false);
    // Three steps cannot be judged with a window of three: there is no step before the window.
    expect(warmedUp([500, 500, 500], 1)).toBe(false);
    // Levelled off, but minSteps not reached yet.
    expect(warmedUp([1000, 500, 500, 500, 500], 6)).toBe(false);
    expect(warmedUp([1000, 500, 500, 500, 500, 500], 6)).toBe(true);
  });

  it('is false while the last steps keep beating the best before them', () => {
    expect(warmedUp([1000, 800, 600, 400], 4)).toBe(false);
    // Only the newest step improves by more than 10% on the best before the window (500 -> 400).
    expect(warmedUp([1000, 500, 480, 470, 400], 4)).toBe(false);
  });

  it('is true once latency has levelled off', () => {
    expect(warmedUp([1000, 500, 500, 500, 500], 4)).toBe(true);
    expect(warmedUp([1000, 900, 800, 800, 800, 800], 4)).toBe(true);
  });

  it('is true when noisy but not improving by more than 10%', () => {
    // Best before the window is 500; the window's 520, 460, 540 are all >= 450.
    expect(warmedUp([1000, 500, 520, 460, 540], 4)).toBe(true);
    // Exactly 10% better is still noise.
    expect(warmedUp([1000, 500, 450, 450, 450], 4)).toBe(true);
    // Getting worse is not improving either.
    expect(warmedUp([1000, 500, 2000, 3000, 4000], 4)).toBe(true);
  });

  it('keeps going after a late improvement of more than 10%, until that too levels off', () => {
    const steps = [1000, 500, 500, 500, 500];
    expect(warmedUp(steps, 4)).toBe(true);
    steps.push(440); // 12% better than 500
    expect(warmedUp(steps, 4)).toBe(false);
    steps.push(440);
    expect(warmedUp(steps, 4)).toBe(false);
    steps.push(440);
    expect(warmedUp(steps, 4)).toBe(false); // 440 is still in the window, so 500 is the best before it
    steps.push(440);
    expect(warmedUp(steps, 4)).toBe(true);
  });

  it('takes its window and gain as parameters', () => {
    expect(warmedUp([1000, 500, 500], 0, 1)).toBe(true);
    expect(warmedUp([1000, 500, 460], 0, 1)).toBe(true);
    expect(warmedUp([1000, 500, 460], 0, 1, 0.05)).toBe(false);
  });
});
