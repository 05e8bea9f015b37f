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
