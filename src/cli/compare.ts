import { resolve } from 'node:path';
import type { Command } from 'commander';
import { compareRuns, renderCompare } from '../report/compare.ts';
import { readSummary, resolveRun } from '../results/read-summary.ts';
import type { CliIo } from './io.ts';

/**
 * `tierlab compare RUN_A RUN_B`: two stored runs side by side. A run that cannot be read, or
 * whose summary.json fails its schema, throws a TierlabError naming the field; main() turns it
 * into one line and a non-zero exit.
 */
export function registerCompareCommand(program: Command, io: CliIo): void {
  program
    .command('compare')
    .description('two stored runs side by side, per tier and percentile, with their ratio and whether it exceeds the spread')
    .argument('<RUN_A>', 'a run id (a folder under --results) or the path of a run folder or its summary.json')
    .argument('<RUN_B>', 'the run to compare with RUN_A: ratios are B / A')
    .option('--results <dir>', 'where stored runs are', 'results')
    .action(async (runA: string, runB: string, flags: { results: string }) => {
      const resultsDir = resolve(flags.results);
      const [a, b] = await Promise.all([
        resolveRun(runA, resultsDir).then(readSummary),
        resolveRun(runB, resultsDir).then(readSummary),
      ]);
      for (const line of renderCompare(compareRuns(a, b))) io.out(line);
    });
}
