import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { pricingScenarioOf, reprojectCosts } from '../harness/costs.ts';
import { runLab } from '../harness/lab-run.ts';
import { limits } from '../limits.ts';
import { createLogger } from '../log.ts';
import { human, recommend, slaP99Micros } from '../results/recommend.ts';
import { knownRunIds, readStoredSummary } from '../results/read-summary.ts';
import type { RunSummary } from '../results/summary.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import { parseDurationMs, parsePositiveNumber, parseWholeNumber } from '../parse.ts';
import { runSchedule } from '../tiers/registry.ts';
import { tierNames } from '../tiers/types.ts';
import { servicesForCommand } from './provide.ts';
import { readsAdviceLines, readsOptions } from './advise-reads.ts';
import { parseReads } from '../metrics/staleness.ts';
import type { CliIo } from './io.ts';

interface AdviseFlags {
  scenario: string;
  sla: string;
  reads?: string;
  tz?: string;
  rate?: string;
  volume?: string;
  results: string;
}

/**
 * Stored runs whose three tiers all finished correctly: the evidence advise can stand on. Each is
 * read through readSummary, so only summaries valid for this build count; a folder without one,
 * or with a broken or older one, is skipped (and passed to `skipped`) rather than failing advice.
 */
export async function storedRuns(resultsDir: string, skipped: (path: string, error: unknown) => void = () => {}): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const runId of await knownRunIds(resultsDir)) {
    const summary = await readStoredSummary(join(resultsDir, runId), skipped);
    if (!summary) continue;
    const tiers = Object.values(summary.tiers);
    if (tiers.length === 3 && tiers.every((t) => t.state === 'ok' && t.correct)) runs.push(summary);
  }
  return runs;
}

/** The run advice stands on, or why no stored run can. */
export type Evidence = { run: RunSummary; reason?: undefined } | { run?: undefined; reason: string };

/**
 * The stored run of `scenarioName` measured nearest `ratePerSec`, within a factor of two. Runs of
 * any other scenario are never evidence, however near their rate: their schedule, data and rate
 * shape are not this scenario's. Quick and full runs both count; on an equal distance in rate a
 * full run is preferred over a quick one, then the newest. With `realPeriodMs` (the scenario's
 * batch schedule as its file now says), a run made for another real period is not used either.
 */
export function pickEvidence(runs: RunSummary[], scenarioName: string, ratePerSec: number, options: { realPeriodMs?: number } = {}): Evidence {
  const ofScenario = runs.filter((r) => r.scenario.name === scenarioName);
  if (ofScenario.length === 0) {
    const others = runs.length;
    return {
      reason:
        `no stored run of scenario "${scenarioName}"` +
        (others > 0 ? ` (${others} stored run(s) of other scenarios are never used for it)` : ''),
    };
  }
  const sameSchedule =
    options.realPeriodMs === undefined ? ofScenario : ofScenario.filter((r) => r.environment.schedule.realPeriodMs === options.realPeriodMs);
  if (sameSchedule.length === 0) {
    const periods = distinct(ofScenario.map((r) => human(r.environment.schedule.realPeriodMs * 1000)));
    return {
      reason:
        `the ${ofScenario.length} stored run(s) of scenario "${scenarioName}" stand for a batch job every ${periods.join(' or ')}, ` +
        `not the scenario's one every ${human(options.realPeriodMs! * 1000)}`,
    };
  }
  const distance = (r: RunSummary) => Math.abs(Math.log(r.events.ratePerSec / ratePerSec));
  const fits = sameSchedule.filter((r) => r.events.ratePerSec >= ratePerSec / 2 && r.events.ratePerSec <= ratePerSec * 2);
  if (fits.length === 0) {
    const rates = distinct([...sameSchedule].sort((a, b) => distance(a) - distance(b)).map((r) => eventsPerSec(r.events.ratePerSec)));
    return {
      reason:
        `no stored run of scenario "${scenarioName}" was measured within a factor of two of ${eventsPerSec(ratePerSec)} ` +
        `(its runs: ${rates.slice(0, 5).join(', ')}${rates.length > 5 ? ', …' : ''})`,
    };
  }
  const [run] = [...fits].sort(
    (a, b) =>
      distance(a) - distance(b) ||
      Number(a.scenario.quick) - Number(b.scenario.quick) ||
      Date.parse(b.startedAt) - Date.parse(a.startedAt),
  );
  return { run: run! };
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

function eventsPerSec(rate: number): string {
  return `${rate.toLocaleString('en-US')} events/s`;
}

export interface AdviceInput {
  scenario: { name: string; title: string };
  slaMicros: number;
  ratePerSec: number;
  /** Where the rate came from: --rate, or the scenario's own mean rate. */
  rateFrom: 'asked' | 'scenario';
  eventsPerDay: number;
  /** Where the volume came from: --volume, the scenario's eventsPerDay, or rate x 86,400. */
  volumeFrom: 'asked' | 'scenario' | 'rate';
  evidence: RunSummary;
  /** A run read from results/, or one made just now because none fit (and why none did). */
  source: { kind: 'stored' } | { kind: 'fresh'; reason: string };
  /** The evidence's tiers with their cost projected to `eventsPerDay` (reprojectCosts). */
  tiers: RunSummary['tiers'];
}

const rateNotes = { asked: 'as asked', scenario: "the scenario's mean rate" } as const;
const volumeNotes = { asked: 'as asked', scenario: "the scenario's volume", rate: 'the rate x 86,400' } as const;

/** The text of the advice: the scenario, the run it stands on and its schedule, each tier, the choice. */
export function adviceLines(input: AdviceInput): string[] {
  const { scenario, evidence, slaMicros } = input;
  if (evidence.scenario.name !== scenario.name) {
    throw new Error(`advice for scenario "${scenario.name}" cannot stand on run ${evidence.runId} of scenario "${evidence.scenario.name}"`);
  }
  const schedule = evidence.environment.schedule;
  const advice = recommend(input.tiers, slaMicros);
  const lines = [
    `scenario: ${scenario.name} (${scenario.title})`,
    `SLA ${human(slaMicros)} at p99, ${eventsPerSec(input.ratePerSec)} (${rateNotes[input.rateFrom]}), ` +
      `${input.eventsPerDay.toLocaleString('en-US')} events/day (${volumeNotes[input.volumeFrom]})`,
    input.source.kind === 'stored'
      ? `evidence: stored run ${evidence.runId} of ${scenario.name}`
      : `evidence: fresh quick run ${evidence.runId} of ${scenario.name}, made just now because ${input.source.reason}`,
    `  started ${evidence.startedAt}, ${evidence.scenario.quick ? 'quick' : 'full'} run, measured at ${eventsPerSec(evidence.events.ratePerSec)} ` +
      `(achieved ${evidence.events.achievedRatePerSec.toLocaleString('en-US')}/s) on ${evidence.environment.cpus} CPUs, ` +
      `${evidence.environment.servicesMode} services`,
    `  batch schedule (${scenario.name}'s own): one job every ${human(schedule.compressedPeriodMs * 1000)} in the lab, ` +
      `standing for one every ${human(schedule.realPeriodMs * 1000)}`,
  ];
  for (const name of tierNames) {
    const tier = input.tiers[name];
    if (!tier) continue;
    const p99 = slaP99Micros(tier);
    const basis = tier.stalenessAtRead ? `(stale at read, ${tier.stalenessAtRead.basis})` : tier.projectedLatency ? '(projected)' : '';
    lines.push(
      `  ${name.padEnd(10)} p99 ${human(p99).padStart(9)} ${basis.padEnd(25)}  ` +
        `${p99 <= slaMicros ? 'meets' : 'misses'} the SLA   $${Math.round(tier.cost.usdPerYear).toLocaleString('en-US')}/year`,
    );
  }
  lines.push('', `choose: ${advice.tier ?? 'none'} — ${advice.why}`);
  return lines;
}

export function registerAdviseCommand(program: Command, io: CliIo): void {
  program
    .command('advise')
    .description(
      '"what is the maximum acceptable latency?" as a command: the tier to choose for a scenario, with the measured evidence ' +
        '(a stored run of that scenario, or a quick one made now)',
    )
    .requiredOption('--scenario <name>', 'a name in bench/scenarios/ or a path to a .yaml file; only its own runs are evidence')
    .requiredOption('--sla <duration>', 'the maximum acceptable latency at p99, e.g. 500ms, 5m, 1d')
    .option('--rate <events/s>', "the mean event rate to plan for (default: the scenario's own)")
    .option('--volume <events/day>', "daily volume for the cost projection (default: the scenario's eventsPerDay, or rate x 86,400 with --rate)")
    .option('--reads <when>', 'when the results are read: "Mon 09:00", "daily 09:00", "every 5m" or "continuous"; tries batch on weekly, nightly, hourly and 15-minute schedules')
    .option('--tz <zone>', "the time zone of --reads and the schedules (default: the scenario's reads' zone, else UTC)")
    .option('--results <dir>', 'where stored runs are', 'results')
    .action(async (flags: AdviseFlags) => {
      const slaMicros = parseDurationMs(flags.sla, '--sla') * 1000;
      const askedRate = flags.rate === undefined ? undefined : parsePositiveNumber(flags.rate, '--rate', limits.ratePerSec);
      const askedVolume = flags.volume === undefined ? undefined : parseWholeNumber(flags.volume, '--volume', 1);
      const scenario = await loadScenario(flags.scenario);
      const tz = flags.tz ?? (scenario.reads.kind === 'cron' ? scenario.reads.tz : 'UTC');
      const reads = flags.reads === undefined ? undefined : parseReads(flags.reads, tz);
      const ratePerSec = askedRate ?? scenario.rate.ratePerSec;
      const eventsPerDay = askedVolume ?? (askedRate === undefined ? scenario.eventsPerDay : Math.round(askedRate * 86_400));
      const resultsDir = resolve(flags.results);
      let unreadable = 0;
      const runs = await storedRuns(resultsDir, () => unreadable++);
      if (unreadable > 0) {
        io.err(`skipped ${unreadable} stored run(s) whose summary.json this build cannot read (\`tierlab compare\` names the field)`);
      }
      const picked = pickEvidence(runs, scenario.name, ratePerSec, { realPeriodMs: runSchedule(scenario).realPeriodMs });
      let evidence: RunSummary;
      let source: AdviceInput['source'];
      if (picked.run) {
        evidence = picked.run;
        source = { kind: 'stored' };
      } else {
        io.err(`${picked.reason}: running scenario ${scenario.name} quickly at ${eventsPerSec(ratePerSec)}`);
        const quick = await loadScenario(flags.scenario, { quick: true });
        // The scenario's own rate shape (bursts, diurnal) is kept; only its mean moves to the asked rate.
        if (askedRate !== undefined) quick.rate = { ...quick.rate, ratePerSec: askedRate };
        const services = await servicesForCommand(io);
        try {
          evidence = (await runLab({ scenario: quick, services, resultsDir, logger: createLogger({ level: 'warn' }) })).summary;
        } finally {
          await services.stop();
        }
        source = { kind: 'fresh', reason: picked.reason };
      }
      const tiers = await reprojectCosts(evidence, eventsPerDay, pricingScenarioOf(scenario));
      const lines = adviceLines({
        scenario,
        slaMicros,
        ratePerSec,
        rateFrom: askedRate === undefined ? 'scenario' : 'asked',
        eventsPerDay,
        volumeFrom: askedVolume !== undefined ? 'asked' : askedRate === undefined ? 'scenario' : 'rate',
        evidence,
        source,
        tiers,
      });
      for (const line of lines) io.out(line);
      if (reads) {
        io.out('');
        for (const line of readsAdviceLines(await readsOptions(evidence, scenario, reads, tz, eventsPerDay), reads, slaMicros)) io.out(line);
      }
    });
}
