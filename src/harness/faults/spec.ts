import { parseDurationMs } from '../../parse.ts';
import { TierlabError } from '../../errors.ts';
import { tierNames, type TierName } from '../../tiers/types.ts';

/**
 * A fault to inject during a run (issue 11), at a time after the measured stream starts.
 * - kill: SIGKILL one tier's worker (`#W`: the W-th of several); the harness starts a new one, as an orchestrator would.
 * - broker-restart: stop the Kafka broker cleanly and start it again on the same data.
 * - s3-outage: stop the S3 server for `forMs`, then start it again on the same objects.
 * The last two hit every tier of the pass.
 */
export type FaultSpec =
  | { kind: 'kill'; tier: TierName; atMs: number; text: string; /** Which of the tier's worker processes (from 1), where it runs several; the first by default. */ worker?: number }
  | { kind: 'broker-restart'; atMs: number; text: string }
  | { kind: 's3-outage'; atMs: number; forMs: number; text: string };

export type ServiceFault = Extract<FaultSpec, { kind: 'broker-restart' | 's3-outage' }>;

export const isServiceFault = (fault: FaultSpec): fault is ServiceFault => fault.kind !== 'kill';

/** Which service a service fault takes down. */
export const serviceOf = (fault: ServiceFault): 'kafka' | 's3' => (fault.kind === 'broker-restart' ? 'kafka' : 's3');

/**
 * The longest s3-outage accepted: the clients retry an unavailable server for outageRetry.forMs
 * (see src/retry.ts), and the server needs a few seconds to start again within it.
 */
export const maxOutageMs = 60_000;

const forms = 'kill:TIER[#W]@T, broker-restart@T or s3-outage@T+D, e.g. kill:streaming@12s, kill:streaming#2@12s, s3-outage@10s+15s';

/** `kill:TIER@T`, `broker-restart@T`, `s3-outage@T+D`: T after the measured stream starts, D long. */
export function parseFault(text: string): FaultSpec {
  const trimmed = text.trim();
  const bad = (message: string) => new TierlabError('BAD_INPUT', `--fault ${text}: ${message}`, { details: { fault: text } });
  const kill = /^kill:([a-z]+)(?:#([^@]*))?@(.+)$/.exec(trimmed);
  if (kill) {
    const tier = kill[1]!;
    if (!(tierNames as readonly string[]).includes(tier)) throw bad(`unknown tier "${tier}"; known: ${tierNames.join(', ')}`);
    const worker = kill[2] === undefined ? undefined : Number(kill[2]);
    if (worker !== undefined && !(Number.isInteger(worker) && worker >= 1 && /^\d+$/.test(kill[2]!))) {
      throw bad(`the worker must be a whole number from 1, as in kill:${tier}#2@12s (got "${kill[2]}")`);
    }
    return { kind: 'kill', tier: tier as TierName, atMs: parseDurationMs(kill[3]!, `--fault ${text}: the time`), text, ...(worker !== undefined ? { worker } : {}) };
  }
  const restart = /^broker-restart@(.+)$/.exec(trimmed);
  if (restart) return { kind: 'broker-restart', atMs: parseDurationMs(restart[1]!, `--fault ${text}: the time`), text };
  if (trimmed.startsWith('s3-outage')) {
    const outage = /^s3-outage@([^+]+)\+(.+)$/.exec(trimmed);
    if (!outage) throw bad('must be s3-outage@T+D: the outage starts T after the stream and lasts D, e.g. s3-outage@10s+15s');
    const forMs = parseDurationMs(outage[2]!, `--fault ${text}: the duration`);
    if (forMs <= 0 || forMs > maxOutageMs) {
      throw bad(`the duration must be more than 0 and at most ${maxOutageMs / 1000} s: the tiers retry an unavailable S3 for a bounded time`);
    }
    return { kind: 's3-outage', atMs: parseDurationMs(outage[1]!, `--fault ${text}: the time`), forMs, text };
  }
  throw new TierlabError('BAD_INPUT', `--fault must be ${forms} (got "${text}")`, { details: { fault: text } });
}

/** The fault as the command line would give it, at `atMs` after the stream's start: how one injected live is recorded. */
export function specAt(fault: FaultSpec, atMs: number): string {
  const at = `${(atMs / 1000).toFixed(1)}s`;
  if (fault.kind === 'kill') return `kill:${fault.tier}${fault.worker !== undefined ? `#${fault.worker}` : ''}@${at}`;
  return fault.kind === 'broker-restart' ? `broker-restart@${at}` : `s3-outage@${at}+${fault.forMs / 1000}s`;
}
