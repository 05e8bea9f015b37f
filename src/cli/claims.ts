import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { judgeClaims, type ClaimVerdict } from '../results/claims.ts';
import { knownRunIds, readStoredSummary } from '../results/read-summary.ts';
import type { RunSummary } from '../results/summary.ts';
import type { CliIo } from './io.ts';

/** The claims as a person reads them: verdict first, then the figures, the runs and what is assumed. */
export function claimLines(verdicts: ClaimVerdict[]): string[] {
  return verdicts.flatMap((v) => [
    `${v.verdict.toUpperCase().padEnd(12)} ${v.claim}`,
    `             ${v.figures}`,
    v.runs.length > 0 ? `             runs: ${v.runs.join(', ')}` : `             to measure it: ${v.toMeasure}`,
    `             assumed: ${v.assumed}`,
  ]);
}

export function registerClaimsCommand(program: Command, io: CliIo): void {
  program
    .command('claims')
    .description("each of the seed's claims with the lab's verdict (reproduced, refuted, not measured), from stored runs only")
    .option('--results <dir>', 'where stored runs are', 'results')
    .action(async (flags: { results: string }) => {
      const dir = resolve(flags.results);
      let unreadable = 0;
      const runs: RunSummary[] = [];
      for (const runId of await knownRunIds(dir)) {
        const summary = await readStoredSummary(join(dir, runId), () => unreadable++);
        if (summary) runs.push(summary);
      }
      if (unreadable > 0) io.err(`skipped ${unreadable} stored run(s) whose summary.json this build cannot read`);
      io.out(`the seed's claims, judged on ${runs.length} stored run(s) in ${dir}\n`);
      for (const line of claimLines(judgeClaims(runs))) io.out(line);
    });
}
