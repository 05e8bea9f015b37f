import { kafkaClientNames, type KafkaClientName } from '../kafka/driver/types.ts';
import { floorWarmupTriggers, type FloorBreakdown, type FloorResult, type FloorRow } from './floor.ts';
import { human } from './recommend.ts';

export const floorHeader = ['row', 'loop', 'count', 'p50', 'p99', 'p99.9', 'max', 'CPU/event', 'broker CPU/event', 'x floor', 'overhead p99'];

const micros = (value: number | undefined) => (value === undefined ? '-' : `${value < 10 ? value.toFixed(1) : Math.round(value)} µs`);

export function floorCells(row: FloorRow): string[] {
  if (row.error && row.count === 0) return [row.name, row.loop, '-', '-', '-', '-', '-', '-', '-', '-', `failed: ${row.error}`];
  return [
    row.name,
    `${row.loop}${row.resolution === 'ms' ? ', whole ms' : ''}`,
    row.count.toLocaleString('en-US'),
    row.count ? human(row.p50Micros) : 'no data',
    row.count ? human(row.p99Micros) : 'no data',
    row.count ? human(row.p999Micros) : 'no data',
    row.count ? (row.maxMicros === undefined ? 'not reported' : human(row.maxMicros)) : 'no data',
    micros(row.cpuMicrosPerEvent),
    micros(row.brokerCpuMicrosPerEvent),
    row.ratioToFloor === undefined ? '-' : `${row.ratioToFloor.toFixed(1)}x`,
    row.overheadP99Micros === undefined ? (row.error ? `wrong: ${row.error}` : '') : human(row.overheadP99Micros),
  ];
}

/** What differs between the rows, said under every floor table. */
export function floorNotes(result: FloorResult): string[] {
  return [
    `Kafka's EndToEndLatency is closed loop (one ${result.recordBytes}-byte record at a time) and reports whole milliseconds; the other Kafka rows are open loop at the offered rate, in µs, from each event's scheduled time (${Math.round(result.eventBytes)}-byte events).`,
    "x floor: p99 over kafka-e2e p99 for the rows through Kafka; a tier's own rows against their own reference (batch-job: p50 over duckdb-local p50).",
    ...warmupNote(result.rows),
    ...triggersNote(result.rows),
    ...result.rows.flatMap((row) => (row.breakdownMicros && row.count > 0 ? [breakdownNote(row.name, row.count, row.breakdownMicros)] : [])),
    ...exactlyOnceCosts(result.rows).map(
      (c) =>
        `What exactly-once costs with ${c.client}, measured here beside at-least-once: p50 ${signed(c.p50Micros)}, p99 ${signed(c.p99Micros)}, CPU per event ${c.cpuMicrosPerEvent === undefined ? 'not measured' : `${c.cpuMicrosPerEvent >= 0 ? '+' : '-'}${micros(Math.abs(c.cpuMicrosPerEvent))}`} (one run of each: read it with the run-to-run spread in mind).`,
    ),
  ];
}

/** Rows warmed for longer than the rest (a trigger's tier, for several triggers), so no one reads their overhead as a cold start's. */
function warmupNote(rows: FloorRow[]): string[] {
  const warmed = rows.filter((row) => row.warmupSec !== undefined);
  if (warmed.length === 0) return [];
  return [`Warmed for ${floorWarmupTriggers} of their triggers before measuring, the measured span as long as the other rows': ${warmed.map((row) => `${row.name} ${row.warmupSec} s`).join(', ')}.`];
}

/** How few samples a trigger's overhead p99 is over, so no one reads the worst of five triggers as a p99 of many. */
function triggersNote(rows: FloorRow[]): string[] {
  const counted = rows.filter((row) => row.triggers !== undefined && row.overheadP99Micros !== undefined);
  if (counted.length === 0) return [];
  const counts = [...new Set(counted.map((row) => row.triggers!))];
  const over =
    counts.length === 1
      ? counts[0] === 1
        ? 'the one trigger of its measured span'
        : `the ${counts[0]} triggers of its measured span`
      : `the triggers of its measured span (${counted.map((row) => `${row.name} ${row.triggers}`).join(', ')})`;
  return [
    `overhead p99: a trigger's processing p99 plus its publish p99, over ${over}: with that few, it is the worst trigger of the span, and moves from run to run as that one does.`,
  ];
}

/** Where a row's wall time goes (batch-job), in the job's order; the lab's own scan apart. */
export function breakdownNote(name: string, runs: number, parts: FloorBreakdown): string {
  const shown = [`list ${human(parts.list)}`, `GET ${human(parts.get)}`, `query ${human(parts.query)}`, `PUT ${human(parts.put)}`];
  return `${name}'s wall time by part, each the p50 over its ${runs} runs (so they need not add up to its p50): ${shown.join(', ')}; then the lab's visible-rows scan, ${human(parts.scan)}, after the last PUT and not in its p50.`;
}

/** The terminal table of `tierlab floor`, with what differs between rows said under it. */
export function renderFloorTable(result: FloorResult): string {
  const rows = [floorHeader, ...result.rows.map(floorCells)];
  const widths = floorHeader.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c >= 2 && c <= 9 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  return [
    `floor at ${result.rate.toLocaleString('en-US')} events/s for ${result.durationSec} s (${result.environment.servicesMode} Kafka ${result.environment.kafka.version}, ${result.environment.cpus} CPUs), run ${result.runId}`,
    '',
    ...lines,
    '',
    ...floorNotes(result),
  ].join('\n');
}

function signed(micros: number): string {
  return `${micros >= 0 ? '+' : '-'}${human(Math.abs(micros))}`;
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
