import { parseDurationMs } from '../../cli/parse.ts';
import { TierlabError } from '../../errors.ts';
import { tierNames, type TierName } from '../../tiers/types.ts';

/** A fault to inject during a run (issue 11), at a time after the measured stream starts. */
export type FaultSpec = { kind: 'kill'; tier: TierName; atMs: number; text: string };

/** Faults named by the issue that this build does not inject yet: refused by name, never ignored. */
const notYet = ['broker-restart', 's3-outage'];

/** `kill:TIER@T`: SIGKILL the tier's worker T after its stream starts; the harness starts a new one, as an orchestrator would. */
export function parseFault(text: string): FaultSpec {
  const kill = /^kill:([a-z]+)@(.+)$/.exec(text.trim());
  if (kill) {
    const tier = kill[1]!;
    if (!(tierNames as readonly string[]).includes(tier)) {
      throw new TierlabError('BAD_INPUT', `--fault ${text}: unknown tier "${tier}"; known: ${tierNames.join(', ')}`, { details: { fault: text } });
    }
    return { kind: 'kill', tier: tier as TierName, atMs: parseDurationMs(kill[2]!, `--fault ${text}: the time`), text };
  }
  const named = notYet.find((name) => text.trim().startsWith(name));
  throw new TierlabError(
    'BAD_INPUT',
    named
      ? `--fault ${text}: ${named} is not injected by this build yet; kill:TIER@T is`
      : `--fault must be kill:TIER@T, e.g. kill:streaming@12s (got "${text}")`,
    { details: { fault: text } },
  );
}
