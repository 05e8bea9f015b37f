import type { ReadsSummary, RunSummary } from '../../../src/results/summary.ts';
import { makeRunSummary } from './summary-builder.ts';

const second = 1_000_000;
const hour = 3_600 * second;
export const monday: ReadsSummary = { kind: 'cron', cron: '0 9 * * MON', tz: 'Europe/London' };
const nightly = { cron: '0 2 * * *', tz: 'Europe/London' };

/**
 * The exec-dashboard scenario as a stored run: read on Monday at 09:00, batch nightly at 02:00
 * (London), 50 M events a day. The builder's batch spent 2.4 s of job on 59,933 events, so a night's
 * run takes 33.4 min; the Monday read is 7 h after Monday's 02:00 cutoff.
 */
export function weekSummary(reads: ReadsSummary = monday, schedule: { cron?: string; tz?: string } = nightly): RunSummary {
  const summary = makeRunSummary({ sla: { p99Micros: 24 * hour } });
  summary.cost.eventsPerDay = 50_000_000;
  summary.environment.schedule = { ...summary.environment.schedule, ...schedule };
  summary.reads = reads;
  summary.tiers.batch!.stalenessAtRead = { reads: 1, p50Micros: 7 * hour, p99Micros: 7 * hour, maxMicros: 7 * hour, basis: 'computed' };
  summary.tiers.microbatch!.stalenessAtRead = { reads: 300, p50Micros: 5.2 * second, p99Micros: 10.4 * second, maxMicros: 10.9 * second, basis: 'measured' };
  summary.tiers.streaming!.stalenessAtRead = { reads: 300, p50Micros: 40_000, p99Micros: 85_000, maxMicros: 140_000, basis: 'measured' };
  return summary;
}
