import type { CapacityResult } from '../results/capacity.ts';
import type { FloorResult } from '../results/floor.ts';

/** Results of other commands shown beside a run's own: the scenario's capacity curve, the machine's floor. */
export interface ReportExtras {
  capacity?: CapacityResult;
  floor?: FloorResult;
}
