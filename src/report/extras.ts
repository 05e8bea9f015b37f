import type { CapacityResult } from '../capacity/types.ts';
import type { FloorResult } from '../results/floor.ts';

/** Results of other commands shown beside a run's own: the scenario's capacity curve, the machine's floor. */
export interface ReportExtras {
  capacity?: CapacityResult;
  floor?: FloorResult;
}
