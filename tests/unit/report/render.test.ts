import { describe, expect, it } from 'vitest';
import type { CapacityResult } from '../../../src/results/capacity.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { stepList } from '../../../src/report/measurement.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { makeRunSummary, repeatFigures } from './summary-builder.ts';

const summary = makeRunSummary();

/** Both pages, since each must say the same thing. */
const pages = (s: RunSummary, capacity?: CapacityResult) => [renderHtml(s, { capacity }), renderMarkdown(s, { capacity })];

function withRepeats(recommendations: Array<'microbatch' | 'streaming' | null>): RunSummary {
  const factors = [1, 0.9, 1.2];
  return makeRunSummary({ repeats: recommendations.map((recommendation, i) => ({ recommendation, tiers: repeatFigures(factors[i]) })) });
}

const capacity: CapacityResult = {
  schemaVersion: 1,
  scenario: 'demo',
  runId: '20261124-160000-demo-cap1',
  startedAt: '2026-11-24T16:00:00.000Z',
  slaP99Micros: 60_000_000,
  environment: { cpus: 8, cpuModel: 'test CPU', node: 'v24.21.0', servicesMode: 'native', kafka: { version: '4.3.1' } },
  quick: true,
  stepSec: 20,
  tiers: {
    streaming: {
      maxRatePerSec: 4_000,
      steps: [
        { offeredPerSec: 2_000, achievedPerSec: 2_000, p99Micros: 85_000, count: 40_000, generatorLagP99Micros: 900, metSla: true, fellBehind: false },
        { offeredPerSec: 4_000, achievedPerSec: 3_990, p99Micros: 120_000, count: 79_800, generatorLagP99Micros: 1_200, metSla: true, fellBehind: false },
      ],
      stoppedBecause: 'the step limit',
    },
  },
};

describe('report.html', () => {
  const html = renderHtml(summary);

  it('is self-contained: nothing is fetched, no script runs', () => {
    for (const page of [html, renderHtml(withRepeats(['microbatch', 'microbatch', 'microbatch']), { capacity })]) {
      expect(page).not.toMatch(/\b(src|href)\s*=/);
      expect(page).not.toMatch(/<script|<link|<iframe|<img/i);
      expect(page).not.toMatch(/url\(/);
    }
  });

  it('has the five charts, the sensitivity tornado among them, the SLA, the recommendation and every tier', () => {
    expect(html.match(/<svg /g)).toHaveLength(5);
    // The cost section's tornado: one SVG of its own, titled, with a bar for each assumption in the summary.
    const tornado = (html.match(/<svg[\s\S]*?<\/svg>/g) ?? []).filter((s) => s.includes('<title>Sensitivity of the cost ratio to each assumption</title>'));
    expect(tornado).toHaveLength(1);
    expect(tornado[0]!.match(/<rect /g)?.length ?? 0).toBeGreaterThanOrEqual(summary.cost.sensitivity.length);
    expect(html).toContain('<h3>Sensitivity: each assumption at half and at double</h3>');
    expect(html).toContain('SLA 1.00 min');
    expect(html).toContain(`Recommendation: ${summary.recommendation.tier}.`);
    for (const tier of ['batch', 'microbatch', 'streaming']) expect(html).toContain(`data-tier="${tier}"`);
    expect(html).toContain('(projected)');
  });

  it('is well-formed SVG: no element carries an attribute twice, the SLA label keeps its colour', () => {
    const page = renderHtml(withRepeats(['microbatch', 'microbatch', 'microbatch']), { capacity });
    const svgs = page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // Four charts, the sensitivity tornado and the capacity chart.
    expect(svgs).toHaveLength(6);
    for (const element of svgs.flatMap((s) => s.match(/<[a-z]+ [^>]*>/g) ?? [])) {
      const names = [...element.matchAll(/ ([a-zA-Z:-]+)="/g)].map((m) => m[1]);
      expect(new Set(names).size, element).toBe(names.length);
    }
    expect(page).toMatch(/<text [^>]*fill="#C44E52"[^>]*>SLA 1.00 min</);
  });

  it('shows an errored tier as errored, with its error', () => {
    const broken = structuredClone(summary);
    broken.tiers.streaming = { ...broken.tiers.streaming!, state: 'errored', error: 'injected fault: worker failed', correct: false };
    const page = renderHtml(broken);
    expect(page).toContain('<tr class="errored">');
    expect(page).toContain('errored: injected fault: worker failed');
  });

  it('shows a tier whose dead letters do not reconcile as failing, like a wrong result', () => {
    const leaky = structuredClone(summary);
    leaky.tiers.streaming!.deadLetters = { produced: 60_000, accepted: 59_900, rejected: 67, inDeadLetterTopic: 67, reconciles: false };
    const wrong = structuredClone(summary);
    wrong.tiers.streaming = { ...wrong.tiers.streaming!, correct: false, mismatches: 3 };
    const leakyHtml = renderHtml(leaky);
    const leakyMd = renderMarkdown(leaky);
    expect(leakyHtml).toContain('<tr class="failing"><td>streaming</td><td>ok</td><td>NO (records do not reconcile)</td>');
    expect(leakyMd).toContain('| streaming | ok | NO (records do not reconcile) |');
    expect(leakyHtml).toContain('59,900 + 67 = 60,000, 67 in the topic ✗ does not reconcile');
    expect(renderHtml(wrong)).toContain('<tr class="failing"><td>streaming</td><td>ok</td><td>NO (3 windows differ)</td>');
    expect(html).not.toContain('class="failing"');
  });

  it('escapes text it did not write', () => {
    const odd = structuredClone(summary);
    odd.scenario.question = '<b>real-time</b> & "fast"?';
    expect(renderHtml(odd)).toContain('&lt;b&gt;real-time&lt;/b&gt; &amp; &quot;fast&quot;?');
  });
});

describe('how it was measured', () => {
  it('names the streaming guarantee where the run recorded one', () => {
    const exactlyOnce = makeRunSummary();
    exactlyOnce.tiers.streaming = { ...exactlyOnce.tiers.streaming!, guarantee: 'exactly-once' };
    for (const page of pages(exactlyOnce)) expect(page).toContain('exactly-once: results and consumed offsets commit in one Kafka transaction');
    for (const page of pages(summary)) expect(page).not.toContain('streaming guarantee');
  });

  it('says isolated, the seconds per tier, a single run, the broker’s uptime and the warm-up', () => {
    for (const page of pages(summary)) {
      expect(page).toContain('isolated — each tier alone on the identical seeded stream, one after another, 30.0 s each.');
      expect(page).toContain('A single run: no spread measured, a second run may differ.');
      expect(page).toContain('The Kafka broker had been up 41.5 s when measurement started.');
      expect(page).toContain('a warm-up of 12.0 s sent 20,000 records at 2,000/s; produce latency converged (produce p99 per step: 48 → 9.1 → 4.2 → 4 ms)');
      expect(page).not.toContain('Spread across');
    }
  });

  it('says together, and that the tiers shared the CPU', () => {
    const together = makeRunSummary();
    together.environment.execution = 'together';
    for (const page of pages(together)) {
      expect(page).toContain('together — all tiers side by side on one stream, sharing the machine’s cores');
      expect(page).toContain('the tiers shared the CPU, so their figures include that contention');
      expect(page).toContain('generator lag p99 (max), shared');
    }
    together.environment.tierWorkerNiceness = 10;
    for (const page of pages(together)) expect(page).toContain('tier workers ran at nice 10, below the broker and the generator');
  });

  it('says the broker was measured cold when warm-up was skipped, and when it did not converge', () => {
    const cold = makeRunSummary();
    cold.environment.services.warmup = { done: false, durationSec: 0, records: 0, ratePerSec: 0, stepP99Micros: [], converged: false, s3Requests: 0 };
    for (const page of pages(cold)) expect(page).toContain('Warm-up was skipped: the broker was measured cold.');
    const unsettled = makeRunSummary();
    unsettled.environment.services.warmup.converged = false;
    expect(renderMarkdown(unsettled)).toContain('produce latency had not converged');
  });

  it('lists warm-up steps in one unit', () => {
    expect(stepList([41_000, 8_200, 19_900, 13_200])).toBe('41 → 8.2 → 19.9 → 13.2 ms');
    expect(stepList([800, 950])).toBe('800 → 950 µs');
    expect(stepList([])).toBe('none recorded');
  });
});

describe('spread across repeats', () => {
  it('with 3 repeats, shows each percentile’s median and min–max, and that they agreed', () => {
    const agreed = withRepeats(['microbatch', 'microbatch', 'microbatch']);
    for (const page of pages(agreed)) {
      expect(page).toContain('Spread across 3 repeats');
      expect(page).toContain('3 repeats: the tables pool the events of all 3');
      expect(page).toContain('Every repeat recommended the same tier: microbatch.');
      expect(page).not.toContain('single run');
    }
    // microbatch p99 is 5.4 s scaled by 1, 0.9 and 1.2: median 5.40 s, 4.86 s – 6.48 s.
    expect(renderMarkdown(agreed)).toContain('| microbatch | p99 | 5.40 s | 4.86 s – 6.48 s | ±15% | 3 |');
    expect(renderHtml(agreed)).toContain('<td>microbatch</td><td>p99</td><td>5.40 s</td><td>4.86 s – 6.48 s</td>');
  });

  it('lists each repeat’s choice when they differ', () => {
    for (const page of pages(withRepeats(['microbatch', 'streaming', null]))) {
      expect(page).toContain('The repeats did not agree on a tier: repeat 1 microbatch, repeat 2 streaming, repeat 3 none.');
    }
  });

  it('leaves out a repeat in which a tier measured nothing, rather than spread a latency of 0', () => {
    const gap = withRepeats(['microbatch', 'microbatch', 'microbatch']);
    gap.repeats[1]!.tiers.streaming = { count: 0, p50Micros: 0, p99Micros: 0, p999Micros: 0 };
    const md = renderMarkdown(gap);
    expect(md).toContain('| streaming | p99 | 93.5 ms | 85.0 ms – 102 ms | ±9% | 2 of 3 |');
    expect(md).not.toMatch(/\| streaming \| p\d+ \| 0 µs/);
  });
});

describe('per-tier figures', () => {
  it('labels throughput as achieved/s and shows each tier’s generator lag', () => {
    for (const page of pages(summary)) {
      expect(page).toContain('achieved/s');
      expect(page).not.toContain('throughput');
      expect(page).toContain('1,999/s');
      expect(page).toContain('generator lag p99 (max), its own');
      expect(page).toContain('153 ms (max 426 ms)');
    }
  });

  it('shows events visible before their event time, only when there are some', () => {
    const stepped = makeRunSummary();
    stepped.tiers.streaming!.latency.negativeCount = 12;
    for (const page of pages(stepped)) expect(page).toContain('streaming: 12 events were visible before their event time (a clock step)');
    for (const page of pages(summary)) expect(page).not.toContain('before their event time (a clock step);');
  });

  it('shows "no data" for a tier that measured nothing, never 0 µs', () => {
    const empty = makeRunSummary();
    const streaming = empty.tiers.streaming!;
    streaming.latency = { ...streaming.latency, count: 0, p50Micros: 0, p90Micros: 0, p99Micros: 0, p999Micros: 0, maxMicros: 0 };
    streaming.latency.breakdown = { generatorLag: 0, transport: 0, wait: 0, processing: 0, publish: 0 };
    const html = renderHtml(empty);
    const md = renderMarkdown(empty);
    expect(md).toContain('| streaming | ok | yes | no data | no data | no data | no data | no data | as measured |');
    expect(md).toContain('| streaming | no data | no data | no data | no data | no data |');
    expect(html).not.toContain('<td>0 µs</td>');
    const latencyChart = html.match(/<svg[\s\S]*?<\/svg>/)![0];
    expect(latencyChart).toContain('End-to-end latency by percentile');
    expect(latencyChart).not.toContain('data-tier="streaming"');
    expect(html).toContain('no data: no event was made visible');
  });
});

describe('capacity', () => {
  it('adds its section to both pages when a result is given, and only then', () => {
    const html = renderHtml(summary, { capacity });
    const md = renderMarkdown(summary, { capacity });
    expect(html).toContain('<section class="capacity">');
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(renderHtml(summary).match(/<svg /g)).toHaveLength(5);
    expect(md).toContain('## Capacity: latency against offered rate');
    expect(md).toContain('**Highest rate meeting the SLA: 4,000/s.**');
    for (const page of pages(summary)) expect(page).not.toContain('Capacity: latency against offered rate');
  });

  it('says when the capacity run used another scenario or SLA', () => {
    const other = { ...capacity, scenario: 'fraud', slaP99Micros: 1_000_000 };
    for (const page of pages(summary, other)) {
      expect(page).toContain('The capacity figures come from scenario fraud, not demo');
      expect(page).toContain('The capacity search used an SLA of 1.00 s at p99; the rest of this page uses 1.00 min.');
    }
  });
});

describe('report.md', () => {
  it('carries the same figures as tables', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain(`**Recommendation: ${summary.recommendation.tier}.**`);
    expect(md).toMatch(/\| streaming \| ok \| yes \| [\d.]+ ms \|/);
    expect(md).toContain('| tier | generatorLag | transport | wait | processing | publish |');
    expect(md).toContain('## Cost assumptions');
    // The cost section is always there: the lines of each bill, the sensitivity, the crossings and the war story.
    expect(md).toContain('\n## What the cost is built from\n');
    expect(md).toContain('\n### Sensitivity: each assumption at half and at double\n');
    expect(md).toContain('\n### Where the costs cross\n');
    expect(md).toContain('- batch vs microbatch: costs cross at 2.06e+10 events/day; batch is cheaper below, microbatch above.');
    expect(md).toContain('- microbatch vs streaming: no crossing; microbatch is cheaper at every volume from 1e3 to 1e13 events/day.');
    // The verdict's word is the renderer's, from the summary's verdict (the reason after it is the cost model's, passed through).
    expect(md).toContain('the micro-batch that was enough"): Refuted: ');
    const reproduced = makeRunSummary();
    reproduced.cost.warStory.verdict = 'reproduced';
    expect(renderMarkdown(reproduced)).toContain('the micro-batch that was enough"): Reproduced: ');
    expect(md).toMatch(/\| kafka-broker \| [\d.]+ s \| \d+ MiB \|/);
  });

  it('works out what each unverified price weighs and how far each assumption moves the cost ratio', () => {
    // Halving kafkaBrokerHour takes $9,687.50 off micro-batch ($31,000) and streaming ($62,000):
    // brokers are $19,375 of each, 62.5% and 31.25%. Halving ingestGb takes $600 off batch's $4,800: 25%.
    for (const page of pages(summary)) {
      expect(page).toContain('kafkaBrokerHour (not verified) is microbatch 63%, streaming 31% of the total');
      expect(page).toContain('ingestGb (not verified) is batch 25% of the total');
    }
    // Streaming over micro-batch at half and at double, the widest swing first: workers utilisation
    // $96,875 / $31,000 = 3.13x to $44,562.50 / $31,000 = 1.44x; brokers $52,312.50 / $21,312.50 = 2.45x
    // to $81,375 / $50,375 = 1.62x; ingestGb leaves both at $62,000 / $31,000 = 2.00x.
    const table = [
      '| streaming-at-least-once: workers utilisation | 3.13x | 1.44x | no |',
      '| price kafkaBrokerHour (not verified) | 2.45x | 1.62x | no |',
      '| price ingestGb (not verified) | 2.00x | 2.00x | no |',
    ].join('\n');
    expect(renderMarkdown(summary)).toContain(table);
    // The order is the renderer's own, whatever order the summary lists them in.
    const reversed = makeRunSummary();
    reversed.cost.sensitivity.reverse();
    expect(renderMarkdown(reversed)).toContain(table);
  });
});
