import { kafkaClientNames, type KafkaClientName } from '../kafka/driver/types.ts';
import type { FloorRow } from './types.ts';

/**
 * Each row against its floor: the Kafka rows' p99 over Kafka's own EndToEndLatency p99, the
 * batch job's p50 over DuckDB's on local disk. A row with no floor measured, or no data, gets none.
 */
export function withRatios(rows: FloorRow[]): FloorRow[] {
  const find = (name: FloorRow['name']) => rows.find((r) => r.name === name && r.count > 0 && !r.error);
  const kafka = find('kafka-e2e');
  const duckdb = find('duckdb-local');
  return rows.map((row) => {
    if (row.count === 0 || row.error) return row;
    if (row.name === 'batch-job' && duckdb && duckdb.p50Micros > 0) return { ...row, ratioToFloor: row.p50Micros / duckdb.p50Micros };
    const kafkaRow = row.name !== 'batch-job' && row.name !== 'duckdb-local';
    if (kafkaRow && kafka && kafka.p99Micros > 0) return { ...row, ratioToFloor: row.p99Micros / kafka.p99Micros };
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
