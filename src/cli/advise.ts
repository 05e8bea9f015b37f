import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isTierlabError } from '../errors.ts';
import { reprojectCosts } from '../harness/costs.ts';
import { runLab } from '../harness/lab-run.ts';
import { createLogger } from '../log.ts';
import { human, recommend, slaP99Micros } from '../report/recommend.ts';
import { knownRunIds, readSummary, summaryFileName } from '../report/read-summary.ts';
import type { RunSummary } from '../report/summary.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import { parseDurationMs, parsePositiveNumber, parseWholeNumber } from './parse.ts';
import { tierNames } from '../tiers/types.ts';
import { servicesForCommand } from './provide.ts';
import type { CliIo } from './services.ts';

interface AdviseFlags {
  sla: string;
  rate: string;
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
    const path = join(resultsDir, runId, summaryFileName);
    if (!(await exists(path))) continue;
    let summary: RunSummary;
    try {
      summary = await readSummary(path);
    } catch (error) {
      if (!isTierlabError(error, 'BAD_DATA_FILE')) throw error;
      skipped(path, error);
      continue;
    }
    const tiers = Object.values(summary.tiers);
    if (tiers.length === 3 && tiers.every((t) => t.state === 'ok' && t.correct)) runs.push(summary);
  }
  return runs;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The stored run measured nearest the asked rate, within a factor of two. */
export function closestRun(runs: RunSummary[], ratePerSec: number): RunSummary | undefined {
  const fits = runs.filter((r) => r.events.ratePerSec >= ratePerSec / 2 && r.events.ratePerSec <= ratePerSec * 2);
  return fits.sort((a, b) => Math.abs(Math.log(a.events.ratePerSec / ratePerSec)) - Math.abs(Math.log(b.events.ratePerSec / ratePerSec)))[0];
}

export function registerAdviseCommand(program: Command, io: CliIo): void {
  program
    .command('advise')
    .description('"what is the maximum acceptable latency?" as a command: the tier to choose, with the measured evidence')
    .requiredOption('--sla <duration>', 'the maximum acceptable latency at p99, e.g. 500ms, 5m, 1d')
    .requiredOption('--rate <events/s>', 'the event rate to plan for')
    .option('--volume <events/day>', 'daily volume for the cost projection (default: rate x 86,400)')
    .option('--results <dir>', 'where stored runs are', 'results')
    .action(async (flags: AdviseFlags) => {
      const slaMicros = parseDurationMs(flags.sla, '--sla') * 1000;
      const ratePerSec = parsePositiveNumber(flags.rate, '--rate');
      const eventsPerDay = flags.volume === undefined ? Math.round(ratePerSec * 86_400) : parseWholeNumber(flags.volume, '--volume', 1);
      let unreadable = 0;
      let evidence = closestRun(await storedRuns(resolve(flags.results), () => unreadable++), ratePerSec);
      if (unreadable > 0) {
        io.err(`skipped ${unreadable} stored run(s) whose summary.json this build cannot read (\`tierlab compare\` names the field)`);
      }
      if (!evidence) {
        io.err(`no stored run measured near ${ratePerSec} events/s: running the demo scenario quickly at that rate`);
        const scenario = await loadScenario('demo', { quick: true });
        scenario.rate = { kind: 'constant', ratePerSec };
        const services = await servicesForCommand(io);
        try {
          evidence = (await runLab({ scenario, services, resultsDir: resolve(flags.results), logger: createLogger({ level: 'warn' }) })).summary;
        } finally {
          await services.stop();
        }
      }
      const tiers = await reprojectCosts(evidence, eventsPerDay);
      const advice = recommend(tiers, slaMicros);
      io.out(`SLA ${human(slaMicros)} at p99, ${ratePerSec} events/s, ${eventsPerDay.toLocaleString('en-US')} events/day`);
      io.out(`evidence: run ${evidence.runId} (${evidence.scenario.name}, measured at ${evidence.events.ratePerSec} events/s on ${evidence.environment.cpus} CPUs, ${evidence.environment.servicesMode} services)`);
      for (const name of tierNames) {
        const tier = tiers[name];
        if (!tier) continue;
        const p99 = slaP99Micros(tier);
        io.out(
          `  ${name.padEnd(10)} p99 ${human(p99).padStart(9)}${tier.projectedLatency ? ' (real schedule)' : '                '}  ` +
            `${p99 <= slaMicros ? 'meets' : 'misses'} the SLA   $${Math.round(tier.cost.usdPerYear).toLocaleString('en-US')}/year`,
        );
      }
      io.out(`\nchoose: ${advice.tier ?? 'none'} — ${advice.why}`);
    });
}
