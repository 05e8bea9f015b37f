import type { MachineEnvironment } from '../services/machine.ts';
import type { TierName } from '../tiers/types.ts';

/**
 * results/<run-id>/capacity.json, from `tierlab capacity`: docs/outputs.md. The field names
 * `maxRatePerSec`, `steps`, `offeredPerSec`, `achievedPerSec`, `p99Micros`, `metSla` and
 * `fellBehind` are the contract; add fields freely, rename none without bumping the version.
 */
export const capacitySchemaVersion = 1;

/** One rate step of the search: what was offered (open loop) and what the tier did with it. */
export interface CapacityStep {
  /** The rate the generator was scheduled to emit at, events/s. */
  offeredPerSec: number;
  /** Events the tier made visible per second over the step: measured, never the offered rate echoed. */
  achievedPerSec: number;
  /** End-to-end p99 (event time -> visible) over the step; 0 when nothing was measured (count 0). */
  p99Micros: number;
  /** Events measured in the step; 0 means no data, which never meets the SLA. */
  count: number;
  /** The generator's own p99 lag (scheduled -> sent): high means the load generator, not the tier, struggled. */
  generatorLagP99Micros: number;
  /** count > 0 and p99 <= the SLA. */
  metSla: boolean;
  /** The generator fell behind, the tier's backlog grew over the step, or achieved < 90% of offered. */
  fellBehind: boolean;
  /** Why the step missed the SLA or fell behind, in words; absent for a clean step. */
  reason?: string;
}

export interface TierCapacity {
  /** The highest offered rate of a step that met the SLA without falling behind; null if none did. */
  maxRatePerSec: number | null;
  /** Every step run, in order of rising offered rate, the one that stopped the search included. */
  steps: CapacityStep[];
  /** Why the search ended, in words: the SLA passed, the tier fell behind, the step limit, a failure. */
  stoppedBecause: string;
  /** Set when a step's measurement failed: the search ended there, with the steps before it kept. */
  error?: string;
}

/** What the capacity was measured on. */
export type CapacityEnvironment = MachineEnvironment;

export interface CapacityResult {
  schemaVersion: typeof capacitySchemaVersion;
  /** The scenario's name (its file id). */
  scenario: string;
  runId: string;
  /** ISO 8601. */
  startedAt: string;
  slaP99Micros: number;
  environment: CapacityEnvironment;
  quick: boolean;
  /** How long each rate step was measured, seconds. */
  stepSec: number;
  tiers: Partial<Record<TierName, TierCapacity>>;
}
