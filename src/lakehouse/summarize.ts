import type { Histogram } from 'hdr-histogram-js';
import type { DatasetProfile, DriftSpec } from '../events/index.ts';
import type { ExpectedResult } from '../harness/generator/ground-truth.ts';
import { latencyStats } from '../metrics/histogram.ts';
import type { DriftVerdict, LakehouseDrift, LakehouseSummary, LakehouseZone } from '../results/lakehouse.ts';
import type { CurateServeState, ServedState } from './curate-serve.ts';
import type { RawLanderStats } from './raw-lander.ts';
import { nearestRank, refreshFigures } from './zone-queries.ts';
import type { AskedZones, ZoneMeasure } from './zones.ts';

export interface LakehouseFacts {
  produced: number;
  expected: ExpectedResult;
  state: CurateServeState;
  lander: RawLanderStats;
  zones: AskedZones;
  profile: DatasetProfile;
}

function zoneRow(measure: ZoneMeasure, freshness: Histogram, loadMicros: readonly number[]): LakehouseZone {
  const fresh = latencyStats(freshness);
  return {
    zone: measure.zone,
    engine: measure.engine,
    ...refreshFigures(measure.answers.queries),
    storageBytes: measure.storageBytes,
    freshnessP50Micros: fresh.p50Micros,
    freshnessP99Micros: fresh.p99Micros,
    scanBasis: measure.scanBasis,
    loadP50Micros: nearestRank(loadMicros, 50),
    loadRuns: loadMicros.length,
    rows: measure.rows,
    matchesGroundTruth: measure.matchesGroundTruth,
    refreshCpuMicros: measure.answers.cpuMicros,
    cpuBasis: measure.answers.cpuBasis,
    queries: measure.answers.queries,
  };
}

/** The dead letters' reasons over every curation run, by the reason's key ("type change: amountCents"). */
function deadLetterReasons(state: CurateServeState): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const run of state.curated) for (const [reason, count] of Object.entries(run.deadLettered)) reasons.set(reason, (reasons.get(reason) ?? 0) + count);
  return reasons;
}

/**
 * What each zone did with one drift case, from what it reported: the curation's new columns and
 * dead letters' reasons, the warehouses' refusals. The raw zone takes every line (its count is
 * checked against what was produced in `reconciled`); a case the curated zone refused never
 * reaches a warehouse.
 */
export function driftRow(spec: DriftSpec, records: number, state: CurateServeState): LakehouseDrift {
  const field = spec.field ?? (spec.case === 'new-field' ? 'deviceId' : 'amountCents');
  const added = new Set(state.curated.flatMap((run) => run.columnsAdded.map((column) => column.name)));
  const reasons = [...deadLetterReasons(state).keys()];
  const refusedFor = (key: string) => reasons.find((reason) => reason === key || reason.startsWith(`${key} `));
  const refusal = {
    'new-field': undefined,
    'renamed-field': refusedFor(`missing field: ${field}`),
    'type-change': refusedFor(`type change: ${field}`),
    'malformed-json': refusedFor('malformed JSON'),
  }[spec.case];
  const newColumn = spec.case === 'new-field' ? field : spec.case === 'renamed-field' ? (spec.to ?? 'amount_cents') : undefined;
  const curated: DriftVerdict = refusal ? 'rejected' : newColumn && added.has(newColumn) ? 'evolved' : 'accepted';
  const why: Record<string, string> = {};
  if (refusal) why.curated = `dead-lettered: ${refusal}`;
  let served: DriftVerdict = 'accepted';
  if (curated === 'rejected') {
    served = 'rejected';
    why.served = 'never reached the warehouse: the curated zone refused it';
  } else {
    const refusals = [...state.served.entries()].flatMap(([engine, kept]: [string, ServedState]) =>
      kept.refusals.filter((r) => r.column === newColumn).map((r) => `${engine}: ${r.reason}`),
    );
    if (refusals.length > 0) {
      served = 'rejected';
      why.served = refusals.join('; ');
    }
  }
  return { case: spec.case, raw: 'accepted', curated, served, records, reasons: why };
}

const added = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

export function summarizeLakehouse(facts: LakehouseFacts): LakehouseSummary {
  const { state, zones, lander } = facts;
  const appended = state.curated.reduce((sum, run) => sum + run.appended, 0);
  const deadLettered = [...deadLetterReasons(state).values()].reduce((sum, count) => sum + count, 0);
  const servedStates = zones.served.map((measure) => ({ measure, served: state.served.get(measure.engine)! }));
  const primary = servedStates[0]!.served;
  const reconciled =
    lander.lines === facts.produced &&
    appended + deadLettered === lander.lines &&
    zones.curated.rows === appended &&
    servedStates.every(({ served, measure }) => served.loaded + served.refused === appended && measure.rows === served.loaded);
  return {
    zones: [
      zoneRow(zones.raw, lander.freshness, lander.objects.map((object) => object.putMicros)),
      zoneRow(zones.curated, state.curatedFreshness, state.curateMicros),
      ...servedStates.map(({ measure, served }) => zoneRow(measure, served.freshness, served.loadMicros)),
    ],
    drift: (facts.profile.drift ?? []).map((spec) => driftRow(spec, facts.expected.drifted[spec.case] ?? 0, state)),
    reconciled,
    counts: {
      produced: facts.produced,
      raw: lander.lines,
      curated: appended,
      deadLettered,
      served: primary.loaded,
      refusedByWarehouse: primary.refused,
    },
    swamp: zones.swamp,
    steps: {
      curate: { runs: state.curateMicros.length, wallMicros: added(state.curateMicros), cpuMicros: added(state.curateCpuMicros), rows: appended + deadLettered },
      load: { runs: primary.loadMicros.length, wallMicros: added(primary.loadMicros), cpuMicros: added(primary.loadCpuMicros), rows: primary.loaded + primary.refused },
    },
  };
}
