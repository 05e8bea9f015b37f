import { loadPriceSheet } from '../cost/price-sheet.ts';
import { projectLakehouseCosts, type LakehouseZoneUsage } from '../cost/lakehouse.ts';
import { loadWarehouseSheet } from '../cost/warehouse-sheet.ts';
import { readsPerDay } from '../metrics/staleness.ts';
import type { LakehouseCostSummary, LakehouseStep, LakehouseZone } from '../results/lakehouse.ts';
import type { Reads } from '../metrics/staleness.ts';

export interface LakehouseCostContext {
  eventsPerDay: number;
  reads: Reads;
  zones: LakehouseZone[];
  steps: { curate: LakehouseStep; load: LakehouseStep };
}

function usage(zone: LakehouseZone): LakehouseZoneUsage {
  return {
    storageBytes: zone.storageBytes,
    rows: zone.rows,
    queryBytesScanned: zone.queries.map((query) => query.bytesScanned),
    refreshWallSeconds: zone.queryP50Micros / 1e6,
    refreshCpuSeconds: zone.refreshCpuMicros / 1e6,
  };
}

/**
 * The lakehouse's $/year from what its run measured (src/cost/lakehouse.ts does the projection).
 * In production the curate-and-serve step is taken to run once before each dashboard refresh (the
 * lab runs it every few seconds, compressed), and the self-run warehouse is the first served
 * engine (PostgreSQL). Undefined when a zone or step measured no rows: there is nothing to scale.
 */
export async function lakehouseCost(context: LakehouseCostContext): Promise<LakehouseCostSummary | undefined> {
  const zone = (name: LakehouseZone['zone']) => context.zones.find((z) => z.zone === name);
  const [raw, curated, served] = [zone('raw'), zone('curated'), zone('served')];
  const { curate, load } = context.steps;
  if (!raw?.rows || !curated?.rows || !served?.rows || !curate.rows || !load.rows) return undefined;
  const refreshesPerDay = readsPerDay(context.reads);
  const step = (measured: LakehouseStep) => ({ cpuSeconds: measured.cpuMicros / 1e6, wallSeconds: measured.wallMicros / 1e6, events: measured.rows, runsPerDay: refreshesPerDay });
  const projected = projectLakehouseCosts({
    aws: await loadPriceSheet(),
    warehouses: await loadWarehouseSheet(),
    eventsPerDay: context.eventsPerDay,
    refreshesPerDay,
    raw: usage(raw),
    curated: usage(curated),
    served: { ...usage(served), engine: served.engine },
    curation: step(curate),
    load: step(load),
  });
  const cpuAssumed = context.zones.filter((z) => z.cpuBasis === 'assumed').map((z) => `${z.zone} (${z.engine})`);
  return {
    eventsPerDay: context.eventsPerDay,
    refreshesPerDay,
    options: projected.options,
    assumptions: [
      `The curate-and-serve step runs once before each of the ${refreshesPerDay.toLocaleString('en-US')} dashboard refreshes a day (assumed: the lab runs it every few seconds).`,
      ...(cpuAssumed.length > 0 ? [`CPU per refresh of ${cpuAssumed.join(', ')} is its wall time on one core (assumed: the engine's process was not this machine's to read).`] : []),
      ...projected.assumptions,
    ],
  };
}
