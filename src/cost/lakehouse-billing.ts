import type { CostLine } from './price-parts.ts';
import type { PriceSheet } from './price-sheet.ts';

/**
 * How each kind of service bills what the lakehouse's options use: pure arithmetic over seconds,
 * bytes and prices, apart from which zone or option uses it (src/cost/lakehouse.ts).
 */

export const secondsPerDay = 86_400;
export const hoursPerYear = 24 * 365;
export const daysPerYear = 365;
export const monthsPerYear = 12;

type Basis = CostLine['basis'];

/**
 * A line is `measured` when the use the run measured exceeds what the service would bill with no
 * use at all (its minimum billing, an idle window, a minimum size): as in model.ts, a floor that
 * the measurement does not clear sets the line, and that makes it `assumed`.
 */
export function basisOf(measured: number, floor: number): Basis {
  return measured > floor ? 'measured' : 'assumed';
}

/** One period of use a service bills: how often a day, and how long each lasts by measurement. */
export interface Busy {
  perDay: number;
  seconds: number;
}

/**
 * Seconds a day a warehouse that bills while running is billed: each period at least
 * `minimumSeconds`, plus `idleSeconds` before it stops, never more than the day (a warehouse
 * woken again before it stops simply stays on). Also the seconds of measured use, and the
 * seconds billed had every period taken no time at all (the floor).
 */
export function billedSeconds(periods: Busy[], minimumSeconds: number, idleSeconds = 0): { billed: number; used: number; floor: number } {
  const sum = (seconds: (period: Busy) => number) => Math.min(secondsPerDay, periods.reduce((total, period) => total + period.perDay * seconds(period), 0));
  return {
    billed: sum((p) => Math.max(minimumSeconds, p.seconds + idleSeconds)),
    used: sum((p) => p.seconds),
    floor: sum(() => Math.max(minimumSeconds, idleSeconds)),
  };
}

/**
 * Bytes billed per refresh under a per-query minimum (BigQuery on demand): each query's scanned
 * bytes, or the minimum if more. Also the bytes scanned and the minimum alone.
 */
export function billedBytes(queryBytes: number[], minimumBytes: number): { billed: number; used: number; floor: number } {
  return {
    billed: queryBytes.reduce((sum, bytes) => sum + Math.max(minimumBytes, bytes), 0),
    used: queryBytes.reduce((sum, bytes) => sum + bytes, 0),
    floor: queryBytes.length * minimumBytes,
  };
}

/**
 * An always-on worker on the AWS sheet's compute prices (Fargate rates), sized from the CPU
 * seconds it must spend a day at a utilisation, never below the sheet's smallest worker.
 */
export function alwaysOnWorker(aws: PriceSheet, cpuSecondsPerDay: number, utilisation: number, name: string): CostLine[] {
  const { prices, assumptions } = aws;
  const needed = cpuSecondsPerDay / secondsPerDay / utilisation;
  const vcpu = Math.max(assumptions.workerMinimumVcpu, needed);
  const basis = basisOf(needed, assumptions.workerMinimumVcpu);
  return [
    { name: `${name} compute`, usdPerYear: vcpu * hoursPerYear * prices.computeVcpuHour.usd, basis },
    { name: `${name} memory`, usdPerYear: vcpu * assumptions.workerGbPerVcpu * hoursPerYear * prices.computeGbHour.usd, basis },
  ];
}

/** A scheduled job's CPU on the AWS sheet's vCPU and memory prices, each run billed at least a minimum. */
export function scheduledJob(aws: PriceSheet, cpuSecondsPerDay: number, runsPerDay: number, minimumSecondsPerRun: number, name: string): CostLine {
  const { prices, assumptions } = aws;
  const floor = runsPerDay * minimumSecondsPerRun;
  const vcpuSecondUsd = (prices.computeVcpuHour.usd + assumptions.workerGbPerVcpu * prices.computeGbHour.usd) / 3600;
  return { name, usdPerYear: Math.max(floor, cpuSecondsPerDay) * vcpuSecondUsd * daysPerYear, basis: basisOf(cpuSecondsPerDay, floor) };
}

/** Bytes kept all year at a price per unit-month (unitBytes: 1e9 for a GB, 2^30 for a GiB, 1e12 for a TB). */
export function storageLine(name: string, bytes: number, unitBytes: number, usdPerUnitMonth: number): CostLine {
  return { name, usdPerYear: (bytes / unitBytes) * usdPerUnitMonth * monthsPerYear, basis: 'measured' };
}
