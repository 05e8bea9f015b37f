import { lakehouseOptions, type LakehouseOption } from '../../cost/lakehouse.ts';
import { driftCases, type DriftCase } from '../../events/drift.ts';
import { driftVerdicts, lakehouseZoneNames, type DriftVerdict, type LakehouseDrift, type LakehouseSummary, type LakehouseZone, type LakehouseZoneName } from '../../results/lakehouse.ts';
import type { RunSummary } from '../../results/summary.ts';
import type { CheckItem, ExerciseCheck, ExerciseRuns } from '../types.ts';
import { human, lookAgain, noAnswer, right, usd } from './items.ts';

type YesNo = 'yes' | 'no';

export interface LakehouseAnswer {
  /** Before measuring: the zone whose dashboard refresh (its three queries' p50s added) is slowest. */
  slowestZone: LakehouseZoneName;
  /** …the zone where an event becomes queryable soonest (freshness p50). */
  freshestZone: LakehouseZoneName;
  /** …whether each zone's aggregate equals the generator's ground truth (served: every warehouse's). */
  matchesGroundTruth: Record<LakehouseZoneName, YesNo>;
  /** …what each zone does with each drift case. */
  drift: Record<DriftCase, Record<LakehouseZoneName, DriftVerdict>>;
  /** …whether every record ends up in a zone or a dead letter, none unaccounted for. */
  nothingLost: YesNo;
  /** …the option with the lowest $/year at the scenario's volume. */
  cheapest: LakehouseOption;
}

export const scenarioPrefix = 'ws-i-';
export const command = 'tierlab tier batch --scenario workshops/i-lakehouse/ws-i-drift.yaml';

/**
 * A ranking is called only where the run measured it far apart: a zone within this factor of the
 * slowest (or freshest) counts as a right answer too. Spark's refresh is about a second and
 * DuckDB's and PostgreSQL's tens of milliseconds, so the lesson survives; which of two fast
 * engines came first is machine noise, not an answer.
 */
export const rankingFactor = 2;

/** Options within this share of the cheapest are a tie: each is a right answer. */
export const costTie = 0.25;

const yesNo = { type: 'string', enum: ['yes', 'no'] } as const;
const zoneName = { type: 'string', enum: [...lakehouseZoneNames] } as const;
const perZone = (value: object) => ({
  type: 'object',
  additionalProperties: false,
  required: [...lakehouseZoneNames],
  properties: Object.fromEntries(lakehouseZoneNames.map((zone) => [zone, value])),
});

/** What a zone does with drift, said once per zone for the hints. */
const driftHints: Record<LakehouseZoneName, string> = {
  raw: 'schema on read: the raw zone keeps every line as the producer sent it, whatever its shape ("Schema drift and bad data", and "The data swamp" for what that leaves a reader)',
  curated:
    'the curation adds a column for a field it has not seen (Iceberg\'s schema evolution) and dead-letters a line it cannot read as the table\'s types, with the reason: read the reasons column of "Schema drift and bad data"',
  served:
    'schema on write: the warehouse\'s table has the columns it was made with, and a load carrying another is refused with the server\'s reason; what the curated zone refused never reaches it ("Schema drift and bad data")',
};

/** The newest of the exercise's runs (a participant's copy with another drift mix counts too), by when it started. */
export function newestRun(runs: ExerciseRuns): RunSummary | undefined {
  return [...runs.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
}

const label = (zone: LakehouseZone) => `${zone.zone} (${zone.engine})`;

/** The zones within `factor` of the extreme by `measure` (highest when `highest`), and every zone's figure in words. */
function ranked(zones: LakehouseZone[], measure: (z: LakehouseZone) => number, highest: boolean): { accepted: Set<LakehouseZoneName>; first: LakehouseZone; text: string } {
  const sorted = [...zones].sort((a, b) => (highest ? measure(b) - measure(a) : measure(a) - measure(b)));
  const first = sorted[0]!;
  const close = (z: LakehouseZone) => (highest ? measure(z) * rankingFactor >= measure(first) : measure(z) <= measure(first) * rankingFactor);
  return { accepted: new Set(sorted.filter(close).map((z) => z.zone)), first, text: sorted.map((z) => `${label(z)} ${human(measure(z))}`).join(', ') };
}

/** Whether each zone's aggregate equals the ground truth; a zone served by several engines matches only if all do. */
export function zoneMatches(lakehouse: LakehouseSummary): Record<LakehouseZoneName, YesNo> {
  const of = (name: LakehouseZoneName): YesNo => {
    const zones = lakehouse.zones.filter((z) => z.zone === name);
    return zones.length > 0 && zones.every((z) => z.matchesGroundTruth) ? 'yes' : 'no';
  };
  return { raw: of('raw'), curated: of('curated'), served: of('served') };
}

function driftItem(measured: LakehouseDrift, predicted: Record<LakehouseZoneName, DriftVerdict>): CheckItem {
  const said = lakehouseZoneNames.map((zone) => `${zone} ${measured[zone]}`).join(', ');
  const missed = lakehouseZoneNames.filter((zone) => predicted[zone] !== measured[zone]);
  if (missed.length === 0) return right('prediction', `${measured.case} (${measured.records} records): ${said}`);
  const yours = missed.map((zone) => `${zone} ${predicted[zone]}`).join(', ');
  const reasons = missed.map((zone) => measured.reasons[zone]).filter((reason) => reason !== undefined);
  return lookAgain(
    'prediction',
    `${measured.case} (${measured.records} records): you said ${yours}; the run says ${said}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`,
    missed.map((zone) => driftHints[zone]).join('; '),
  );
}

function cheapestItem(lakehouse: LakehouseSummary, predicted: LakehouseOption): CheckItem {
  const options = [...(lakehouse.cost?.options ?? [])].sort((a, b) => a.usdPerYear - b.usdPerYear);
  if (options.length === 0) {
    return lookAgain('run', 'the run priced no option: a zone or a step held no rows', 'run longer (without --quick), so that every zone holds rows to project from');
  }
  const cheapest = options[0]!;
  const mine = options.find((o) => o.option === predicted);
  const list = options.map((o) => `${o.option} ${usd(o.usdPerYear)}`).join(', ');
  const perYear = `at ${lakehouse.cost!.eventsPerDay.toLocaleString('en-US')} events and ${lakehouse.cost!.refreshesPerDay.toLocaleString('en-US')} refreshes a day`;
  return mine && mine.usdPerYear <= cheapest.usdPerYear * (1 + costTie)
    ? right('prediction', `${predicted} is ${mine === cheapest ? 'the cheapest' : `within ${costTie * 100}% of the cheapest, ${cheapest.option}`} ${perYear}: ${list}`)
    : lookAgain(
        'prediction',
        `you said ${predicted}; ${cheapest.option} is cheapest ${perYear}: ${list}`,
        "read each option's lines in the report's lakehouse cost tables (or summary.json's lakehouse.cost; docs/cost.md, \"The lakehouse\"): which pay for a server that is always on, and which only for what a refresh reads?",
      );
}

export const lakehouseCheck: ExerciseCheck<LakehouseAnswer, unknown> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['slowestZone', 'freshestZone', 'matchesGroundTruth', 'drift', 'nothingLost', 'cheapest'],
    properties: {
      slowestZone: zoneName,
      freshestZone: zoneName,
      matchesGroundTruth: perZone(yesNo),
      drift: {
        type: 'object',
        additionalProperties: false,
        required: [...driftCases],
        properties: Object.fromEntries(driftCases.map((c) => [c, perZone({ type: 'string', enum: [...driftVerdicts] })])),
      },
      nothingLost: yesNo,
      cheapest: { type: 'string', enum: [...lakehouseOptions] },
    },
  },
  async check({ runs, answer, answerPath }) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const run = newestRun(runs);
    if (!run) {
      items.push(lookAgain('run', `no run of a ${scenarioPrefix}* scenario yet`, `run: ${command}`));
      return items;
    }
    const lakehouse = run.lakehouse;
    if (!lakehouse || lakehouse.zones.length === 0) {
      items.push(lookAgain('run', `run ${run.runId} has no lakehouse section`, `keep the scenario's lakehouse: section, and run: ${command}`));
      return items;
    }
    const drifted = lakehouse.drift.filter((d) => d.records > 0);
    const undrifted = lakehouse.drift.filter((d) => d.records === 0).map((d) => d.case);
    if (drifted.length === 0) {
      items.push(lookAgain('run', `run ${run.runId} drifted no record`, "the exercise is about drift: keep at least one case in the scenario's drift: section, starting well inside the stream"));
      return items;
    }
    items.push(
      right(
        'run',
        `run ${run.runId} (${run.scenario.name}): ${lakehouse.counts.produced.toLocaleString('en-US')} records, drifted ${drifted.map((d) => `${d.case} ${d.records}`).join(', ')}` +
          (undrifted.length > 0 ? `; none of ${undrifted.join(', ')} (its verdicts say nothing, and are not checked)` : ''),
      ),
    );
    const c = lakehouse.counts;
    const balances = `produced ${c.produced} = raw ${c.raw}; raw = curated ${c.curated} + dead-lettered ${c.deadLettered}; curated = served ${c.served} + refused by the warehouse ${c.refusedByWarehouse}`;
    items.push(
      lakehouse.reconciled
        ? right('lesson', `every record accounted for: ${balances}`)
        : lookAgain('lesson', `records unaccounted for: ${balances}`, 'this is a bug in the lab, not in your run: keep the run folder and report it'),
    );
    if (!answer) return items;

    const slowest = ranked(lakehouse.zones, (z) => z.queryP50Micros, true);
    items.push(
      slowest.accepted.has(answer.slowestZone)
        ? right('prediction', `the slowest refresh (three queries' p50s added): ${slowest.text}`)
        : lookAgain(
            'prediction',
            `you said ${answer.slowestZone}; ${label(slowest.first)} refreshed slowest: ${slowest.text}`,
            'the zone table\'s "refresh p50" in "Lake, lakehouse, warehouse": each Spark query is a job (planned, scheduled as tasks, Iceberg\'s metadata read from S3), a cost that does not shrink with the data',
          ),
    );
    // A zone that holds no rows has no freshness to rank.
    const held = lakehouse.zones.filter((z) => z.rows > 0);
    const freshest = held.length > 0 ? ranked(held, (z) => z.freshnessP50Micros, false) : undefined;
    if (freshest) {
      items.push(
        freshest.accepted.has(answer.freshestZone)
          ? right('prediction', `the freshest zone (event time to queryable, p50): ${freshest.text}`)
          : lookAgain(
              'prediction',
              `you said ${answer.freshestZone}; ${label(freshest.first)} was freshest: ${freshest.text}`,
              'the zone table\'s "freshness": every hop waits for its schedule (the landing\'s flush, then the curation\'s step, then the load after it)',
            ),
      );
    }
    const matches = zoneMatches(lakehouse);
    const missed = lakehouseZoneNames.filter((zone) => answer.matchesGroundTruth[zone] !== matches[zone]);
    const matchText = lakehouseZoneNames.map((zone) => `${zone} ${matches[zone]}`).join(', ');
    items.push(
      missed.length === 0
        ? right('prediction', `aggregate = ground truth: ${matchText}`)
        : lookAgain(
            'prediction',
            `aggregate = ground truth: you said ${missed.map((zone) => `${zone} ${answer.matchesGroundTruth[zone]}`).join(', ')}; the run says ${matchText}`,
            'the zone table\'s last column, and "Every record accounted for": the raw zone reads a renamed amount as null and a retyped one ("12.50") as 13 cents and keeps what curation dead-letters; the warehouse misses the rows it refused',
          ),
    );
    for (const measured of drifted) items.push(driftItem(measured, answer.drift[measured.case as DriftCase]));
    const lost: YesNo = lakehouse.reconciled ? 'yes' : 'no';
    items.push(
      answer.nothingLost === lost
        ? right('prediction', lakehouse.reconciled ? 'nothing lost: every refused record is counted, with its reason' : 'records were lost, as you said: see the lesson above')
        : lookAgain('prediction', `you said ${answer.nothingLost}; the run says ${lost}`, '"Every record accounted for": a dead-lettered line and a refused row are refused, not lost; each is counted with its reason'),
    );
    items.push(cheapestItem(lakehouse, answer.cheapest));
    return items;
  },
};
