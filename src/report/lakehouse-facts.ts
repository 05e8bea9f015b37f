import { lakehouseZoneNames, type LakehouseCounts, type LakehouseSummary, type LakehouseZone } from '../results/lakehouse.ts';
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

/** A zone holding no rows has no event time to be fresh from: "no data", never 0 µs. */
const freshness = (zone: LakehouseZone) => (zone.rows > 0 ? `${human(zone.freshnessP50Micros)} (p99 ${human(zone.freshnessP99Micros)})` : 'no data');

export const zoneHeader = [
  'zone',
  'engine',
  'refresh p50 (query p50s added)',
  'refresh p99 (query p99s added)',
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
  return zonesInOrder(lakehouse).flatMap((zone) =>
    zone.queries.map((q) => [zone.zone, q.name, count(q.runs), human(q.p50Micros), human(q.p99Micros), bytesText(q.bytesScanned), count(q.rows)]),
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
    'Freshness runs from an event’s time to when the zone could answer a query that includes it; the load step is what made the zone’s data queryable (land, curate, load).'
  );
}

/** How each zone's bytes scanned were counted: "raw: upper bound …; curated: …". */
const scanBases = (lakehouse: LakehouseSummary) => zonesInOrder(lakehouse).map((zone) => `${zone.zone}: ${zone.scanBasis}`).join('; ');

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

function balances(c: LakehouseCounts): Balance[] {
  return [
    { check: 'produced = raw lines', expected: c.produced, parts: [c.raw] },
    { check: 'raw = curated + dead-lettered', expected: c.raw, parts: [c.curated, c.deadLettered] },
    { check: 'curated = served + refused by the warehouse', expected: c.curated, parts: [c.served, c.refusedByWarehouse] },
  ];
}

const gap = (b: Balance) => b.expected - b.parts.reduce((sum, part) => sum + part, 0);

function gapText(missing: number): string {
  if (missing === 0) return '✓';
  return missing > 0 ? `✗ ${count(missing)} unaccounted for` : `✗ ${count(-missing)} more than came in`;
}

/** produced = raw, raw = curated + dead-lettered, curated = served + refused: each exactly. */
export const recordsAddUp = (lakehouse: LakehouseSummary) => balances(lakehouse.counts).every((b) => gap(b) === 0);

export const reconciliationHeader = ['check', 'records', 'holds'];

export function reconciliationRows(lakehouse: LakehouseSummary): string[][] {
  return balances(lakehouse.counts).map((b) => [b.check, `${count(b.expected)} = ${b.parts.map(count).join(' + ')}`, gapText(gap(b))]);
}

/**
 * The line under the checks, from the counts themselves. The run's own `reconciled` verdict is
 * shown too where it disagrees with them, rather than one of the two being hidden.
 */
export function reconciliationLine(lakehouse: LakehouseSummary): string {
  const gaps = balances(lakehouse.counts).map(gap);
  const missing = gaps.filter((g) => g > 0).reduce((sum, g) => sum + g, 0);
  const extra = gaps.filter((g) => g < 0).reduce((sum, g) => sum - g, 0);
  const adds = recordsAddUp(lakehouse);
  const line = adds
    ? `Nothing lost: all ${count(lakehouse.counts.produced)} records produced are in a zone, a dead letter or the warehouse's refusals.`
    : [missing > 0 ? `${count(missing)} records unaccounted for` : '', extra > 0 ? `${count(extra)} records more than came in` : '']
        .filter(Boolean)
        .join('; ') + ': the counts do not add up.';
  if (adds === lakehouse.reconciled) return line;
  return `${line} The run itself recorded its records as ${lakehouse.reconciled ? 'reconciled' : 'not reconciled'}.`;
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

/** Which zone refreshes the dashboard fastest, and what it keeps on storage against the smallest zone. */
function fastestSentence(zones: LakehouseZone[]): string {
  const fastest = zones.reduce((best, zone) => (zone.queryP50Micros < best.queryP50Micros ? zone : best));
  const smallest = zones.reduce((best, zone) => (zone.storageBytes < best.storageBytes ? zone : best));
  const others = zones.filter((zone) => zone !== fastest).map((zone) => `${human(zone.queryP50Micros)} in ${zone.zone}`);
  const against = others.length > 0 ? `, against ${others.join(' and ')}` : '';
  const storage =
    smallest === fastest || smallest.storageBytes === fastest.storageBytes
      ? 'the least storage of the zones'
      : smallest.storageBytes > 0
        ? `${(fastest.storageBytes / smallest.storageBytes).toFixed(1)}x the ${bytesText(smallest.storageBytes)} of ${smallest.zone}, the smallest`
        : `against ${bytesText(smallest.storageBytes)} in ${smallest.zone}`;
  return `The ${fastest.zone} zone (${fastest.engine}) refreshes the dashboard fastest, ${human(fastest.queryP50Micros)} at p50${against}; it keeps ${bytesText(fastest.storageBytes)}, ${storage}.`;
}

function freshnessSentence(zones: LakehouseZone[]): string {
  const withData = zones.filter((zone) => zone.rows > 0);
  if (withData.length < 2) return '';
  const soonest = withData.reduce((best, zone) => (zone.freshnessP50Micros < best.freshnessP50Micros ? zone : best));
  const latest = withData.reduce((worst, zone) => (zone.freshnessP50Micros > worst.freshnessP50Micros ? zone : worst));
  return `Data is queryable soonest in ${soonest.zone} (p50 ${human(soonest.freshnessP50Micros)} after its event time) and last in ${latest.zone} (p50 ${human(latest.freshnessP50Micros)}).`;
}

function groundTruthSentence(zones: LakehouseZone[]): string {
  const wrong = zones.filter((zone) => !zone.matchesGroundTruth).map((zone) => zone.zone);
  if (wrong.length === 0) return 'Every zone’s aggregate equals the generator’s ground truth.';
  return `The aggregate in ${wrong.join(' and ')} does NOT equal the generator’s ground truth: a dashboard on ${wrong.length > 1 ? 'those zones' : 'that zone'} would not show what was produced.`;
}

/** Two or three sentences reading the zone table, all computed from it. */
export function lakehouseReading(lakehouse: LakehouseSummary): string {
  const zones = zonesInOrder(lakehouse);
  if (zones.length === 0) return 'No zone was measured in this run.';
  return [fastestSentence(zones), freshnessSentence(zones), groundTruthSentence(zones)].filter(Boolean).join(' ');
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
