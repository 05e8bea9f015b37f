import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../../src/results/run-text.ts';
import { makeRunSummary } from '../report/summary-builder.ts';

describe("the run's closing table", () => {
  it('shows an errored tier as no data, with no price, and the others as measured', () => {
    const summary = makeRunSummary();
    const streaming = summary.tiers.streaming!;
    summary.tiers.streaming = { ...streaming, state: 'errored', error: 'worker process 12 exited (SIGKILL)', correct: false };
    const lines = summaryTable(summary).split('\n');
    const row = (name: string) => lines.find((line) => line.startsWith(name))!;
    expect(row('streaming')).toMatch(/^streaming\s+errored\s+NO\s+no data\s+no data\s+-\s+-\s+-\s+-\s+streaming-at-least-once$/);
    expect(row('streaming')).not.toContain('µs');
    expect(row('streaming')).not.toContain('$');
    // The fixture's micro-batch: p50 2.60 s, and its bill.
    expect(row('microbatch')).toContain('ok');
    expect(row('microbatch')).toMatch(/\$[\d,]+/);
    expect(row('microbatch')).not.toContain('no data');
  });

  it('shows a tier that finished but measured nothing as no data', () => {
    const summary = makeRunSummary();
    summary.tiers.batch = { ...summary.tiers.batch!, latency: { ...summary.tiers.batch!.latency, count: 0, p50Micros: 0, p99Micros: 0 } };
    expect(summaryTable(summary).split('\n').find((line) => line.startsWith('batch'))).toMatch(/^batch\s+ok\s+yes\s+no data\s+no data\s+-\s+-/);
  });
});
