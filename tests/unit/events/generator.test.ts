import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventSource, Schedule, WindowAggregator, loadDataset } from '../../../src/events/index.ts';
import { recordPayload } from '../../../src/events/sinks/kafka.ts';

const monday = Date.UTC(2026, 0, 5, 9) * 1000;

async function checksum(dataset: string, seed: number, count: number): Promise<string> {
  const source = new EventSource(await loadDataset(dataset), seed);
  const schedule = new Schedule({ kind: 'constant', ratePerSec: 1000 }, monday);
  const hash = createHash('sha256');
  for (let i = 0; i < count; i++) hash.update(`${recordPayload(source.next(schedule.next()))}\n`);
  return hash.digest('hex');
}

describe('the seeded generator', () => {
  it('gives the same bytes for the same seed (pinned checksum)', async () => {
    // Pinned: a change to the generator that changes its output must change this on purpose.
    expect(await checksum('payments', 42, 10_000)).toBe('9d10ddbd64e2de021fd811af66835ab4ed2d31784109c42f0f7ff71353e71085');
  });

  it('gives other bytes for another seed', async () => {
    expect(await checksum('payments', 43, 1_000)).not.toBe(await checksum('payments', 42, 1_000));
  });

  it('makes every dataset\'s rules fire, and a small share of malformed records', async () => {
    for (const name of ['payments', 'clickstream', 'iot']) {
      const profile = await loadDataset(name);
      const source = new EventSource(profile, 1);
      const truth = new WindowAggregator(profile.windowMs, profile.rules);
      let malformed = 0;
      for (let i = 0; i < 50_000; i++) {
        const record = source.next(monday + i * 1000);
        if (record.valid) truth.add(record.event);
        else malformed++;
      }
      const flagged = Object.fromEntries(profile.rules.map((rule) => [rule.name, 0]));
      for (const window of truth.result()) for (const [rule, n] of Object.entries(window.flags)) flagged[rule]! += n;
      for (const rule of profile.rules) expect(flagged[rule.name], `${name}: ${rule.name}`).toBeGreaterThan(0);
      expect(malformed / 50_000).toBeCloseTo(profile.malformedShare, 2);
      expect(truth.events + malformed).toBe(50_000);
    }
  });

  it('skews keys: the hot set takes its share of the traffic', async () => {
    const profile = await loadDataset('payments');
    const source = new EventSource(profile, 5);
    const hot = new Set(Array.from({ length: profile.keys.hotKeys }, (_, i) => `${profile.keys.prefix}${i}`));
    let onHot = 0;
    for (let i = 0; i < 100_000; i++) if (hot.has(source.next(monday).key)) onHot++;
    // hotShare of the traffic plus the hot keys' fair share of the uniform rest (bursts aside)
    expect(onHot / 100_000).toBeGreaterThan(profile.keys.hotShare * 0.9);
    expect(onHot / 100_000).toBeLessThan(profile.keys.hotShare * 1.2);
  });
});
