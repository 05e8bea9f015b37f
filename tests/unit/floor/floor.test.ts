import { describe, expect, it } from 'vitest';
import { parseFloor } from '../../../src/floor/file.ts';
import { withRatios } from '../../../src/floor/ratios.ts';
import { rowWarmupSec } from '../../../src/floor/tier-rows.ts';
import { exactlyOnceCosts, renderFloorTable } from '../../../src/results/floor-render.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { makeRunSummary } from '../report/summary-builder.ts';
import { floorSchemaVersion, type FloorResult, type FloorRow } from '../../../src/results/floor.ts';

const row = (name: FloorRow['name'], p50Micros: number, p99Micros: number, extra: Partial<FloorRow> = {}): FloorRow => ({
  name,
  what: name,
  loop: 'open',
  resolution: 'µs',
  count: 10_000,
  p50Micros,
  p99Micros,
  p999Micros: p99Micros * 2,
  maxMicros: p99Micros * 3,
  ...extra,
});

const result = (rows: FloorRow[]): FloorResult => ({
  schemaVersion: floorSchemaVersion,
  runId: '20261125-050000-floor-ab12',
  startedAt: '2026-11-25T05:00:00.000Z',
  rate: 10_000,
  durationSec: 30,
  recordBytes: 170,
  eventBytes: 168.4,
  environment: { cpus: 2, cpuModel: 'Xeon', node: 'v24.21.0', servicesMode: 'native', kafka: { version: '4.3.1' } },
  rows,
});

describe('the floor table', () => {
  it('puts each row through Kafka over EndToEndLatency p99, and keeps the ratio a tier gave its own rows (the batch job over DuckDB on local disk)', () => {
    const rows = withRatios([
      row('kafka-e2e', 1_000, 8_000, { loop: 'closed', resolution: 'ms' }),
      row('streaming-kafkajs', 3_000, 12_000),
      row('duckdb-local', 200_000, 250_000, { loop: 'none' }),
      row('batch-job', 500_000, 700_000, { loop: 'none', ratioToFloor: 2.5 }),
    ]);
    expect(rows.map((r) => r.ratioToFloor)).toEqual([1, 1.5, undefined, 2.5]);
  });

  it('gives no ratio where the floor or the row has no data, or failed', () => {
    const rows = withRatios([
      row('kafka-e2e', 0, 0, { count: 0, error: 'java not found' }),
      row('streaming-kafkajs', 3_000, 12_000),
      row('batch-job', 500_000, 700_000, { count: 0 }),
    ]);
    expect(rows.map((r) => r.ratioToFloor)).toEqual([undefined, undefined, undefined]);
  });

  it('says what differs between rows, and shows a failed row as failed', () => {
    const table = renderFloorTable(
      result(withRatios([row('kafka-e2e', 1_000, 8_000, { loop: 'closed', resolution: 'ms' }), row('roundtrip-kafkajs', 0, 0, { count: 0, error: 'boom' })])),
    );
    expect(table).toContain('closed, whole ms');
    expect(table).toContain("Kafka's EndToEndLatency is closed loop");
    expect(table).toContain('failed: boom');
  });

  it('says what exactly-once adds over at-least-once, per client, only where both were measured', () => {
    const rows = [
      row('streaming-platformatic', 3_000, 12_000, { cpuMicrosPerEvent: 40 }),
      row('streaming-exactly-once-platformatic', 9_000, 30_500, { cpuMicrosPerEvent: 55.5 }),
      row('streaming-kafkajs', 3_000, 12_000),
      row('streaming-exactly-once-kafkajs', 0, 0, { count: 0, error: 'fenced' }),
    ];
    expect(exactlyOnceCosts(rows)).toEqual([{ client: 'platformatic', p50Micros: 6_000, p99Micros: 18_500, cpuMicrosPerEvent: 15.5 }]);
    expect(renderFloorTable(result(withRatios(rows)))).toContain(
      'What exactly-once costs with platformatic, measured here beside at-least-once: p50 +6.00 ms, p99 +18.5 ms, CPU per event +16 µs (one run of each',
    );
  });

  it("says where the batch job's wall time goes when its row carries the breakdown, and only then", () => {
    const breakdownMicros = { list: 8_500, get: 155_300, query: 95_800, scan: 106_600, put: 6_300 };
    const rows = [row('duckdb-local', 30_000, 60_000, { loop: 'none', count: 5 }), row('batch-job', 400_000, 450_000, { loop: 'none', count: 5, breakdownMicros })];
    expect(renderFloorTable(result(rows))).toContain(
      "batch-job's wall time by part, each the p50 over its 5 runs (so they need not add up to its p50): list 8.50 ms, GET 155 ms, query 95.8 ms, PUT 6.30 ms; then the lab's visible-rows scan, 107 ms, after the last PUT and not in its p50.",
    );
    expect(renderFloorTable(result([rows[0]!, { ...rows[1]!, breakdownMicros: undefined }]))).not.toContain('wall time by part');
  });

  it('reads the batch breakdown from floor.json, and refuses one missing a part', () => {
    const good = result([row('batch-job', 400_000, 450_000, { loop: 'none', breakdownMicros: { list: 1, get: 2, query: 3, scan: 4, put: 5 } })]);
    expect(parseFloor(JSON.stringify(good), 'floor.json').rows[0]!.breakdownMicros).toEqual({ list: 1, get: 2, query: 3, scan: 4, put: 5 });
    const bad = structuredClone(good) as unknown as { rows: Array<{ breakdownMicros: Record<string, number> }> };
    delete bad.rows[0]!.breakdownMicros.scan;
    expect(() => parseFloor(JSON.stringify(bad), 'floor.json')).toThrow(/rows\/0\/breakdownMicros must have required property 'scan'/);
  });

  it('warms a tier that holds events for three of its triggers, and any other for the floor warm-up', () => {
    expect(rowWarmupSec(5, 0)).toBe(5);
    expect(rowWarmupSec(5, 1_000)).toBe(5);
    expect(rowWarmupSec(5, 5_000)).toBe(15);
    const warmed = result([row('microbatch-platformatic', 2_600_000, 5_050_000, { overheadP99Micros: 30_000, warmupSec: 15 })]);
    expect(parseFloor(JSON.stringify(warmed), 'floor.json').rows[0]!.warmupSec).toBe(15);
    expect(renderFloorTable(warmed)).toContain('Warmed for 3 of their triggers before measuring, the measured span as long as the other rows\': microbatch-platformatic 15 s.');
  });

  it('says how many triggers a micro-batch overhead p99 is over', () => {
    const one = result([row('microbatch-platformatic', 2_600_000, 5_050_000, { overheadP99Micros: 30_000, triggers: 6 }), row('microbatch-kafkajs', 2_600_000, 5_050_000, { overheadP99Micros: 41_000, triggers: 6 })]);
    expect(renderFloorTable(one)).toContain("overhead p99: a trigger's processing p99 plus its publish p99, over the 6 triggers of its measured span: with that few, it is the worst trigger");
    const two = result([row('microbatch-platformatic', 2_600_000, 5_050_000, { overheadP99Micros: 30_000, triggers: 6 }), row('microbatch-spark', 2_600_000, 5_050_000, { overheadP99Micros: 900_000, triggers: 3 })]);
    expect(renderFloorTable(two)).toContain('over the triggers of its measured span (microbatch-platformatic 6, microbatch-spark 3)');
    const single = result([row('microbatch-platformatic', 2_600_000, 5_050_000, { overheadP99Micros: 30_000, triggers: 1 })]);
    expect(renderFloorTable(single)).toContain('over the one trigger of its measured span:');
    expect(renderFloorTable(result([row('streaming-kafkajs', 3_000, 12_000)]))).not.toContain('overhead p99:');
  });

  it('reads floor.json through its schema, naming a bad field', () => {
    const good = result([row('microbatch-kafkajs', 2_600_000, 5_050_000, { overheadP99Micros: 40_000, triggers: 6 })]);
    expect(parseFloor(JSON.stringify(good), 'floor.json').rows[0]!.overheadP99Micros).toBe(40_000);
    const fractional = structuredClone(good) as unknown as { rows: Array<Record<string, unknown>> };
    fractional.rows[0]!.triggers = 6.5;
    expect(() => parseFloor(JSON.stringify(fractional), 'floor.json')).toThrow('floor.json: /rows/0/triggers must be integer');
    const bad = structuredClone(good) as unknown as { rows: Array<Record<string, unknown>> };
    bad.rows[0]!.name = 'streaming-rdkafka';
    expect(() => parseFloor(JSON.stringify(bad), 'floor.json')).toThrow('floor.json: /rows/0/name must be equal to one of the allowed values (got "streaming-rdkafka")');
  });

  it('adds its table to both report pages when a floor result is given', () => {
    const floor = result(withRatios([row('kafka-e2e', 1_000, 8_000, { loop: 'closed', resolution: 'ms' }), row('streaming-kafkajs', 3_000, 12_000)]));
    for (const page of [renderHtml(makeRunSummary(), { floor }), renderMarkdown(makeRunSummary(), { floor })]) {
      expect(page).toContain('The floor: what this broker and DuckDB allow (10,000 events/s');
      expect(page).toContain('streaming-kafkajs');
      expect(page).toContain('1.5x');
    }
    expect(renderHtml(makeRunSummary())).not.toContain('The floor:');
  });
});
