import { stages } from '../metrics/latency.ts';
import { tierNames } from '../tiers/types.ts';
import { tiersOf as present, usd } from './facts.ts';
import { human } from '../results/recommend.ts';
import { faultMarks, faultRecoveries } from './fault-marks.ts';
import { decades, frame, legend, line, palette, polyline, rect, scale, stageColours, svg, text } from './svg.ts';
import type { RunSummary } from '../results/summary.ts';

/** Percentiles on HdrHistogram's "nines" axis: 90 -> 1, 99 -> 2, 99.9 -> 3. */
const nines = (percentile: number) => -Math.log10(1 - Math.min(percentile, 99.999) / 100);

/**
 * Latency by percentile, log scale, one line per tier, the SLA as a line; a tier's real schedule
 * (batch's) dashed; each fault injected at its recovery time (see fault-marks.ts).
 */
export function latencyChart(summary: RunSummary): string {
  const f = frame(760, 340);
  // A tier that measured nothing has no line: an empty histogram is no data, not a latency of 0.
  const series = present(summary).filter(([, t]) => t.latency.count > 0 && t.distribution.length > 0);
  // Any tier that projected its latency to a real schedule (today: batch) gets a dashed line of its own:
  // computed, not sampled (q·P + J), so its four percentiles are the exact points of that distribution.
  const projections = series.flatMap(([name, t]) => (t.projectedLatency?.count ? [[name, t.projectedLatency] as const] : []));
  const values = [summary.sla.p99Micros, ...series.flatMap(([, t]) => t.distribution.map((p) => p.micros))];
  values.push(...projections.map(([, projected]) => projected.maxMicros));
  const plotted = new Set<string>(series.map(([name]) => name));
  values.push(...faultRecoveries(summary, plotted));
  const ys = decades(Math.max(1, Math.min(...values)), Math.max(...values));
  const x = scale(0, 5, f.left, f.width - f.right);
  const y = scale(Math.log10(ys[0]!), Math.log10(ys[ys.length - 1]!), f.height - f.bottom, f.top);
  const body: string[] = [];
  for (const tick of ys) {
    body.push(line(f.left, y(Math.log10(tick)), f.width - f.right, y(Math.log10(tick)), palette.grid!));
    body.push(text(f.left - 6, y(Math.log10(tick)) + 4, human(tick), 'text-anchor="end"'));
  }
  for (const [label, p] of [['p0', 0], ['p90', 90], ['p99', 99], ['p99.9', 99.9], ['p99.99', 99.99], ['p99.999', 99.999]] as const) {
    body.push(text(x(nines(p)), f.height - f.bottom + 16, label, 'text-anchor="middle"'));
  }
  for (const [name, tier] of series) {
    body.push(polyline(tier.distribution.map((p) => [x(nines(p.percentile)), y(Math.log10(Math.max(1, p.micros)))]), palette[name]!, `class="series" data-tier="${name}"`));
  }
  for (const [name, projected] of projections) {
    const points: Array<[number, number]> = [
      [50, projected.p50Micros],
      [90, projected.p90Micros],
      [99, projected.p99Micros],
      [99.9, projected.p999Micros],
    ];
    body.push(polyline(points.map(([p, v]) => [x(nines(p)), y(Math.log10(v))]), palette[name]!, 'stroke-dasharray="5,3" class="series"'));
  }
  const slaY = y(Math.log10(summary.sla.p99Micros));
  body.push(line(f.left, slaY, f.width - f.right, slaY, palette.sla!, 'stroke-width="2" stroke-dasharray="8,4" class="sla"'));
  body.push(text(f.width - f.right - 4, slaY - 5, `SLA ${human(summary.sla.p99Micros)}`, `text-anchor="end" fill="${palette.sla}"`));
  body.push(...faultMarks(summary, f, (micros) => y(Math.log10(micros)), plotted));
  body.push(text(f.left, f.height - 8, 'percentile (log scale of nines)'));
  const dashed = projections.map(([name]) => [`${name}, real schedule (projected)`, palette[name]!] as [string, string]);
  body.push(...legend(f.left + 10, 14, [...series.map(([n]) => [n, palette[n]!] as [string, string]), ...dashed], dashed.map(([label]) => label)));
  return svg(f, 'End-to-end latency by percentile, log scale', body);
}

/** Where each tier's median latency goes, as shares of its total, with the absolute values on hover. */
export function breakdownChart(summary: RunSummary): string {
  const tiers = present(summary);
  const f = frame(760, 60 + tiers.length * 44, 90, 20, 34, 20);
  const x = scale(0, 1, f.left, f.width - f.right);
  const body: string[] = [...legend(f.left, 14, stages.map((s, i) => [s, stageColours[i]!]))];
  tiers.forEach(([name, tier], row) => {
    const top = f.top + row * 44;
    body.push(text(f.left - 8, top + 17, name, 'text-anchor="end"'));
    if (tier.latency.count === 0) {
      body.push(text(f.left, top + 17, 'no data: no event was made visible'));
      return;
    }
    const parts = stages.map((stage) => Math.max(0, tier.latency.breakdown[stage]));
    const sum = parts.reduce((a, b) => a + b, 0) || 1;
    let at = 0;
    parts.forEach((value, i) => {
      body.push(rect(x(at / sum), top, x((at + value) / sum) - x(at / sum), 26, stageColours[i]!, `${name} ${stages[i]}: ${human(value)} (p50)`));
      at += value;
    });
    const largest = parts.indexOf(Math.max(...parts));
    body.push(text(x(1) - 4, top + 40, `mostly ${stages[largest]}: ${human(parts[largest]!)} of ${human(sum)}`, 'text-anchor="end" font-size="10"'));
  });
  return svg(f, 'Where the median latency goes, per tier', body);
}

/** $/year per tier, split into its lines; an assumed line is marked as such in its name. */
export function costChart(summary: RunSummary): string {
  const tiers = present(summary);
  const lineName = (line: { name: string; basis: string }) => `${line.name}${line.basis === 'assumed' ? ' (assumed)' : ''}`;
  const partNames = [...new Set(tiers.flatMap(([, t]) => t.cost.lines.map(lineName)))];
  const legendRows = Math.ceil(partNames.length / 5);
  const f = frame(760, 60 + tiers.length * 44 + legendRows * 14, 90, 110, 34 + legendRows * 14, 20);
  const max = Math.max(1, ...tiers.map(([, t]) => t.cost.usdPerYear));
  const x = scale(0, max, f.left, f.width - f.right);
  const colours = ['#4C72B0', '#DD8452', '#55A868', '#C44E52', '#8172B3', '#937860', '#DA8BC3', '#8C8C8C'];
  const body: string[] = [...legend(f.left, 14, partNames.map((p, i) => [p, colours[i % colours.length]!]))];
  tiers.forEach(([name, tier], row) => {
    const top = f.top + row * 44;
    let at = 0;
    for (const part of partNames) {
      const value = tier.cost.lines.filter((line) => lineName(line) === part).reduce((sum, line) => sum + line.usdPerYear, 0);
      body.push(rect(x(at), top, x(at + value) - x(at), 26, colours[partNames.indexOf(part) % colours.length]!, `${name} ${part}: ${usd(value)}/year`));
      at += value;
    }
    body.push(text(f.left - 8, top + 17, name, 'text-anchor="end"'));
    body.push(text(x(at) + 6, top + 17, `${usd(tier.cost.usdPerYear)}/yr`));
  });
  return svg(f, 'Projected cost per year, per tier', body);
}

const atLeastTwo = (ticks: number[]) => (ticks.length > 1 ? ticks : [ticks[0]!, ticks[0]! * 10]);

/** $/year against daily volume, log-log: how the ratio between tiers moves with volume. */
export function volumeChart(summary: RunSummary): string {
  const f = frame(760, 320);
  const curve = summary.cost.curve;
  const names = tierNames.filter((n) => curve.some((p) => p.usdPerYear[n] !== undefined));
  const costs = curve.flatMap((p) => names.map((n) => p.usdPerYear[n] ?? 0)).filter((v) => v > 0);
  if (curve.length === 0 || costs.length === 0) return svg(f, 'Cost against daily volume', [text(f.left, f.top + 20, 'no cost curve in this run')]);
  // The axis spans the curve and this scenario's volume, and at least two decades, so a curve of
  // one point neither collapses the scale nor leaves the scenario's marker off the canvas.
  const volumes = [...curve.map((p) => p.eventsPerDay), summary.cost.eventsPerDay];
  const xs = atLeastTwo(decades(Math.min(...volumes), Math.max(...volumes)));
  const ys = atLeastTwo(decades(Math.min(...costs), Math.max(...costs)));
  const x = scale(Math.log10(xs[0]!), Math.log10(xs[xs.length - 1]!), f.left, f.width - f.right);
  const y = scale(Math.log10(ys[0]!), Math.log10(ys[ys.length - 1]!), f.height - f.bottom, f.top);
  const body: string[] = [];
  for (const tick of ys) {
    body.push(line(f.left, y(Math.log10(tick)), f.width - f.right, y(Math.log10(tick)), palette.grid!));
    body.push(text(f.left - 6, y(Math.log10(tick)) + 4, usd(tick), 'text-anchor="end"'));
  }
  for (const tick of xs) body.push(text(x(Math.log10(tick)), f.height - f.bottom + 16, tick.toExponential(0).replace('e+', 'e'), 'text-anchor="middle"'));
  for (const name of names) {
    const points = curve.filter((p) => (p.usdPerYear[name] ?? 0) > 0).map((p) => [x(Math.log10(p.eventsPerDay)), y(Math.log10(p.usdPerYear[name]!))] as [number, number]);
    body.push(polyline(points, palette[name]!, `class="series" data-tier="${name}"`));
  }
  const scenarioX = x(Math.log10(summary.cost.eventsPerDay));
  body.push(line(scenarioX, f.top, scenarioX, f.height - f.bottom, '#999', 'stroke-dasharray="3,3"'));
  body.push(text(scenarioX + 4, f.top + 10, 'this scenario'));
  body.push(text(f.left, f.height - 8, 'events per day (log scale)'));
  body.push(...legend(f.left + 10, 14, names.map((n) => [n, palette[n]!])));
  return svg(f, 'Projected $/year against daily volume, log-log', body);
}
