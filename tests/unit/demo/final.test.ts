import { describe, expect, it } from 'vitest';
import { demoFinal } from '../../../src/demo/final.ts';
import { laneTitles } from '../../../src/demo/run-demo.ts';
import { weekChart } from '../../../src/report/week-chart.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';
import { makeRunSummary } from '../report/summary-builder.ts';
import { weekSummary } from '../report/week-summary.ts';

const hrefs = { report: '/run/report.html', summary: '/run/summary.json' };

describe('the demo page at the end of a run', () => {
  it('gets the report\'s week chart, drawn on the server, so the page does no schedule maths', async () => {
    const scenario = await loadScenario('exec-dashboard', { quick: true });
    const summary = weekSummary();
    const final = await demoFinal(summary, scenario, hrefs);
    expect(final.weekChartSvg).toBe(weekChart(summary));
    expect(final.weekChartSvg).toContain('class="chart week-chart"');
    // It travels as JSON in a server-sent event: one line, whatever the SVG's newlines.
    expect(JSON.stringify(final)).not.toContain('\n');
  });

  it('gets no chart for a run without reads', async () => {
    const final = await demoFinal(makeRunSummary(), await loadScenario('demo', { quick: true }), hrefs);
    expect(final.weekChartSvg).toBe('');
  });
});

describe('the demo lanes', () => {
  it('name the engine that runs a tier where it is not the Node one, as the report does', async () => {
    const scenario = await loadScenario('exec-dashboard', { quick: true, engines: { streaming: 'flink' } });
    expect(laneTitles(['batch', 'microbatch', 'streaming'], scenario)).toEqual({ batch: 'batch', microbatch: 'microbatch', streaming: 'streaming (flink)' });
  });
});
