import { describe, expect, it } from 'vitest';
import { ResourceSampler, sampleProcessTree } from '../../../src/metrics/resources.ts';

describe('resource sampling from /proc', () => {
  it('reads this process\'s CPU and memory', async () => {
    const sample = await sampleProcessTree(process.pid);
    expect(sample!.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample!.cpuSeconds).toBeGreaterThan(0);
  });

  it('attributes CPU burnt between the first and last sample', async () => {
    const sampler = new ResourceSampler();
    sampler.watch('self', process.pid);
    await sampler.sample();
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin++;
    const totals = (await sampler.stop()).get('self')!;
    expect(spin).toBeGreaterThan(0);
    expect(totals.cpuSeconds).toBeGreaterThanOrEqual(0.2);
    expect(totals.peakRssBytes).toBeGreaterThanOrEqual(totals.meanRssBytes);
  });

  it('ignores a process that is gone', async () => {
    expect(await sampleProcessTree(2 ** 22 + 12345)).toBeUndefined();
  });
});
