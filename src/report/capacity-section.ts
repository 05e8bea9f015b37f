import { maxRateText, measuredTiers, perSec, stepCells, stepHeader } from '../results/capacity-render.ts';
import type { CapacityResult } from '../results/capacity.ts';
import { human } from '../results/recommend.ts';
import { decades, escapeXml as esc, frame, legend, line, palette, polyline, scale, svg, text } from './svg.ts';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact' });

/** Powers of ten around the values, at least two of them, so a log axis never collapses. */
function logTicks(values: number[]): number[] {
  const ticks = decades(Math.max(1, Math.min(...values)), Math.max(1, ...values));
  return ticks.length > 1 ? ticks : [ticks[0]!, ticks[0]! * 10];
}

/** text() already sets fill; a second fill attribute is invalid XML, while a style overrides it. */
const coloured = (colour: string) => `style="fill:${colour}"`;

function circle(x: number, y: number, radius: number, stroke: string, fill: string, tip: string, attrs = ''): string {
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${radius}" stroke="${stroke}" stroke-width="2" fill="${fill}" ${attrs}><title>${esc(tip)}</title></circle>`;
}

/**
 * p99 against offered rate, one series per tier, both axes log: the steps are geometric, so a
 * log x spaces them evenly, and latencies span µs to hours. A filled point met the SLA without
 * falling behind; a hollow one did not. The SLA is the dashed red line; each tier's highest
 * rate meeting it is ringed and labelled.
 */
export function capacityChart(result: CapacityResult): string {
  const f = frame(760, 340);
  const tiers = measuredTiers(result).map(([name, tier]) => [name, tier, tier.steps.filter((s) => s.count > 0)] as const);
  const points = tiers.flatMap(([, , steps]) => steps);
  if (points.length === 0) return svg(f, 'Latency against offered rate', [text(f.left, f.top + 20, 'no step of this run measured any event')]);
  const xs = logTicks(points.map((s) => s.offeredPerSec));
  const ys = logTicks([result.slaP99Micros, ...points.map((s) => s.p99Micros)]);
  const xLog = scale(Math.log10(xs[0]!), Math.log10(xs[xs.length - 1]!), f.left, f.width - f.right);
  const yLog = scale(Math.log10(ys[0]!), Math.log10(ys[ys.length - 1]!), f.height - f.bottom, f.top);
  const x = (rate: number) => xLog(Math.log10(Math.max(1, rate)));
  const y = (micros: number) => yLog(Math.log10(Math.max(1, micros)));

  const body: string[] = [];
  for (const tick of ys) {
    body.push(line(f.left, y(tick), f.width - f.right, y(tick), palette.grid!));
    body.push(text(f.left - 6, y(tick) + 4, human(tick), 'text-anchor="end"'));
  }
  for (const tick of xs) body.push(text(x(tick), f.height - f.bottom + 16, `${compact.format(tick)}/s`, 'text-anchor="middle"'));
  for (const [name, tier, steps] of tiers) {
    const colour = palette[name]!;
    body.push(polyline(steps.map((s) => [x(s.offeredPerSec), y(s.p99Micros)]), colour, `class="series" data-tier="${name}"`));
    for (const s of steps) {
      const good = s.metSla && !s.fellBehind;
      const tip = `${name} at ${perSec(s.offeredPerSec)} offered: p99 ${human(s.p99Micros)}, achieved ${perSec(s.achievedPerSec)}${s.reason ? `; ${s.reason}` : ''}`;
      body.push(circle(x(s.offeredPerSec), y(s.p99Micros), 3.5, colour, good ? colour : 'white', tip, 'class="step"'));
    }
    const best = steps.find((s) => s.offeredPerSec === tier.maxRatePerSec);
    if (best) {
      body.push(circle(x(best.offeredPerSec), y(best.p99Micros), 8, colour, 'none', `${name}: highest rate meeting the SLA, ${perSec(best.offeredPerSec)}`, `class="max-rate" data-tier="${name}"`));
      body.push(text(x(best.offeredPerSec), y(best.p99Micros) - 12, `max ${perSec(best.offeredPerSec)}`, `text-anchor="middle" ${coloured(colour)}`));
    }
  }
  const slaY = y(result.slaP99Micros);
  body.push(line(f.left, slaY, f.width - f.right, slaY, palette.sla!, 'stroke-width="2" stroke-dasharray="8,4" class="sla"'));
  body.push(text(f.width - f.right - 4, slaY - 5, `SLA ${human(result.slaP99Micros)}`, `text-anchor="end" ${coloured(palette.sla!)}`));
  body.push(text(f.left, f.height - 8, 'offered rate, events/s (log scale); p99 end-to-end latency (log scale)'));
  body.push(...legend(f.left + 10, 14, [...tiers.map(([n]) => [n, palette[n]!] as [string, string]), ['SLA', palette.sla!]], ['SLA']));
  return svg(f, 'p99 latency against offered rate, log-log', body);
}

function htmlTable(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function markdownTable(header: string[], rows: string[][]): string {
  const cell = (value: string) => value.replaceAll('|', '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function intro(result: CapacityResult): string {
  const env = result.environment;
  return (
    `Scenario ${result.scenario}${result.quick ? ' (quick run)' : ''}, SLA ${human(result.slaP99Micros)} at p99, offered rate stepped up open loop, ${result.stepSec} s a step; ` +
    `run ${result.runId}, started ${result.startedAt}, on ${env.cpus} CPUs (${env.cpuModel}), Node ${env.node}, Kafka ${env.kafka.version} (${env.servicesMode}).`
  );
}

/** The capacity section of the HTML report: inline SVG and tables only, nothing fetched. */
export function capacitySectionHtml(result: CapacityResult): string {
  const tiers = measuredTiers(result);
  return [
    '<section class="capacity">',
    '<h2>Capacity: latency against offered rate</h2>',
    `<p class="muted">${esc(intro(result))}</p>`,
    `<figure>${capacityChart(result)}<figcaption>${esc('p99 end-to-end latency at each offered rate, log-log. Filled points met the SLA without falling behind; the dashed red line is the SLA; the ringed point is each tier’s highest rate meeting it.')}</figcaption></figure>`,
    htmlTable(['tier', 'highest rate meeting the SLA', 'search ended'], tiers.map(([name, tier]) => [name, maxRateText(tier), tier.stoppedBecause])),
    htmlTable(['tier', ...stepHeader], tiers.flatMap(([name, tier]) => tier.steps.map((s) => [name, ...stepCells(s)]))),
    '</section>',
  ].join('\n');
}

/** The capacity section of report.md: every step of every tier as a table. */
export function capacitySectionMarkdown(result: CapacityResult): string {
  const lines = ['## Capacity: latency against offered rate', '', intro(result), ''];
  for (const [name, tier] of measuredTiers(result)) {
    lines.push(`### ${name}`, '', `**Highest rate meeting the SLA: ${maxRateText(tier)}.** Search ended: ${tier.stoppedBecause}`, '');
    lines.push(markdownTable(stepHeader, tier.steps.map(stepCells)), '');
  }
  return lines.join('\n');
}
