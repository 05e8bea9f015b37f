import { kafkaClientNames, type KafkaClientName } from '../kafka/driver/types.ts';
import { floorRowsAtRate, ownFloorRowNames, tierEngines, type TierOptions } from '../tiers/registry.ts';
import { tierNames, type TierName } from '../tiers/types.ts';

/** The rows measured with each Node client (issue 9: one of each per client): the bare round trip and each tier's rows at the offered rate. */
export type ClientRowName = `${string}-${KafkaClientName}`;
/** A tier on one of its other engines (issue 20), measured with that engine's own client: `streaming-kafka-streams`. */
export type EngineRowName = `${TierName}-${string}`;
/** A tier's own rows (its descriptor names them): the batch job and its reference, DuckDB on local disk. */
export type OwnRowName = string;
export type FloorRowName = 'kafka-e2e' | 'kafka-producer-perf' | ClientRowName | EngineRowName | OwnRowName;

/**
 * Every engine of a tier other than its default (node), as floor can measure it beside the node
 * rows: the tiers the floor runs at the offered rate (a batch job's floor is its own rows).
 */
export const engineRows: Array<{ tier: TierName; engine: string; row: EngineRowName }> = tierNames
  .filter((tier) => floorRowsAtRate.some((row) => row.tier === tier))
  .flatMap((tier) => tierEngines[tier].slice(1).map((engine) => ({ tier, engine, row: `${tier}-${engine}` as const })));

/** The rows every floor run measures. */
export const floorRowNames: FloorRowName[] = [
  'kafka-e2e',
  'kafka-producer-perf',
  ...kafkaClientNames.flatMap((client) => [`roundtrip-${client}` as const, ...tierRows(client).map((t) => t.row)]),
  ...ownFloorRowNames,
];

/** Every name a floor.json row may have: the rows above and the engine rows. */
export const allFloorRowNames: FloorRowName[] = [...floorRowNames, ...engineRows.map((e) => e.row)];

/** The tiers a floor run measures at the offered rate with a client, and the row each fills (each tier's descriptor says which). */
export function tierRows(client: KafkaClientName): Array<{ tier: TierName; row: ClientRowName; what: string; overrides?: TierOptions; inProcess?: boolean }> {
  return floorRowsAtRate.map(({ tier, row, what, overrides, inProcess }) => ({
    tier,
    row: `${row}-${client}` as const,
    what: `${what}; ${client}`,
    ...(overrides ? { overrides } : {}),
    ...(inProcess ? { inProcess } : {}),
  }));
}
