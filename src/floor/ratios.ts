import { kafkaClientNames, type KafkaClientName } from '../kafka/driver/types.ts';
import type { FloorRow } from '../results/floor.ts';

/**
 * Each row that goes through Kafka (an open or closed loop) against Kafka's own EndToEndLatency
 * p99. A tier's own rows (no loop: the batch job and its reference) come with the ratio to their
 * own reference already, or none; a row with no floor measured, or no data, gets none.
 */
export function withRatios(rows: FloorRow[]): FloorRow[] {
  const kafka = rows.find((r) => r.name === 'kafka-e2e' && r.count > 0 && !r.error);
  return rows.map((row) => {
    if (row.count === 0 || row.error || row.loop === 'none') return row;
    if (kafka && kafka.p99Micros > 0) return { ...row, ratioToFloor: row.p99Micros / kafka.p99Micros };
    return row;
  });
}

/** What exactly-once adds over at-least-once, per client, where both rows were measured in the same floor run. */
export function exactlyOnceCosts(rows: FloorRow[]): Array<{ client: KafkaClientName; p50Micros: number; p99Micros: number; cpuMicrosPerEvent?: number }> {
  const measured = (name: FloorRow['name']) => rows.find((r) => r.name === name && r.count > 0 && !r.error);
  return kafkaClientNames.flatMap((client) => {
    const atLeastOnce = measured(`streaming-${client}`);
    const exactlyOnce = measured(`streaming-exactly-once-${client}`);
    if (!atLeastOnce || !exactlyOnce) return [];
    const cpu =
      atLeastOnce.cpuMicrosPerEvent !== undefined && exactlyOnce.cpuMicrosPerEvent !== undefined
        ? { cpuMicrosPerEvent: exactlyOnce.cpuMicrosPerEvent - atLeastOnce.cpuMicrosPerEvent }
        : {};
    return [{ client, p50Micros: exactlyOnce.p50Micros - atLeastOnce.p50Micros, p99Micros: exactlyOnce.p99Micros - atLeastOnce.p99Micros, ...cpu }];
  });
}
