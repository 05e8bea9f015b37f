import { describe, expect, it } from 'vitest';
import { parseWorkers } from '../../../src/cli/workers.ts';
import { PartitionCoverage } from '../../../src/tiers/partition-coverage.ts';
import { resolveTierOptions } from '../../../src/tiers/registry.ts';
import { ResumableWindows } from '../../../src/tiers/resumable-windows.ts';
import { refusal } from '../thrown.ts';

describe('workers: N, every tier', () => {
  it('defaults to one process per tier, and runs streaming on node as several', () => {
    const options = resolveTierOptions({ streaming: { workers: 3 } });
    expect(options.streaming.workers).toBe(3);
    expect(options.batch.workers).toBe(1);
    expect(options.microbatch.workers).toBe(1);
  });

  it('refuses more than one for an engine that runs as one process, naming the engines that can', () => {
    expect(refusal(() => resolveTierOptions({ batch: { workers: 2 } }))).toBe(
      'batch workers 2: the node engine runs as one worker process; more than one runs on streaming (node)',
    );
    expect(refusal(() => resolveTierOptions({ streaming: { engine: 'flink', workers: 2 } }))).toContain('streaming workers 2: the flink engine runs as one worker process');
    expect(refusal(() => resolveTierOptions({ streaming: { workers: 0 } }))).toBe('streaming workers must be a whole number >= 1 (got 0)');
  });

  it('reads --workers TIER=N and names a bad pair, tier or count', () => {
    expect(parseWorkers(['streaming=2', 'microbatch=1,batch=1'])).toEqual({ streaming: 2, microbatch: 1, batch: 1 });
    expect(refusal(() => parseWorkers(['streaming']))).toBe('--workers must be TIER=N[,TIER=N], e.g. streaming=2 (got "streaming")');
    expect(refusal(() => parseWorkers(['lake=2']))).toBe('--workers names no tier "lake"; the tiers: batch, microbatch, streaming');
    expect(refusal(() => parseWorkers(['streaming=1.5']))).toBe('--workers streaming=1.5: the count must be a whole number >= 1');
  });
});

describe('PartitionCoverage: when a partition handed over must be restored first', () => {
  it('takes over a partition whose batch starts past what the state holds, and not a re-read', () => {
    const coverage = new PartitionCoverage();
    coverage.restoredUpTo(new Map([[0, 100]]));
    expect(coverage.needsTakeOver(0, 100)).toBe(false); // where the group's commit left it
    expect(coverage.needsTakeOver(0, 80)).toBe(false); // read again: positions skip what is held
    expect(coverage.needsTakeOver(0, 150)).toBe(true); // another worker had it meanwhile
    expect(coverage.needsTakeOver(1, 0)).toBe(false); // never read by anyone
    expect(coverage.needsTakeOver(1, 10)).toBe(true);
    coverage.wrote(1, 40);
    expect(coverage.needsTakeOver(1, 40)).toBe(false);
    expect(coverage.through()).toEqual({ 1: 40 });
  });
});

describe('ResumableWindows.restoreIfAhead', () => {
  const stored = (count: number, next: number) => ({
    aggregate: { key: 'k', windowStartMicros: 0, count, sumCents: 0, flags: {} },
    position: { partition: 0, next },
  });

  it('puts back a window the other worker took further, and keeps one held further here', () => {
    const windows = new ResumableWindows(60_000, []);
    expect(windows.restoreIfAhead(stored(2, 10))).toBe(true);
    expect(windows.restoreIfAhead(stored(5, 30))).toBe(true);
    expect(windows.restoreIfAhead(stored(3, 20))).toBe(false); // a late write of the worker that lost the partition
    expect(windows.result()[0]!.count).toBe(5);
  });
});
