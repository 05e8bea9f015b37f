import { lakehouseZoneNames, type LakehouseCounts, type LakehouseStep, type LakehouseSummary, type LakehouseZone } from '../results/lakehouse.ts';
import { human } from '../results/recommend.ts';
import type { RunSummary } from '../results/summary.ts';

/*
 * The "Lake, lakehouse, warehouse" section's rows and sentences, formatted once for both pages
 * (lakehouse-section.ts renders them). Every sentence is worked out from summary.json's
 * `lakehouse` section: which zone is fastest or smallest is whatever the run measured.
 */

const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** Bytes in binary units, three significant figures: storage and scans span bytes to gigabytes. */
export function bytesText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

/** The zones in the order the data flows, whatever order the summary lists them in. */
export function zonesInOrder(lakehouse: LakehouseSummary): LakehouseZone[] {
  return [...lakehouse.zones].sort((a, b) => lakehouseZoneNames.indexOf(a.zone) - lakehouseZoneNames.indexOf(b.zone));
}

const zoneLabel = (zone: LakehouseZone) => `${zone.zone} (${zone.engine})`;

/**
 * A zone's name, with its engine where the zone has several rows (the served zone can have two
 * warehouses): "served" alone would not say which one a figure is of.
 */
export function zoneNamer(lakehouse: LakehouseSummary): (zone: LakehouseZone) => string {
  const rowsOf = (name: string) => lakehouse.zones.filter((zone) => zone.zone === name).length;
  return (zone) => (rowsOf(zone.zone) > 1 ? zoneLabel(zone) : zone.zone);
}

/** The warehouse the counts and the load step are of: the first served row (PostgreSQL in a lab run). */
export const firstWarehouse = (lakehouse: LakehouseSummary) => zonesInOrder(lakehouse).find((zone) => zone.zone === 'served');

/** ≈ marks a refresh whose engine's CPU could not be read: its wall time stands in (zoneNote says so). */
const refreshCpu = (zone: LakehouseZone) => (zone.cpuBasis === 'assumed' ? `≈ ${human(zone.refreshCpuMicros)}` : human(zone.refreshCpuMicros));

/** A zone holding no rows has no event time to be fresh from: "no data", never 0 µs. */
const freshness = (zone: LakehouseZone) => (zone.rows > 0 ? `${human(zone.freshnessP50Micros)} (p99 ${human(zone.freshnessP99Micros)})` : 'no data');

export const zoneHeader = [
  'zone',
  'engine',
  'refresh p50 (query p50s added)',
  'refresh p99 (query p99s added)',
  'CPU per refresh',
  'bytes scanned',
  'storage',
  'freshness p50 (p99)',
  'load step p50 (runs)',
  'rows (raw: lines)',
  'aggregate = ground truth',
];

export function zoneRows(lakehouse: LakehouseSummary): string[][] {
  return zonesInOrder(lakehouse).map((zone) => [
    zone.zone,
    zone.engine,
    human(zone.queryP50Micros),
    human(zone.queryP99Micros),
    refreshCpu(zone),
    bytesText(zone.bytesScanned),
    bytesText(zone.storageBytes),
    freshness(zone),
    zone.loadRuns > 0 ? `${human(zone.loadP50Micros)} (${count(zone.loadRuns)} runs)` : 'not run',
    count(zone.rows),
    zone.matchesGroundTruth ? 'yes' : 'NO',
  ]);
}

export const queryHeader = ['zone', 'query', 'timed runs', 'p50', 'p99', 'bytes scanned', 'rows returned'];

export function queryRows(lakehouse: LakehouseSummary): string[][] {
  const name = zoneNamer(lakehouse);
  return zonesInOrder(lakehouse).flatMap((zone) =>
    zone.queries.map((q) => [name(zone), q.name, count(q.runs), human(q.p50Micros), human(q.p99Micros), bytesText(q.bytesScanned), count(q.rows)]),
  );
}

/** "20" when every query had as many timed runs, "12–20" when they differ. */
function runsText(runs: number[]): string {
  const [fewest, most] = [Math.min(...runs), Math.max(...runs)];
  return fewest === most ? count(most) : `${count(fewest)}–${count(most)}`;
}

/** What the zone table's columns mean: a refresh is the queries one after another, each timed after warm-up. */
export function zoneNote(lakehouse: LakehouseSummary): string {
  const queries = lakehouse.zones.flatMap((zone) => zone.queries);
  if (queries.length === 0) return 'No dashboard query was timed in this run.';
  const names = [...new Set(queries.map((q) => q.name))];
  const timed = ` Each query was timed over ${runsText(queries.map((q) => q.runs))} runs after untimed warm-up runs.`;
  return (
    `A dashboard refresh is the ${names.length} queries (${names.join(', ')}) run one after another: its p50 is their p50s added, ` +
    `its p99 their p99s added, which usually overstates a refresh’s own p99, since the slowest runs of each query seldom coincide.${timed} ` +
    `Bytes scanned are the queries’ reads added, counted as each engine allows (${scanBases(lakehouse)}), so compare them across zones with that in mind. ` +
    'Freshness runs from an event’s time to when the zone could answer a query that includes it; the load step is what made the zone’s data queryable (land, curate, load). ' +
    cpuNote(lakehouse)
  );
}

/** What CPU per refresh counts, and which zones' figures are wall time standing in for it. */
function cpuNote(lakehouse: LakehouseSummary): string {
  const name = zoneNamer(lakehouse);
  const assumed = zonesInOrder(lakehouse).filter((zone) => zone.cpuBasis === 'assumed').map(name);
  const measured = 'CPU per refresh is what the zone’s engine spent on one refresh: the server’s or the JVM’s processes, or this process for an embedded DuckDB.';
  if (assumed.length === 0) return measured;
  return `${measured} ≈ marks ${assumed.join(' and ')}: the engine’s process could not be read, so the refresh’s wall time stands in (one core busy throughout).`;
}

/** How each zone's bytes scanned were counted: "raw: upper bound …; curated: …". */
function scanBases(lakehouse: LakehouseSummary): string {
  const name = zoneNamer(lakehouse);
  return zonesInOrder(lakehouse).map((zone) => `${name(zone)}: ${zone.scanBasis}`).join('; ');
}

export const stepHeader = ['step', 'runs', 'wall (runs added)', 'CPU (runs added)', 'rows', 'wall per row', 'CPU per row'];

export function stepRows(lakehouse: LakehouseSummary): string[][] {
  const engine = (zone: string) => zonesInOrder(lakehouse).find((z) => z.zone === zone)?.engine ?? 'not measured';
  const row = (label: string, step: LakehouseStep) => {
    if (step.runs === 0) return [label, '0', 'not run', '-', '-', '-', '-'];
    // No run takes no CPU: 0 means no meter could read the engine's processes.
    const cpu = step.cpuMicros > 0 ? human(step.cpuMicros) : 'not read';
    const perRow = (micros: number) => (step.rows > 0 ? human(micros / step.rows) : '-');
    return [label, count(step.runs), human(step.wallMicros), cpu, count(step.rows), perRow(step.wallMicros), step.cpuMicros > 0 ? perRow(step.cpuMicros) : '-'];
  };
  return [row(`curate: raw into curated (${engine('curated')})`, lakehouse.steps.curate), row(`load: curated into served (${engine('served')})`, lakehouse.steps.load)];
}

export function stepNote(lakehouse: LakehouseSummary): string {
  const warehouse = firstWarehouse(lakehouse)?.engine ?? 'the first warehouse';
  return (
    'Each run of the scheduled step curates what landed since the last run into the Iceberg table, then loads what that commit added into each warehouse. ' +
    `Curate: its wall time and the CPU of the Iceberg engine’s processes; rows are the raw lines it took (curated and dead-lettered). Load: into ${warehouse} only, its wall time and the CPU of this process and the server; ` +
    'rows are the curated rows it was given (loaded and refused). The cost below projects these figures per row to the daily volume.'
  );
}

/** The zones in the order the data flows, for the drift table's verdicts and reasons. */
export const driftHeader = ['case', 'records', ...lakehouseZoneNames, 'reason given'];

export function driftRows(lakehouse: LakehouseSummary): string[][] {
  return lakehouse.drift.map((d) => {
    const reasons = Object.entries(d.reasons).sort(([a], [b]) => zoneIndex(a) - zoneIndex(b));
    return [d.case, count(d.records), d.raw, d.curated, d.served, reasons.length > 0 ? reasons.map(([zone, why]) => `${zone}: ${why}`).join('; ') : '-'];
  });
}

/** Reasons keyed by a zone this report does not know sort last, not first. */
const zoneIndex = (zone: string) => {
  const at = lakehouseZoneNames.indexOf(zone as (typeof lakehouseZoneNames)[number]);
  return at === -1 ? lakehouseZoneNames.length : at;
};

/** How each zone met the drift cases, counted: "raw accepted 4; curated evolved 1, rejected 3; …". */
export function driftNote(lakehouse: LakehouseSummary): string {
  if (lakehouse.drift.length === 0) return 'No drift case was generated in this run.';
  const perZone = lakehouseZoneNames.map((zone) => {
    const verdicts = new Map<string, number>();
    for (const d of lakehouse.drift) verdicts.set(d[zone], (verdicts.get(d[zone]) ?? 0) + 1);
    return `${zone} ${[...verdicts].map(([verdict, n]) => `${verdict} ${n}`).join(', ')}`;
  });
  return `Of the ${lakehouse.drift.length} drift cases: ${perZone.join('; ')}. Accepted: kept as it came; evolved: the zone changed its schema to keep it; rejected: refused, with the reason the zone gave.`;
}

/** One conservation check: `expected` records came in, `parts` account for them. */
interface Balance {
  check: string;
  expected: number;
  parts: number[];
}

function balances(lakehouse: LakehouseSummary): Balance[] {
  const c: LakehouseCounts = lakehouse.counts;
  const warehouse = firstWarehouse(lakehouse);
  return [
    { check: 'produced = raw lines', expected: c.produced, parts: [c.raw] },
    { check: 'raw = curated + dead-lettered', expected: c.raw, parts: [c.curated, c.deadLettered] },
    { check: `curated = served + refused by the warehouse${warehouse ? ` (${warehouse.engine})` : ''}`, expected: c.curated, parts: [c.served, c.refusedByWarehouse] },
  ];
}

const gap = (b: Balance) => b.expected - b.parts.reduce((sum, part) => sum + part, 0);

function gapText(missing: number): string {
  if (missing === 0) return '✓';
  return missing > 0 ? `✗ ${count(missing)} unaccounted for` : `✗ ${count(-missing)} more than came in`;
}

/** produced = raw, raw = curated + dead-lettered, curated = served + refused: each exactly. */
export const recordsAddUp = (lakehouse: LakehouseSummary) => balances(lakehouse).every((b) => gap(b) === 0);

export const reconciliationHeader = ['check', 'records', 'holds'];

export function reconciliationRows(lakehouse: LakehouseSummary): string[][] {
  return balances(lakehouse).map((b) => [b.check, `${count(b.expected)} = ${b.parts.map(count).join(' + ')}`, gapText(gap(b))]);
}

/**
 * The line under the checks, from the counts themselves. The run's own `reconciled` verdict is
 * shown too where it disagrees with them, rather than one of the two being hidden.
 */
export function reconciliationLine(lakehouse: LakehouseSummary): string {
  const gaps = balances(lakehouse).map(gap);
  const missing = gaps.filter((g) => g > 0).reduce((sum, g) => sum + g, 0);
  const extra = gaps.filter((g) => g < 0).reduce((sum, g) => sum - g, 0);
  const adds = recordsAddUp(lakehouse);
  const line = adds
    ? `Nothing lost: all ${count(lakehouse.counts.produced)} records produced are in a zone, a dead letter or the warehouse's refusals.`
    : [missing > 0 ? `${count(missing)} records unaccounted for` : '', extra > 0 ? `${count(extra)} records more than came in` : '']
        .filter(Boolean)
        .join('; ') + ': the counts do not add up.';
  const verdict = adds === lakehouse.reconciled ? '' : ` The run itself recorded its records as ${lakehouse.reconciled ? 'reconciled' : 'not reconciled'}.`;
  return `${line}${verdict}${otherWarehouses(lakehouse)}`;
}

/**
 * The counts are the first warehouse's; any other warehouse loaded the same commits, so its rows
 * are set beside them here rather than left unchecked.
 */
function otherWarehouses(lakehouse: LakehouseSummary): string {
  const [first, ...others] = zonesInOrder(lakehouse).filter((zone) => zone.zone === 'served');
  if (!first || others.length === 0) return '';
  const served = lakehouse.counts.served;
  const against = (rows: number) => (rows === served ? 'as many' : rows < served ? `${count(served - rows)} fewer` : `${count(rows - served)} more`);
  return ` The served counts are ${first.engine}'s; ${others.map((zone) => `${zone.engine} holds ${count(zone.rows)} rows, ${against(zone.rows)}`).join('; ')}.`;
}

export const swampHeader = ['sign of a swamp, in the raw zone', 'count'];

export function swampRows(lakehouse: LakehouseSummary): string[][] {
  const s = lakehouse.swamp;
  const fields = s.undocumentedFields.length > 0 ? s.undocumentedFields.map((f) => [`undocumented field ${f.field}`, `${count(f.lines)} lines`]) : [['undocumented fields', 'none']];
  return [...fields, ['duplicate lines', count(s.duplicateLines)], ['unparseable lines', count(s.unparseableLines)], ['files without a schema', count(s.filesWithoutSchema)]];
}

export function swampNote(lakehouse: LakehouseSummary): string {
  const s = lakehouse.swamp;
  const lines = s.undocumentedFields.reduce((sum, f) => sum + f.lines, 0);
  return (
    `Whoever reads the raw zone has to find out for themselves what ${count(s.undocumentedFields.length)} undocumented fields (on ${count(lines)} lines) mean, ` +
    `skip ${count(s.unparseableLines)} lines that are not JSON objects, drop ${count(s.duplicateLines)} duplicate lines, and guess the schema of ${count(s.filesWithoutSchema)} files no catalog describes: ` +
    'the work schema on read leaves to every reader, and curation does once.'
  );
}

/** "a", "a and b", "a, b and c". */
const listText = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? ''));

type Namer = (zone: LakehouseZone) => string;

/** Which zone refreshes the dashboard fastest, and what it keeps on storage against the smallest zone. */
function fastestSentence(zones: LakehouseZone[], name: Namer): string {
  const fastest = zones.reduce((best, zone) => (zone.queryP50Micros < best.queryP50Micros ? zone : best));
  const smallest = zones.reduce((best, zone) => (zone.storageBytes < best.storageBytes ? zone : best));
  const others = zones.filter((zone) => zone !== fastest).map((zone) => `${human(zone.queryP50Micros)} in ${name(zone)}`);
  const against = others.length > 0 ? `, against ${listText(others)}` : '';
  const storage =
    smallest === fastest || smallest.storageBytes === fastest.storageBytes
      ? 'the least storage of the zones'
      : smallest.storageBytes > 0
        ? `${(fastest.storageBytes / smallest.storageBytes).toFixed(1)}x the ${bytesText(smallest.storageBytes)} of ${name(smallest)}, the smallest`
        : `against ${bytesText(smallest.storageBytes)} in ${name(smallest)}`;
  return `The ${fastest.zone} zone (${fastest.engine}) refreshes the dashboard fastest, ${human(fastest.queryP50Micros)} at p50${against}; it keeps ${bytesText(fastest.storageBytes)}, ${storage}.`;
}

function freshnessSentence(zones: LakehouseZone[], name: Namer): string {
  const withData = zones.filter((zone) => zone.rows > 0);
  if (withData.length < 2) return '';
  const soonest = withData.reduce((best, zone) => (zone.freshnessP50Micros < best.freshnessP50Micros ? zone : best));
  const latest = withData.reduce((worst, zone) => (zone.freshnessP50Micros > worst.freshnessP50Micros ? zone : worst));
  return `Data is queryable soonest in ${name(soonest)} (p50 ${human(soonest.freshnessP50Micros)} after its event time) and last in ${name(latest)} (p50 ${human(latest.freshnessP50Micros)}).`;
}

function groundTruthSentence(zones: LakehouseZone[], name: Namer): string {
  const wrong = zones.filter((zone) => !zone.matchesGroundTruth).map(name);
  if (wrong.length === 0) return 'Every zone’s aggregate equals the generator’s ground truth.';
  return `The aggregate in ${listText(wrong)} does NOT equal the generator’s ground truth: a dashboard on ${wrong.length > 1 ? 'those zones' : 'that zone'} would not show what was produced.`;
}

/** Two or three sentences reading the zone table, all computed from it. */
export function lakehouseReading(lakehouse: LakehouseSummary): string {
  const zones = zonesInOrder(lakehouse);
  if (zones.length === 0) return 'No zone was measured in this run.';
  const name = zoneNamer(lakehouse);
  return [fastestSentence(zones, name), freshnessSentence(zones, name), groundTruthSentence(zones, name)].filter(Boolean).join(' ');
}

/** What the zones were measured on, from the run's environment: the figures belong to that machine. */
export function lakehouseMeasuredOn(summary: RunSummary): string {
  const e = summary.environment;
  const engines = zonesInOrder(summary.lakehouse!).map(zoneLabel);
  return (
    `Measured on ${e.cpus} × ${e.cpuModel}, ${(e.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${e.os}; ${e.servicesMode} services, the lake on ${e.s3.server} ${e.s3.version}` +
    `${engines.length > 0 ? `; zones served by ${engines.join(', ')}` : ''}; run ${summary.runId}${summary.scenario.quick ? ' (quick)' : ''}.`
  );
}
