import type { SensitivityEntry as SensitivityRow, TierCost } from '../results/summary.ts';
import type { TierName } from '../tiers/types.ts';
import { costRatios, projectCosts, type CostInputs } from './model.ts';

type Costs = Partial<Record<TierName, TierCost>>;

/** One assumption the cost rests on, and how to move it. */
export interface Knob {
  assumption: string;
  /** The inputs with this assumption multiplied by `factor`. */
  scaled(inputs: CostInputs, factor: number): CostInputs;
}

const clampShare = (value: number) => Math.min(1, value);
/** Counts (brokers, replicas, events per record) stay whole numbers of at least one when moved. */
const wholeCounts = new Set(['kafkaBrokersMinimum', 'kafkaReplication', 'eventsPerRecord']);
const moved = (name: string, value: number) => (wholeCounts.has(name) ? Math.max(1, Math.round(value)) : value);

/**
 * Every constant a cost rests on: each price, each assumption of the sheet, each numeric setting
 * of the architectures priced, and the scenario's peak-to-mean rate. Measured inputs (CPU, bytes,
 * requests per event) are not knobs: they were measured.
 */
export function knobsOf(inputs: CostInputs): Knob[] {
  const knobs: Knob[] = [];
  for (const name of Object.keys(inputs.sheet.prices) as Array<keyof CostInputs['sheet']['prices']>) {
    knobs.push({
      assumption: `price ${name}${inputs.sheet.prices[name].verified ? '' : ' (not verified)'}`,
      scaled: (base, factor) => {
        const next = structuredClone(base);
        next.sheet.prices[name].usd *= factor;
        return next;
      },
    });
  }
  for (const [name, value] of Object.entries(inputs.sheet.assumptions)) {
    if (typeof value !== 'number') continue;
    knobs.push({
      assumption: name,
      scaled: (base, factor) => {
        const next = structuredClone(base);
        (next.sheet.assumptions as unknown as Record<string, number>)[name] = moved(name, value * factor);
        return next;
      },
    });
  }
  for (const [tier, architecture] of Object.entries(inputs.architectures) as Array<[TierName, CostInputs['architectures'][TierName]]>) {
    if (!inputs.tiers[tier]) continue;
    architecture.parts.forEach((part, index) => {
      for (const [setting, value] of Object.entries(part)) {
        if (typeof value !== 'number') continue;
        knobs.push({
          assumption: `${architecture.name}: ${part.kind} ${setting}`,
          scaled: (base, factor) => {
            const next = structuredClone(base);
            const scaled = moved(setting, value * factor);
            (next.architectures[tier].parts[index] as unknown as Record<string, number>)[setting] = setting === 'utilisation' ? clampShare(scaled) : scaled;
            return next;
          },
        });
      }
    });
  }
  knobs.push({ assumption: 'peak-to-mean rate', scaled: (base, factor) => ({ ...structuredClone(base), peakToMeanRate: Math.max(1, base.peakToMeanRate * factor) }) });
  return knobs;
}

export type { SensitivityEntry as SensitivityRow } from '../results/summary.ts';

const usdOf = (costs: Costs) => Object.fromEntries(Object.entries(costs).map(([name, cost]) => [name, cost.usdPerYear])) as Partial<Record<TierName, number>>;

/** Each assumption at half and at double, the largest swing first. */
export function sensitivity(inputs: CostInputs, recommendWith: (costs: Costs) => TierName | null): SensitivityRow[] {
  const base = recommendWith(projectCosts(inputs));
  const rows = knobsOf(inputs).map((knob) => {
    const low = projectCosts(knob.scaled(inputs, 0.5));
    const high = projectCosts(knob.scaled(inputs, 2));
    const lowRatios = costRatios(low);
    const highRatios = costRatios(high);
    const ratioSwing = Math.max(0, ...(Object.keys(low) as TierName[]).map((name) => Math.abs((highRatios[name] ?? 0) - (lowRatios[name] ?? 0))));
    return {
      assumption: knob.assumption,
      low: usdOf(low),
      high: usdOf(high),
      ratioSwing,
      changesRecommendation: recommendWith(low) !== base || recommendWith(high) !== base,
    };
  });
  return rows.sort((a, b) => b.ratioSwing - a.ratioSwing || a.assumption.localeCompare(b.assumption));
}

/**
 * The assumption that, at half or double its value, reverses which of two tiers costs less: their
 * costs are then within the uncertainty of the inputs, a tie. Undefined when none does.
 */
export function orderFlip(inputs: CostInputs, a: TierName, b: TierName): { assumption: string; factor: number } | undefined {
  const order = (costs: Costs) => Math.sign((costs[a]?.usdPerYear ?? 0) - (costs[b]?.usdPerYear ?? 0));
  const base = order(projectCosts(inputs));
  for (const knob of knobsOf(inputs)) {
    for (const factor of [0.5, 2]) {
      const moved = order(projectCosts(knob.scaled(inputs, factor)));
      if (moved !== base) return { assumption: knob.assumption, factor };
    }
  }
  return undefined;
}
