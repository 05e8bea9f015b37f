import { kafkaClientNames, type KafkaClientName } from '../kafka/driver/types.ts';
import type { MachineEnvironment } from '../services/machine.ts';
import { tierEngines, type TierOptions } from '../tiers/registry.ts';
import { tierNames, type TierName } from '../tiers/types.ts';

/**
 * results/<run-id>/floor.json, from `tierlab floor`: docs/outputs.md. Row names and the
 * fields below are the contract; add fields freely, rename none without a new version.
 */
export const floorSchemaVersion = 1;

/** The rows measured with each Node client (issue 9: one of each per client). */
export type ClientRowName = `${'roundtrip' | 'streaming' | 'streaming-exactly-once' | 'microbatch'}-${KafkaClientName}`;
/** A tier on one of its other engines (issue 20), measured with that engine's own client: `streaming-kafka-streams`. */
export type EngineRowName = `${TierName}-${string}`;
export type FloorRowName = 'kafka-e2e' | 'kafka-producer-perf' | ClientRowName | 'batch-job' | 'duckdb-local' | EngineRowName;

/** Every engine of a tier other than its default (node), as floor can measure it beside the node rows. */
export const engineRows: Array<{ tier: TierName; engine: string; row: EngineRowName }> = tierNames.flatMap((tier) =>
  tierEngines[tier].slice(1).map((engine) => ({ tier, engine, row: `${tier}-${engine}` as const })),
);

/** The rows every floor run measures. */
export const floorRowNames: FloorRowName[] = [
  'kafka-e2e',
  'kafka-producer-perf',
  ...kafkaClientNames.flatMap((client) => [`roundtrip-${client}`, `streaming-${client}`, `streaming-exactly-once-${client}`, `microbatch-${client}`] as const),
  'batch-job',
  'duckdb-local',
];

/** Every name a floor.json row may have: the rows above and the engine rows. */
export const allFloorRowNames: FloorRowName[] = [...floorRowNames, ...engineRows.map((e) => e.row)];

export interface FloorRow {
  name: FloorRowName;
  /** What the row measures, in a few words, and how it differs from the others (loop, resolution). */
  what: string;
  /** closed: one record at a time (Kafka's EndToEndLatency); open: on a schedule at the offered rate. */
  loop: 'open' | 'closed' | 'none';
  /** The unit the row's own tool reports in; Kafka's tools round to whole milliseconds. */
  resolution: 'µs' | 'ms';
  count: number;
  p50Micros: number;
  p99Micros: number;
  p999Micros: number;
  /** Absent where the tool does not report it (Kafka's EndToEndLatency). */
  maxMicros?: number;
  /** CPU of the client's process(es) per event, µs; absent where it was not measured. */
  cpuMicrosPerEvent?: number;
  /** The broker's CPU per event while the row ran, µs (native services only). */
  brokerCpuMicrosPerEvent?: number;
  /** This row's p99 over its floor's (kafka-e2e for the Kafka rows), or p50 over duckdb-local's for batch-job. */
  ratioToFloor?: number;
  /** Micro-batch: what a trigger adds beyond waiting for it (processing + publish), p99. */
  overheadP99Micros?: number;
  /** Set when the row could not be measured: why. */
  error?: string;
}

export interface FloorResult {
  schemaVersion: typeof floorSchemaVersion;
  runId: string;
  startedAt: string;
  /** The offered rate of the open-loop rows, events/s. */
  rate: number;
  durationSec: number;
  /** Record size of Kafka's tools; the tierlab rows carry the dataset's events (their mean size here). */
  recordBytes: number;
  eventBytes: number;
  environment: MachineEnvironment;
  rows: FloorRow[];
}

/** The tiers a floor run measures at the offered rate with a client, and the row each fills. */
export function tierRows(client: KafkaClientName): Array<{ tier: TierName; row: ClientRowName; what: string; overrides?: TierOptions }> {
  return [
    { tier: 'streaming', row: `streaming-${client}`, what: `the streaming tier: consume, update window state, produce results (acks=all); ${client}` },
    {
      tier: 'streaming',
      row: `streaming-exactly-once-${client}`,
      what: `the streaming tier with guarantee exactly-once: results and offsets in one Kafka transaction per commit; ${client}`,
      overrides: { streaming: { guarantee: 'exactly-once' } },
    },
    { tier: 'microbatch', row: `microbatch-${client}`, what: `the micro-batch tier: collect until the trigger, then produce the touched windows; ${client}` },
  ];
}
