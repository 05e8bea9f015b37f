import { TierlabError } from '../errors.ts';

/**
 * What a streaming tier promises after a crash (issue 11). Both end equal to the ground truth:
 * at-least-once re-reads what was written but not committed and recognises it by the offset each
 * result carries; exactly-once commits results and consumed offsets in one Kafka transaction,
 * which costs a transaction's round trips on every commit. The lab measures that cost.
 */
export const guarantees = ['at-least-once', 'exactly-once'] as const;
export type Guarantee = (typeof guarantees)[number];

export function parseGuarantee(value: string, what = '--guarantee'): Guarantee {
  if ((guarantees as readonly string[]).includes(value)) return value as Guarantee;
  throw new TierlabError('BAD_INPUT', `${what} must be one of ${guarantees.join(', ')} (got "${value}")`, { details: { value } });
}
