import { describe, expect, it } from 'vitest';
import { latencyChart } from '../../../src/report/charts.ts';
import { faultLabel, faultMarks, faultRecoveries } from '../../../src/report/fault-marks.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { validateDataValue } from '../../../src/datafiles/load.ts';
import { summarySchema } from '../../../src/results/summary-schema.ts';
import type { FaultSummary, RunSummary } from '../../../src/results/summary.ts';
import { frame } from '../../../src/report/svg.ts';
import { makeRunSummary } from './summary-builder.ts';

const second = 1_000_000;
const kill = (tier: FaultSummary['tier'], recoveryMicros: number | null, atSec = 12): FaultSummary => ({
  spec: `kill:${tier}@${atSec}s`,
  tier,
  atMicros: 1_764_000_000_000_000 + atSec * second,
  recoveryMicros,
});

/** The attributes of every element of a kind with the given class, as maps. */
function elements(svg: string, tag: string, className: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*class="${className}"[^>]*)/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

// One pixel per decade, 0 at 1 µs: every mark's row can be read off exactly.
const f = frame(760, 340);
const y = (micros: number) => 300 - 10 * Math.log10(micros);

describe('faults on the latency chart', () => {
  it('draws each fault at its recovery time, in its tier’s colour, labelled with the spec and the recovery', () => {
    const summary = makeRunSummary({ faults: [kill('streaming', 10_400_000)] });
    const marks = faultMarks(summary, f, y, new Set(['streaming']));
    const svg = marks.join('\n');
    const [mark] = elements(svg, 'line', 'fault');
    expect(mark).toMatchObject({ x1: '70.0', x2: '740.0', y1: (300 - 10 * Math.log10(10_400_000)).toFixed(1), stroke: '#55A868', 'data-tier': 'streaming' });
    expect(mark!.y2).toBe(mark!.y1);
    expect(svg).toContain('⚡ kill:streaming@12s: recovered in 10.4 s</text>');
    // The label sits just above its line.
    expect(elements(svg, 'text', 'fault-label')[0]!.y).toBe((Number(mark!.y1) - 4).toFixed(1));
  });

  it('keeps two labels apart when the recoveries are close, and draws both lines where they belong', () => {
    const summary = makeRunSummary({ faults: [kill('streaming', 10 * second), kill('microbatch', 10.1 * second, 20)] });
    const svg = faultMarks(summary, f, y, new Set(['streaming', 'microbatch'])).join('\n');
    const lines = elements(svg, 'line', 'fault');
    expect(lines.map((l) => l['data-tier']).sort()).toEqual(['microbatch', 'streaming']);
    const labels = elements(svg, 'text', 'fault-label').map((t) => Number(t.y));
    expect(Math.abs(labels[1]! - labels[0]!)).toBeGreaterThanOrEqual(13);
  });

  it('writes a note, not a line, for a fault with no result after it or on a tier without a line', () => {
    const summary = makeRunSummary({ faults: [kill('streaming', null), kill('batch', 3 * second)] });
    const svg = faultMarks(summary, f, y, new Set(['streaming']));
    expect(elements(svg.join('\n'), 'line', 'fault')).toEqual([]);
    expect(svg.join('\n')).toContain('⚡ kill:streaming@12s: no result visible after it</text>');
    expect(svg.join('\n')).toContain('⚡ kill:batch@12s: recovered in 3.00 s (batch has no latency line)</text>');
    expect(faultRecoveries(summary, new Set(['streaming']))).toEqual([]);
  });

  it('labels the recovery as the fault section does', () => {
    expect(faultLabel(kill('microbatch', 2_500_000))).toBe('kill:microbatch@12s: recovered in 2.50 s');
  });
});

describe('the latency chart of a run with faults', () => {
  /** Streaming alone, p99.9 140 ms, SLA 500 ms: a recovery of 10 s lies far above everything else drawn. */
  function streamingOnly(faults: FaultSummary[]): RunSummary {
    const summary = makeRunSummary({ faults, sla: { p99Micros: 500_000 } });
    summary.tiers = { streaming: summary.tiers.streaming! };
    return summary;
  }

  it('stretches its latency axis to the recovery, so the mark is on the canvas', () => {
    const without = latencyChart(streamingOnly([]));
    const chart = latencyChart(streamingOnly([kill('streaming', 10 * second)]));
    expect(without).not.toContain('class="fault"');
    expect(without).not.toContain('>10.0 s</text>');
    expect(chart).toContain('>10.0 s</text>');
    const [mark] = elements(chart, 'line', 'fault');
    // The 10 s gridline and the mark are the same row: the axis's top decade.
    const tick = chart.match(/<line x1="70\.0" y1="([\d.]+)"[^>]*\/>\n<text[^>]*>10\.0 s<\/text>/);
    expect(tick).not.toBeNull();
    expect(mark!.y1).toBe(tick![1]);
    expect(Number(mark!.y1)).toBeGreaterThanOrEqual(30);
  });

  it('is said in the caption and the fault section of report.html, and the summary stays valid', () => {
    const summary = makeRunSummary({ faults: [kill('streaming', 10.4 * second)] });
    expect(() => validateDataValue<RunSummary>(JSON.parse(JSON.stringify(summary)), 'summary.json', summarySchema)).not.toThrow();
    const html = renderHtml(summary);
    expect(html).toContain('Each ⚡ dotted line is a fault injected during the run, at its recovery time');
    expect(html).toContain('Each fault is marked on the latency chart above at its recovery time.');
    expect(renderHtml(makeRunSummary())).not.toContain('⚡');
  });
});
