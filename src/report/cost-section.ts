import type { TierName } from '../tiers/types.ts';
import { tiersOf, usd } from './facts.ts';
import type { RunSummary, SensitivityEntry } from '../results/summary.ts';
import { escapeXml as esc, frame, line, rect, scale, svg, text } from './svg.ts';

/*
 * How each tier's cost was built, on the page: the architecture priced, every line with its
 * basis (measured or assumed), the share measured, the variants, the assumptions that move the
 * ratio most (a tornado), where the tiers' costs cross, and the seed's war story as a check.
 */

const percent = (share: number) => `${Math.round(share * 100)}%`;
const volume = (eventsPerDay: number | null) => (eventsPerDay === null ? 'never (1e3–1e13 events/day)' : `${eventsPerDay.toExponential(2)} events/day`);

export const costLinesHeader = ['tier', 'architecture priced', 'line', 'basis', '$/year'];

export function costLineRows(summary: RunSummary): string[][] {
  return tiersOf(summary).flatMap(([name, tier]) => [
    ...tier.cost.lines.map((l) => [name, tier.cost.architecture, l.name, l.basis, usd(l.usdPerYear)]),
    [name, tier.cost.architecture, `total (${percent(tier.cost.measuredShare)} measured)`, '', usd(tier.cost.usdPerYear)],
  ]);
}

export const variantsHeader = ['tier', 'architecture', '$/year', 'measured share'];

export function variantRows(summary: RunSummary): string[][] {
  return summary.cost.variants.map((v) => [v.tier, `${v.title} (${v.architecture})`, usd(v.usdPerYear), percent(v.measuredShare)]);
}

/** The ratio the tornado charts: streaming over micro-batch (the seed's ratio) where both ran, else the dearest tier over the cheapest. */
export function ratioOf(costs: Partial<Record<TierName, number>>): { label: string; value: number } {
  if (costs.streaming !== undefined && costs.microbatch) return { label: 'streaming / micro-batch', value: costs.streaming / costs.microbatch };
  const values = Object.values(costs).filter((v) => v > 0);
  return { label: 'dearest / cheapest tier', value: values.length > 0 ? Math.max(...values) / Math.min(...values) : 0 };
}

export const sensitivityHeader = ['assumption', 'ratio at half', 'ratio at double', 'changes the recommendation'];

/** The assumptions that move the charted ratio most, widest first. */
function widest(summary: RunSummary, top: number): SensitivityEntry[] {
  const swing = (row: SensitivityEntry) => Math.abs(ratioOf(row.high).value - ratioOf(row.low).value);
  return [...summary.cost.sensitivity].sort((a, b) => swing(b) - swing(a)).slice(0, top);
}

export function sensitivityRows(summary: RunSummary, top = 12): string[][] {
  return widest(summary, top).map((row) => [
    row.assumption,
    `${ratioOf(row.low).value.toFixed(2)}x`,
    `${ratioOf(row.high).value.toFixed(2)}x`,
    row.changesRecommendation ? 'YES' : 'no',
  ]);
}

export function breakEvenLines(summary: RunSummary): string[] {
  return summary.cost.breakEven.map(({ tiers: [a, b], eventsPerDay, cheaperBelow, cheaperAbove }) =>
    eventsPerDay === null
      ? `${a} vs ${b}: no crossing; ${cheaperBelow} is cheaper at every volume from 1e3 to 1e13 events/day.`
      : `${a} vs ${b}: costs cross at ${volume(eventsPerDay)}; ${cheaperBelow} is cheaper below, ${cheaperAbove} above.`,
  );
}

/**
 * Which totals rest on a price that could not be re-verified, and how much of each: a cost is
 * linear in a price, so the part billed at it is twice what halving it takes off.
 */
export function unverifiedLines(summary: RunSummary): string[] {
  const base = Object.fromEntries(tiersOf(summary).map(([name, tier]) => [name, tier.cost.usdPerYear]));
  return summary.cost.sensitivity
    .filter((row) => row.assumption.startsWith('price ') && row.assumption.endsWith('(not verified)'))
    .flatMap((row) => {
      const shares = Object.entries(row.low).flatMap(([name, low]) => {
        const total = base[name] ?? 0;
        const part = 2 * (total - low);
        return total > 0 && part > total * 1e-6 ? [`${name} ${percent(part / total)}`] : [];
      });
      const price = row.assumption.replace(/^price /, '').replace(/ \(not verified\)$/, '');
      return shares.length > 0 ? [`${price} (not verified) is ${shares.join(', ')} of the total`] : [];
    });
}

export function warStoryLine(summary: RunSummary): string {
  const story = summary.cost.warStory;
  const verdict = story.verdict === 'reproduced' ? 'Reproduced' : story.verdict === 'refuted' ? 'Refuted' : 'Not reached';
  return `The seed's war story ("streaming at $180k/year vs a batch job at $30k; the over-architect is 6x the micro-batch that was enough"): ${verdict}: ${story.why}.`;
}

/** Each assumption's half-to-double range of the ratio, around today's value: the widest on top. */
export function tornadoChart(summary: RunSummary, top = 12): string {
  const rows = widest(summary, top);
  const base = ratioOf(Object.fromEntries(tiersOf(summary).map(([name, tier]) => [name, tier.cost.usdPerYear])));
  const f = frame(760, 50 + rows.length * 22, 300, 30, 30, 20);
  const values = rows.flatMap((row) => [ratioOf(row.low).value, ratioOf(row.high).value]).concat(base.value);
  const x = scale(Math.min(...values) * 0.95, Math.max(...values) * 1.05, f.left, f.width - f.right);
  const body: string[] = [text(f.left, 16, `${base.label} cost ratio: today ${base.value.toFixed(2)}x; each bar moves one assumption from half (left end) to double`)];
  rows.forEach((row, i) => {
    const y = f.top + i * 22;
    const [low, high] = [ratioOf(row.low).value, ratioOf(row.high).value];
    const colour = row.changesRecommendation ? '#C44E52' : '#4C72B0';
    body.push(rect(Math.min(x(low), x(high)), y, Math.max(1, Math.abs(x(high) - x(low))), 16, colour, `${row.assumption}: ${low.toFixed(2)}x at half, ${high.toFixed(2)}x at double`));
    body.push(text(f.left - 8, y + 12, row.assumption.length > 46 ? `${row.assumption.slice(0, 45)}…` : row.assumption, 'text-anchor="end"'));
  });
  body.push(line(x(base.value), f.top - 4, x(base.value), f.top + rows.length * 22, '#333', 'stroke-dasharray="3 3"'));
  return svg(f, 'Sensitivity of the cost ratio to each assumption', body);
}

export function costSectionMarkdown(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string[] {
  return [
    '## What the cost is built from',
    '',
    table(costLinesHeader, costLineRows(summary)),
    '',
    '"measured": scaled from what this run measured (CPU, bytes, requests, job time per event); "assumed": set by a constant whatever the run measured.',
    '',
    ...unverifiedLines(summary).map((l) => `- ${l}`),
    '',
    '### The same measurement under each architecture',
    '',
    table(variantsHeader, variantRows(summary)),
    '',
    '### Sensitivity: each assumption at half and at double',
    '',
    `The ${ratioOf(summary.cost.sensitivity[0]?.low ?? {}).label} cost ratio, the assumptions that move it most first.`,
    '',
    table(sensitivityHeader, sensitivityRows(summary)),
    '',
    '### Where the costs cross',
    '',
    ...breakEvenLines(summary).map((l) => `- ${l}`),
    '',
    warStoryLine(summary),
    '',
  ];
}

export function costSectionHtml(summary: RunSummary, table: (header: string[], rows: string[][]) => string): string {
  return `<h3>What the cost is built from</h3>
${table(costLinesHeader, costLineRows(summary))}
<p class="muted">“measured”: scaled from what this run measured (CPU, bytes, requests, job time per event); “assumed”: set by a constant whatever the run measured.</p>
<ul>${unverifiedLines(summary).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<h3>The same measurement under each architecture</h3>
${table(variantsHeader, variantRows(summary))}
<h3>Sensitivity: each assumption at half and at double</h3>
<figure>${tornadoChart(summary)}<figcaption>${esc('Red bars change the recommendation somewhere between half and double.')}</figcaption></figure>
<h3>Where the costs cross</h3>
<ul>${breakEvenLines(summary).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<p>${esc(warStoryLine(summary))}</p>`;
}
