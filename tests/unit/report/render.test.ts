import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import type { RunSummary } from '../../../src/report/summary.ts';

// A real summary.json, from `tierlab run demo --quick` on this project's CI machine.
const summary = JSON.parse(await readFile(new URL('../../fixtures/summary.json', import.meta.url), 'utf8')) as RunSummary;

describe('report.html', () => {
  const html = renderHtml(summary);

  it('is self-contained: nothing is fetched', () => {
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/<script|<link/);
  });

  it('has the four charts, the SLA, the recommendation and every tier', () => {
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('SLA 1.00 min');
    expect(html).toContain(`Recommendation: ${summary.recommendation.tier}.`);
    for (const tier of ['batch', 'microbatch', 'streaming']) expect(html).toContain(`data-tier="${tier}"`);
    expect(html).toContain('(projected)');
  });

  it('shows an errored tier as errored, with its error', () => {
    const broken = structuredClone(summary);
    broken.tiers.streaming = { ...broken.tiers.streaming!, state: 'errored', error: 'injected fault: worker failed', correct: false };
    const page = renderHtml(broken);
    expect(page).toContain('<tr class="errored">');
    expect(page).toContain('errored: injected fault: worker failed');
  });

  it('escapes text it did not write', () => {
    const odd = structuredClone(summary);
    odd.scenario.question = '<b>real-time</b> & "fast"?';
    expect(renderHtml(odd)).toContain('&lt;b&gt;real-time&lt;/b&gt; &amp; &quot;fast&quot;?');
  });
});

describe('report.md', () => {
  it('carries the same figures as tables', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain(`**Recommendation: ${summary.recommendation.tier}.**`);
    expect(md).toMatch(/\| streaming \| ok \| yes \| [\d.]+ ms \|/);
    expect(md).toContain('| tier | generatorLag | transport | wait | processing | publish |');
    expect(md).toContain('## Cost assumptions');
    expect(md).toMatch(/\| kafka-broker \| [\d.]+ s \| \d+ MiB \|/);
  });
});
