import { describe, expect, it } from 'vitest';
import { readsAdviceLines, readsOptions } from '../../../src/cli/advise-reads.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';
import { makeRunSummary } from '../report/summary-builder.ts';

const hour = 3_600_000_000;

describe('advise --reads: the cheapest way to serve the reads, batch schedules included', () => {
  it("tries batch weekly, nightly, hourly and every 15 minutes against Monday 09:00 reads, and chooses the cheapest that meets the SLA", async () => {
    const scenario = await loadScenario('exec-dashboard');
    // The fixture's batch made 59,933 events visible in 1 s of job time: 16.7 µs an event, so a nightly
    // job at 50e6 events/day runs 834 s; the weekly one, 7 days' worth, 5,840 s.
    const run = makeRunSummary({ scenario: { name: 'exec-dashboard', question: 'Monday', dataset: 'clickstream', quick: true } });
    run.tiers.batch!.usage = { ...run.tiers.batch!.usage, events: 59_933, jobSeconds: 1, jobRuns: 3 };
    const reads = { kind: 'cron', cron: '0 9 * * MON', tz: 'Europe/London' } as const;
    const options = await readsOptions(run, scenario, reads, 'Europe/London', 50e6);
    expect(options.map((o) => o.label)).toEqual([
      'batch, weekly, Sunday 23:00 (Europe/London)',
      'batch, nightly, 02:00 (Europe/London)',
      'batch, hourly (Europe/London)',
      'batch, every 15 minutes (Europe/London)',
      'microbatch',
      'streaming',
    ]);
    const stale = Object.fromEntries(options.map((o) => [o.label.split(' (')[0], o.stalenessP99Micros]));
    // Staleness at Monday 09:00 is read off each schedule's last cutoff before it (its job done by then).
    expect(stale['batch, weekly, Sunday 23:00']).toBe(10 * hour);
    expect(stale['batch, nightly, 02:00']).toBe(7 * hour);
    expect(stale['batch, hourly']).toBe(1 * hour);
    expect(stale['batch, every 15 minutes']).toBe(0.25 * hour);

    const lines = readsAdviceLines(options, reads, 8 * hour);
    expect(lines[0]).toBe('results read on cron "0 9 * * MON" (Europe/London); SLA: staleness at read 8.00 h at p99');
    expect(lines.find((l) => l.includes('weekly'))).toMatch(/stale\s+10\.0 h at read \(p99, computed\)\s+misses/);
    expect(lines.at(-1)).toMatch(/^choose: batch, nightly, 02:00 \(Europe\/London\): 7\.00 h stale at read \(p99\), \$[\d,]+\/year; next cheapest: /);
    expect(readsAdviceLines(options, reads, 1_000).at(-1)).toBe('choose: none: no option is within 1.00 ms of staleness at read');
  });
});
