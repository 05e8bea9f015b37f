import type { OrderFlip } from '../../results/recommend.ts';
import type { FlipTable } from '../types.ts';

/**
 * recommend()'s tie rule from the table the server computed with the cost model (which the
 * browser does not load): the same answer, for any SLA the page asks about.
 */
export function flipFrom(table: FlipTable): OrderFlip {
  return (cheaper, simpler) => table[`${cheaper}>${simpler}`] ?? undefined;
}
