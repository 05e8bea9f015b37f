import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { describeError, TierlabError } from '../errors.ts';
import { parseFault } from '../harness/faults/spec.ts';
import { runLab } from '../harness/lab-run.ts';
import { createLogger } from '../log.ts';
import { writeReport } from '../report/write.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import {
  checkDeps,
  checkExercise,
  checkLines,
  findExercise,
  listRows,
  loadExercises,
  planReferenceRuns,
  referenceAnswerPath,
  referenceCommand,
  workshopsDir,
  type Exercise,
  type ReferenceRunner,
} from '../workshops/index.ts';
import type { WarehouseHandle } from '../services/warehouse.ts';
import { servicesForCommand, warehouseForCommand } from './provide.ts';
import type { CliIo } from './io.ts';
import { table } from './text-table.ts';

interface CheckFlags {
  reference?: boolean;
  results: string;
  answer?: string;
}

/** The repository's root: scenario files name datasets by paths from there, and the READMEs' commands start there. */
const root = dirname(workshopsDir.replace(/\/$/, ''));

/** Where --reference puts its runs, under --results: apart from the participant's own, which `check` reads by default. */
export const referenceResultsDir = 'workshop-reference';

export function registerWorkshopCommand(program: Command, io: CliIo): void {
  const workshop = program.command('workshop').description('workshop exercises: change one knob, predict, measure, check');
  workshop
    .command('list')
    .description('the exercises, in order')
    .action(async () => {
      io.out(table(listRows(await loadExercises())));
      io.out(`\nfacilitator guide: ${shown(join(workshopsDir, 'FACILITATOR.md'))}`);
    });
  workshop
    .command('show')
    .description("an exercise's README: the goal, the question to predict, the commands, what to look for")
    .argument('<n>', 'number, letter or folder name')
    .action(async (ref: string) => {
      const exercise = findExercise(await loadExercises(), ref);
      io.out((await readFile(join(exercise.dir, 'README.md'), 'utf8')).trimEnd());
      io.out(`\nfolder: ${shown(exercise.dir)}`);
      io.out(`check:  tierlab workshop check ${exercise.number}`);
    });
  workshop
    .command('check')
    .description("check an exercise (or all) from your newest runs and answer.yaml; --reference runs the reference solution first, quickly, and checks that")
    .argument('<n>', 'number, letter or folder name, or "all"')
    .option('--reference', "run the exercise's reference solution first (quick durations) and check it with the reference answer")
    .option('--results <dir>', 'where runs are', 'results')
    .option('--answer <path>', 'an answer file other than answer.yaml in the exercise folder')
    .action(async (ref: string, flags: CheckFlags) => {
      const all = await loadExercises();
      const exercises = ref === 'all' ? all : [findExercise(all, ref)];
      if (flags.answer !== undefined && (exercises.length > 1 || flags.reference)) {
        throw new TierlabError('BAD_INPUT', '--answer names one answer file: give one exercise, without --reference');
      }
      let resultsDir = resolve(flags.results);
      if (flags.reference) {
        resultsDir = join(resultsDir, referenceResultsDir);
        await runReference(exercises, resultsDir, io);
      }
      let failed = 0;
      for (const exercise of exercises) {
        const answerPath = flags.reference ? referenceAnswerPath(exercise) : flags.answer;
        const result = await checkExercise(exercise, {
          resultsDir,
          ...(answerPath ? { answerPath } : {}),
          deps: checkDeps,
          onSkip: (path, error) => io.err(`note: skipped ${path}: ${describeError(error)}`),
        });
        if (!result.passed) failed++;
        io.out(checkLines(result).join('\n'));
        io.out('');
      }
      io.out(exercises.length > 1 ? `${exercises.length - failed} of ${exercises.length} exercises passed` : failed === 0 ? 'passed' : 'not yet');
      if (failed > 0) process.exitCode = 1;
    });
}

/** A path as short as it reads: relative below the working directory, absolute elsewhere. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** The reference runs of these exercises, each once, on one set of services. */
async function runReference(exercises: Exercise[], resultsDir: string, io: CliIo): Promise<void> {
  const planned = planReferenceRuns(exercises);
  if (planned.length === 0) return;
  const services = await servicesForCommand(io);
  const logger = createLogger({ level: io.env.TIERLAB_LOG_LEVEL ?? 'warn' });
  // Only a scenario with a lakehouse serves a warehouse: started by its first run, as `tierlab run`
  // would, so checking the other exercises never needs PostgreSQL.
  let warehouse: WarehouseHandle | undefined;
  // The same work as the commands shown, in this process and on these services: no process, Node
  // start-up or screenshot per run, which is most of the time a quick run takes besides its stream.
  const runner: ReferenceRunner = async (run, dir) => {
    const scenario = await loadScenario(run.scenarioPath, { quick: true });
    if (scenario.lakehouse) warehouse ??= await warehouseForCommand(io);
    const { dir: runDir, summary } = await runLab({
      scenario,
      services,
      resultsDir: dir,
      ...(run.tier ? { tiers: [run.tier] } : {}),
      warmup: false,
      faults: (run.faults ?? []).map(parseFault),
      ...(scenario.lakehouse && warehouse ? { warehouse: { endpoint: warehouse.endpoint, pid: warehouse.description.pid } } : {}),
      logger,
    });
    await writeReport(runDir, summary);
  };
  try {
    for (const [i, run] of planned.entries()) {
      const started = Date.now();
      io.err(`reference run ${i + 1}/${planned.length} (exercise ${run.exercises.join(', ')}): ${referenceCommand(run, root)} --out ${shown(resultsDir)}`);
      await runner(run, resultsDir);
      io.err(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await warehouse?.stop();
    await services.stop();
  }
}
