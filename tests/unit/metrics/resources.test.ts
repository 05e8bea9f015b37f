import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { ResourceSampler, sampleProcess, sampleProcessTree } from '../../../src/metrics/resources.ts';

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
    // Spin until this process has used 0.3 s of CPU by its own count, not for 0.3 s of wall time:
    // on a loaded machine, wall time buys less CPU.
    const start = process.cpuUsage();
    let spin = 0;
    while (cpuSecondsSince(start) < 0.3) spin++;
    const totals = (await sampler.stop()).get('self')!;
    expect(spin).toBeGreaterThan(0);
    expect(totals.cpuSeconds).toBeGreaterThanOrEqual(0.25);
    expect(totals.peakRssBytes).toBeGreaterThanOrEqual(totals.meanRssBytes);
  });

  it('counts children only when asked, so a parent is not charged for its workers', async () => {
    // The child says when it is up, a whole Node process resident, and stays until killed: the
    // test waits for that word, not for a time a slow machine might not start it in.
    const child = spawn(process.execPath, ['-e', "process.stdout.write('up'); setInterval(() => {}, 60_000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`the child exited with ${code} before it was up`)));
      });
      const own = await sampleProcess(process.pid);
      const tree = await sampleProcessTree(process.pid);
      expect(tree!.rssBytes - own!.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    } finally {
      child.kill();
    }
  });

  it("keeps a child's CPU in its tree after the child has exited (an engine JVM that stops before the last sample)", async () => {
    const before = (await sampleProcessTree(process.pid))!.cpuSeconds;
    // The child spins until it has used 0.3 s of CPU by its own count, then exits; Node reaps it.
    const child = spawn(process.execPath, ['-e', 'const s = process.cpuUsage(); while ((process.cpuUsage(s).user + process.cpuUsage(s).system) < 300_000);'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    const after = (await sampleProcessTree(process.pid))!.cpuSeconds;
    expect(after - before).toBeGreaterThanOrEqual(0.3);
  });

  it('ignores a process that is gone', async () => {
    expect(await sampleProcessTree(2 ** 22 + 12345)).toBeUndefined();
  });
});

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
