import type { LakehouseCostSummary, LakehouseStep, LakehouseSummary } from '../results/lakehouse.ts';
import { usd } from './facts.ts';
import { firstWarehouse, zonesInOrder } from './lakehouse-facts.ts';

/*
 * The lakehouse section's $/year: each option's total and lines, and the assumptions, as
 * summary.json's `lakehouse.cost` has them (src/cost/lakehouse.ts projects them). Which option is
 * cheapest, and by how much, is whatever the run's figures made it.
 */

type Cost = LakehouseCostSummary;
type Option = Cost['options'][number];

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (share: number) => `${Math.round(share * 100)}%`;
/** A ratio to the cheapest: "1.0x" for the cheapest itself, "2,603x" far from it, "-" when the cheapest costs nothing. */
function times(value: number, cheapest: number): string {
  if (!(cheapest > 0)) return '-';
  const ratio = value / cheapest;
  return ratio < 100 ? `${ratio.toFixed(1)}x` : `${count(ratio)}x`;
}

const cheapestOf = (options: Option[]) => options.reduce((best, option) => (option.usdPerYear < best.usdPerYear ? option : best));

export const costOptionHeader = (cost: Cost) => [
  'option',
  'what is priced',
  `$/year at ${count(cost.eventsPerDay)} events/day, ${count(cost.refreshesPerDay)} refreshes/day`,
  'measured share',
  'against the cheapest',
];

export function costOptionRows(cost: Cost): string[][] {
  if (cost.options.length === 0) return [];
  const cheapest = cheapestOf(cost.options).usdPerYear;
  return cost.options.map((o) => [o.option, o.title, usd(o.usdPerYear), percent(o.measuredShare), times(o.usdPerYear, cheapest)]);
}

export const costLineHeader = ['option', 'line', 'basis', '$/year'];

export function costLineRows(cost: Cost): string[][] {
  return cost.options.flatMap((o) => o.lines.map((line) => [o.option, line.name, line.basis, usd(line.usdPerYear)]));
}

/** The cheapest option and how far the dearest is from it, from the totals. */
export function costReading(cost: Cost): string {
  if (cost.options.length === 0) return 'No option was priced.';
  const volume = `At ${count(cost.eventsPerDay)} events and ${count(cost.refreshesPerDay)} dashboard refreshes a day`;
  const cheapest = cheapestOf(cost.options);
  const dearest = cost.options.reduce((worst, option) => (option.usdPerYear > worst.usdPerYear ? option : worst));
  const first = `${volume}, the cheapest option is ${cheapest.option} at ${usd(cheapest.usdPerYear)}/year`;
  if (dearest.usdPerYear === cheapest.usdPerYear) return `${first}; every option costs the same.`;
  const spread = cheapest.usdPerYear > 0 ? `${times(dearest.usdPerYear, cheapest.usdPerYear)} the cheapest` : `against nothing for ${cheapest.option}`;
  return `${first}; the dearest, ${dearest.option}, is ${spread} (${usd(dearest.usdPerYear)}/year).`;
}

const notVerified = /\bread [^;]+; NOT verified\b/;

/**
 * The prices and terms the sheet does not mark verified, by the name their assumption starts
 * with (lakehouseAssumptions() writes "name: figure unit (source, read day; NOT verified: …)"): a reader should know
 * before quoting a total which figures are believed rather than read.
 */
export function unverifiedNames(cost: Cost): string[] {
  return cost.assumptions.filter((a) => notVerified.test(a)).map((a) => a.split(':')[0]!);
}

/** What the totals rest on: measured share, which warehouse was measured, the unverified prices. */
/** `assumptionsAt`: where the reader finds the assumptions (the section lists them below; README points at the run's report). */
export function costNote(lakehouse: LakehouseSummary, cost: Cost, assumptionsAt = 'in the assumptions below'): string {
  const served = zonesInOrder(lakehouse).filter((zone) => zone.zone === 'served');
  const warehouse = firstWarehouse(lakehouse);
  const which =
    served.length > 1 && warehouse
      ? ` The warehouse options are projected from ${warehouse.engine}’s measurements, the first warehouse, and the self-run option runs it.`
      : '';
  const unverified = unverifiedNames(cost);
  const doubt =
    unverified.length > 0
      ? ` Prices and terms NOT verified (believed, not read on the sheet's day; marked so ${assumptionsAt}): ${unverified.join(', ')}; a total that uses one carries that doubt.`
      : ` Every price and term used is marked verified ${assumptionsAt}.`;
  return (
    'Measured share: the dollars of lines that scale with what this run measured (bytes per row, bytes scanned, seconds per refresh or per row); ' +
    `the rest is set by a minimum or an assumption.${which}${doubt}`
  );
}

/**
 * Why a run has no cost, as src/lakehouse/cost.ts decides it: the projection scales every figure
 * per row, so a zone or step that held none leaves nothing to scale.
 */
export function noCostLine(lakehouse: LakehouseSummary): string {
  const zones = zonesInOrder(lakehouse);
  const empty = (['raw', 'curated', 'served'] as const).flatMap((name) => {
    const zone = zones.find((z) => z.zone === name);
    if (!zone) return [`no ${name} zone was measured`];
    return zone.rows > 0 ? [] : [`the ${name} zone (${zone.engine}) held no rows`];
  });
  const steps = Object.entries(lakehouse.steps) as Array<[string, LakehouseStep]>;
  const idle = steps.filter(([, step]) => step.rows === 0).map(([name]) => `the ${name} step took no rows`);
  const why = [...empty, ...idle];
  return why.length > 0 ? `No cost: ${why.join(', ')}, so there was nothing to project per row.` : 'No cost was projected in this run.';
}
