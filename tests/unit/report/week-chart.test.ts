import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { weekChart, weekChartTitle } from '../../../src/report/week-chart.ts';
import { makeRunSummary } from './summary-builder.ts';
import { monday, weekSummary } from './week-summary.ts';

const count = (svg: string, pattern: RegExp) => (svg.match(pattern) ?? []).length;

describe('the week chart', () => {
  it('draws a nightly job seven times, a Monday 09:00 read once, its staleness, the SLA and every tier', () => {
    const svg = weekChart(weekSummary());
    expect(svg).toMatch(/^<svg [^>]*class="chart week-chart"/);
    expect(svg).toContain(`<title>${weekChartTitle}</title>`);
    expect(count(svg, /<g class="job-run">/g)).toBe(7);
    expect(count(svg, /<g class="read">/g)).toBe(1);
    // Each run's tooltip: its start and when its results were visible, in the reads' zone.
    expect(svg).toContain('job starts Mon 02:00, results visible Mon 02:33 (33.4 min later)');
    expect(svg).toContain('<title>read Mon 09:00</title>');
    // The one read, from the staleness model: 7 h after Monday's 02:00 cutoff, written beside its point.
    expect(count(svg, /<circle class="staleness" data-tier="batch"/g)).toBe(1);
    expect(svg).toContain('read Mon 09:00: 7.00 h stale (the newest visible run started Mon 02:00)');
    expect(svg).toMatch(/>7\.00 h</);
    expect(count(svg, /class="sla"/g)).toBe(1);
    expect(svg).toContain('>SLA 24.0 h<');
    expect(svg).toContain('>batch: computed at each read, p99 7.00 h<');
    expect(svg).toContain('>microbatch measured p99 10.4 s<');
    expect(svg).toContain('>streaming measured p99 85.0 ms<');
    expect(svg).toContain('data-tier="microbatch"');
    expect(svg).toContain('data-tier="streaming"');
    // Sparse reads: batch had it been read at any instant, faintly behind the point.
    expect(count(svg, /class="reference"/g)).toBe(1);
    // Days Monday to Sunday, in order, and what the week is.
    expect([...svg.matchAll(/class="day"[^>]*>(\w+)</g)].map((m) => m[1])).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(svg).toContain('time of week in Europe/London, Monday 00:00 to Monday 00:00');
    expect(svg).toContain('each run takes 33.4 min at 50,000,000 events/day');
  });

  it('is well-formed: no element carries an attribute twice', () => {
    for (const reads of [monday, { kind: 'every', every: '1m' } as const, { kind: 'continuous' } as const]) {
      const svg = weekChart(weekSummary(reads));
      for (const element of svg.match(/<[a-z]+ [^>]*>/g) ?? []) {
        const names = [...element.matchAll(/ ([a-zA-Z:-]+)="/g)].map((m) => m[1]);
        expect(new Set(names).size, element).toBe(names.length);
      }
    }
  });

  it('shades reads finer than an hour as a band and draws batch as a line, not thousands of marks', () => {
    const svg = weekChart(weekSummary({ kind: 'every', every: '1m' }));
    expect(count(svg, /<g class="read">/g)).toBe(0);
    expect(count(svg, /class="reads-band"/g)).toBe(1);
    expect(svg).toContain('every 1m: 10,080 reads this week');
    expect(count(svg, /<circle /g)).toBe(0);
    expect(count(svg, /<polyline [^>]*class="staleness" data-tier="batch"/g)).toBe(1);
    // About a point every two pixels (a read a minute is ten a pixel), and the drops kept sharp.
    const points = /<polyline points="([^"]+)"[^>]*data-tier="batch"/.exec(svg)![1]!.split(' ');
    expect(points.length).toBeGreaterThan(300);
    expect(points.length).toBeLessThan(600);
    expect(count(svg, /<g class="job-run">/g)).toBe(7);
  });

  it('puts each read of batch on the curve of its staleness at any instant (a curve: linear in time on a log axis)', () => {
    const svg = weekChart(weekSummary({ kind: 'every', every: '3h' }));
    const circles = [...svg.matchAll(/<circle [^>]*cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(circles).toHaveLength(56);
    const curve = /<polyline points="([^"]+)"[^>]*class="reference"/.exec(svg)![1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    for (const [cx, cy] of circles) {
      // The curve's height at the read, between the two vertices around it on the same ramp.
      const i = curve.findIndex(([x], k) => x <= cx && (curve[k + 1]?.[0] ?? Infinity) > cx);
      const [[x1, y1], [x2, y2]] = [curve[i]!, curve[i + 1] ?? curve[i]!];
      const onCurve = x2 === x1 ? y1 : y1 + ((y2 - y1) * (cx - x1)) / (x2 - x1);
      expect(Math.abs(onCurve - cy), `read at x=${cx}`).toBeLessThan(1.5);
    }
  });

  it('draws reads on weekdays 9 to 5 every 5 minutes as one band a day', () => {
    const svg = weekChart(weekSummary({ kind: 'cron', cron: '*/5 9-16 * * MON-FRI', tz: 'Europe/London' }));
    expect(count(svg, /class="reads-band"/g)).toBe(5);
    // 12 reads an hour, 09:00 to 16:55, five days: counted in the note, not across the bands.
    expect(svg).toContain('480 in the week');
    expect(svg).not.toContain('reads this week');
  });

  it('says so for continuous reads and marks no read', () => {
    const svg = weekChart(weekSummary({ kind: 'continuous' }));
    expect(svg).toContain('continuous: a decision at every event, so no read marks');
    expect(count(svg, /<g class="read">/g) + count(svg, /class="reads-band"/g)).toBe(0);
    expect(svg).toContain('drawn flat at the p99 each event met');
  });

  it('draws batch flat at its p99 when the schedule has no phase, with no runs to mark', () => {
    const svg = weekChart(weekSummary(monday, { cron: undefined, tz: undefined }));
    expect(count(svg, /<g class="job-run">/g)).toBe(0);
    expect(svg).toContain('no phase given: uniform model');
    expect(svg).toMatch(/<line [^>]*stroke-dasharray="6,3" class="staleness" data-tier="batch"/);
    expect(count(svg, /<g class="read">/g)).toBe(1);
  });

  it('draws a read rarer than weekly that misses the week as no read, batch flat at its p99', () => {
    // The 1st of the month at 09:00: not in the model's week (5 to 12 January).
    const svg = weekChart(weekSummary({ kind: 'cron', cron: '0 9 1 * *', tz: 'Europe/London' }));
    expect(count(svg, /<g class="read">/g)).toBe(0);
    expect(count(svg, /<g class="job-run">/g)).toBe(7);
    expect(svg).toContain('batch computed p99 7.00 h (no read falls in this week)');
    expect(svg).toContain('0 in the week');
  });

  it('shows a tier that measured nothing as no data, with no line', () => {
    const summary = weekSummary();
    summary.tiers.streaming!.latency = { ...summary.tiers.streaming!.latency, count: 0 };
    const svg = weekChart(summary);
    expect(svg).toContain('>streaming: no data<');
    expect(svg).not.toContain('data-tier="streaming"');
  });

  it('is empty for a run stored before reads were modelled', () => {
    expect(weekChart(makeRunSummary())).toBe('');
    const noStaleness = makeRunSummary({ reads: monday });
    expect(weekChart(noStaleness)).toBe('');
    // Staleness figures but no reads: not a run this chart knows how to place in a week.
    const noReads = weekSummary();
    delete noReads.reads;
    expect(weekChart(noReads)).toBe('');
  });
});

describe('staleness at read on the report pages', () => {
  it('puts the week chart and its note in report.html, and a table in report.md', () => {
    const summary = weekSummary();
    const html = renderHtml(summary);
    expect(html).toContain('<h2>One week of reads</h2>');
    expect(count(html, /class="chart week-chart"/g)).toBe(1);
    expect(html).toContain('Batch is computed, not measured: its cron &quot;0 2 * * *&quot; (Europe/London)');
    expect(html).toContain('Microbatch and streaming are measured: staleness sampled at read instants every 100 ms');
    const md = renderMarkdown(summary);
    expect(md).toContain('## Staleness at read');
    expect(md).toContain('| tier | reads | staleness p50 | p99 | max | basis |');
    expect(md).toContain('| batch | 1 | 7.00 h | 7.00 h | 7.00 h | computed |');
    expect(md).toContain('| microbatch | 300 | 5.20 s | 10.4 s | 10.9 s | measured |');
    expect(md).toContain('| streaming | 300 | 40.0 ms | 85.0 ms | 140 ms | measured |');
    expect(md).not.toContain('<svg');
  });

  it('leaves both pages as they were for a run stored before reads were modelled', () => {
    const summary = makeRunSummary();
    expect(renderHtml(summary)).not.toContain('week-chart');
    expect(renderMarkdown(summary)).not.toContain('## Staleness at read');
  });
});
