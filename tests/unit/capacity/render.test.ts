import { describe, expect, it } from 'vitest';
import { renderCapacityTable } from '../../../src/results/capacity-render.ts';
import type { CapacityResult, CapacityStep } from '../../../src/results/capacity.ts';
import { capacityChart, capacitySectionHtml, capacitySectionMarkdown } from '../../../src/report/capacity-section.ts';

function step(offeredPerSec: number, p99Micros: number, extra: Partial<CapacityStep> = {}): CapacityStep {
  return { offeredPerSec, achievedPerSec: offeredPerSec, p99Micros, count: offeredPerSec * 10, generatorLagP99Micros: 100, metSla: true, fellBehind: false, ...extra };
}

const result: CapacityResult = {
  schemaVersion: 1,
  scenario: 'demo',
  runId: '20261102-090000-demo-a1b2',
  startedAt: '2026-11-02T09:00:00.000Z',
  slaP99Micros: 10_000_000,
  environment: { cpus: 8, cpuModel: 'test CPU', node: 'v24.0.0', servicesMode: 'native', kafka: { version: '4.3.0' } },
  quick: false,
  stepSec: 30,
  tiers: {
    microbatch: {
      maxRatePerSec: 4_000,
      steps: [
        step(1_000, 5_100_000),
        step(2_000, 5_200_000),
        step(4_000, 5_900_000),
        step(8_000, 7_000_000, { achievedPerSec: 6_100, fellBehind: true, reason: 'achieved 6,100/s, under 90% of the offered 8,000/s' }),
      ],
      stoppedBecause: 'stopped at 8,000/s: achieved 6,100/s, under 90% of the offered 8,000/s',
    },
    streaming: {
      maxRatePerSec: 2_000,
      steps: [step(1_000, 40_000), step(2_000, 90_000), step(4_000, 0, { count: 0, achievedPerSec: 0, metSla: false, fellBehind: true, reason: 'no data: no event was measured in the step' })],
      stoppedBecause: 'no data at 4,000/s: no event was measured in the step',
    },
    batch: {
      maxRatePerSec: null,
      steps: [step(1_000, 30_000_000, { metSla: false, reason: 'p99 30.0 s over the SLA of 10.0 s' })],
      stoppedBecause: 'stopped at 1,000/s: p99 30.0 s over the SLA of 10.0 s',
    },
  },
};

describe('the capacity chart', () => {
  const chart = capacityChart(result);

  it('draws one series per tier and the SLA as a dashed red line', () => {
    expect(chart.match(/class="series"/g)).toHaveLength(3);
    for (const tier of ['batch', 'microbatch', 'streaming']) expect(chart).toContain(`class="series" data-tier="${tier}"`);
    expect(chart).toMatch(/<line [^>]*stroke="#C44E52"[^>]*stroke-dasharray="8,4" class="sla"/);
    expect(chart).toContain('SLA 10.0 s');
  });

  it('is well-formed: no element carries an attribute twice', () => {
    for (const element of chart.match(/<[a-z]+ [^>]*>/g) ?? []) {
      const names = [...element.matchAll(/ ([a-z-]+)="/g)].map((m) => m[1]);
      expect(new Set(names).size, element).toBe(names.length);
    }
  });

  it('marks each tier’s highest rate meeting the SLA, and only where there is one', () => {
    expect(chart.match(/class="max-rate"/g)).toHaveLength(2);
    expect(chart).toContain('max 4,000/s');
    expect(chart).toContain('max 2,000/s');
  });

  it('plots no point for a step without data', () => {
    expect(chart.match(/class="step"/g)).toHaveLength(4 + 2 + 1);
  });

  it('says so when nothing was measured', () => {
    const empty = { ...result, tiers: { streaming: { maxRatePerSec: null, steps: [], stoppedBecause: 'the measurement failed at 1,000/s: boom' } } };
    expect(capacityChart(empty)).toContain('no step of this run measured any event');
  });
});

describe('the capacity section', () => {
  it('is inline HTML: nothing fetched', () => {
    const html = capacitySectionHtml(result);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script|<link|<img/);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('none: no step met the SLA without falling behind');
  });

  it('escapes text it did not write', () => {
    const odd = structuredClone(result);
    odd.scenario = '<b>demo</b>';
    odd.tiers.batch!.steps[0]!.reason = 'p99 > SLA & "late"';
    const html = capacitySectionHtml(odd);
    expect(html).toContain('&lt;b&gt;demo&lt;/b&gt;');
    expect(html).toContain('p99 &gt; SLA &amp; &quot;late&quot;');
    expect(html).not.toContain('<b>demo');
  });

  it('has every step of every tier in the Markdown', () => {
    const md = capacitySectionMarkdown(result);
    expect(md).toContain('| offered/s | achieved/s | p99 | SLA met | fell behind | why |');
    const rows = md.split('\n').filter((l) => /^\| [\d,]+ \|/.test(l));
    expect(rows).toHaveLength(4 + 3 + 1);
    expect(md).toContain('| 8,000 | 6,100 | 7.00 s | yes | yes | achieved 6,100/s, under 90% of the offered 8,000/s |');
    expect(md).toContain('| 4,000 | 0 | no data | no | yes | no data: no event was measured in the step |');
    expect(md).toContain('**Highest rate meeting the SLA: 4,000/s.**');
  });
});

describe('the terminal table', () => {
  it('lists each tier’s steps, then its highest rate meeting the SLA', () => {
    const table = renderCapacityTable(result);
    expect(table.split('\n')[0]).toBe('capacity of demo: SLA 10.0 s at p99, steps of 30 s, run 20261102-090000-demo-a1b2');
    expect(table).toContain('  highest rate meeting the SLA: 4,000/s');
    expect(table).toContain('  highest rate meeting the SLA: none: no step met the SLA without falling behind');
    expect(table).toContain('\n      8,000       6,100  7.00 s  yes      yes          achieved 6,100/s, under 90% of the offered 8,000/s\n');
    expect(table).toContain('  search ended: no data at 4,000/s: no event was measured in the step');
    expect(table.indexOf('batch')).toBeLessThan(table.indexOf('microbatch'));
  });
});
