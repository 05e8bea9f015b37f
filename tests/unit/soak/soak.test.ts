import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { overallVerdict, soakProcesses } from '../../../src/harness/soak-run.ts';
import { soakSchemaVersion, type SoakResult } from '../../../src/results/soak.ts';
import { renderSoakTable } from '../../../src/results/soak-render.ts';
import { parseSoak } from '../../../src/soak/file.ts';
import { chooseSoakRate } from '../../../src/soak/rate.ts';

const mib = 2 ** 20;

describe('the rate a soak offers', () => {
  const capacities = new Map([
    ['streaming', { perSec: 20_000, runId: 'run-s' }],
    ['microbatch', { perSec: 12_500, runId: 'run-m' }],
  ] as const);

  it('is the load times the lowest capacity of its tiers', () => {
    const rate = chooseSoakRate('demo', ['streaming', 'microbatch'], new Map(capacities), 0.8);
    expect(rate).toMatchObject({ ratePerSec: 10_000, basis: 'capacity', load: 0.8, capacityPerSec: 12_500, capacityRunId: 'run-m' });
    expect(rate.why).toContain("80% of microbatch's capacity of 12,500/s (run run-m)");
    expect(rate.why).toContain('streaming 20,000/s');
  });

  it('is the rate asked for, said to be so, and set beside a capacity where one is known', () => {
    const known = chooseSoakRate('demo', ['streaming'], new Map(capacities), 0.8, 5_000);
    expect(known).toMatchObject({ ratePerSec: 5_000, basis: 'asked', capacityPerSec: 20_000 });
    expect(known.why).toBe("5,000/s as asked (--rate), 25% of streaming's capacity of 20,000/s (run run-s)");
    const unknown = chooseSoakRate('demo', ['batch'], new Map(capacities), 0.8, 5_000);
    expect(unknown).not.toHaveProperty('capacityPerSec');
    expect(unknown.why).toBe('5,000/s as asked (--rate); no capacity is known for batch, so this is not a share of one');
  });

  it('is refused without a capacity or a rate, naming the tier and both ways out', () => {
    let error: unknown;
    try {
      chooseSoakRate('demo', ['streaming', 'batch'], new Map(capacities), 0.8);
    } catch (caught) {
      error = caught;
    }
    expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
    expect((error as Error).message).toBe(
      'no capacity of batch on demo is stored, so there is no capacity to soak at a share of: run `tierlab capacity demo --tier batch` first, or give --rate',
    );
  });
});

describe("a soak's processes", () => {
  const stream = { startedMicros: 1_000_000_000, finishedMicros: 1_000_000_000 + 60e6 };
  // Every 5 s from 10 s before the stream to 10 s after it: the tier grows 1 MiB a second during its first 20 s only.
  const samples = (rss: (sec: number) => number) =>
    Array.from({ length: 17 }, (_, i) => (i - 2) * 5).map((sec) => ({ atMicros: stream.startedMicros + sec * 1e6, rssBytes: rss(sec) }));
  const series = new Map([
    ['harness', { pid: 10, samples: samples(() => 200 * mib) }],
    ['tier:streaming', { pid: 11, samples: samples((sec) => (100 + Math.min(Math.max(sec, 0), 20)) * mib) }],
    ['kafka-broker', { pid: 12, samples: samples((sec) => (500 + sec) * mib) }],
  ]);

  it('are judged on the stream after the warm-up, with every sample of the stream kept', () => {
    const processes = soakProcesses(series, stream, 20);
    const tier = processes.find((p) => p.name === 'tier:streaming')!;
    expect(tier).toMatchObject({ pid: 11, judged: true, samples: 9, startRssBytes: 120 * mib, endRssBytes: 120 * mib, verdict: 'flat' });
    expect(tier.series[0]).toEqual([0, 100 * mib]);
    expect(tier.series).toHaveLength(13);
    // Judged from the start of the stream instead, the warm-up's growth would count.
    expect(soakProcesses(series, stream, 0).find((p) => p.name === 'tier:streaming')!.verdict).toBe('growing');
    // The broker grows, but is shown, not judged.
    const broker = processes.find((p) => p.name === 'kafka-broker')!;
    expect(broker).toMatchObject({ judged: false, verdict: 'flat' });
    expect(overallVerdict(processes)).toBe('flat');
    expect(overallVerdict(soakProcesses(series, stream, 0))).toBe('growing');
    expect(overallVerdict(soakProcesses(series, stream, 55))).toBe('unknown');
  });
});

describe('soak.json and the table', () => {
  const result: SoakResult = {
    schemaVersion: soakSchemaVersion,
    scenario: 'demo',
    runId: '20261205-000000-demo-abcd',
    startedAt: '2026-12-05T00:00:00.000Z',
    environment: { cpus: 2, cpuModel: 'cpu', node: 'v24.22.3', servicesMode: 'native', kafka: { version: '4.1.0' } },
    rate: { ratePerSec: 8_000, basis: 'capacity', load: 0.8, capacityPerSec: 10_000, capacityRunId: 'cap', why: "8,000/s: 80% of streaming's capacity of 10,000/s (run cap)" },
    durationSec: 600,
    warmupSec: 150,
    sampleEverySec: 5,
    flatWithin: 0.1,
    tiers: [{ name: 'streaming', state: 'ok', correct: true, visible: 4_800_000, achievedPerSec: 7_990, heldWindows: 41_000, evictedWindows: 120_000 }],
    processes: [
      { name: 'harness', pid: 1, judged: true, samples: 90, startRssBytes: 150 * mib, endRssBytes: 152 * mib, peakRssBytes: 160 * mib, slopeBytesPerMin: 0.2 * mib, growth: 0.012, verdict: 'flat', series: [[0, 150 * mib]] },
      { name: 'tier:streaming', pid: 2, judged: true, samples: 90, startRssBytes: 180 * mib, endRssBytes: 181 * mib, peakRssBytes: 190 * mib, slopeBytesPerMin: -0.1 * mib, growth: -0.004, verdict: 'flat', series: [] },
      { name: 'kafka-broker', pid: 3, judged: false, samples: 90, startRssBytes: 900 * mib, endRssBytes: 990 * mib, peakRssBytes: 990 * mib, slopeBytesPerMin: 12 * mib, growth: 0.1, verdict: 'flat', series: [] },
    ],
    verdict: 'flat',
  };

  it('round-trips through its schema, and a bad field is named', () => {
    expect(parseSoak(JSON.stringify(result), 'soak.json')).toEqual(result);
    const bad = { ...result, processes: [{ ...result.processes[0], verdict: 'fine' }] };
    expect(() => parseSoak(JSON.stringify(bad), 'soak.json')).toThrow(/\/processes\/0\/verdict must be equal to one of the allowed values/);
  });

  it('prints a row per process with its start, end, slope, growth and verdict, the tiers, and the verdict', () => {
    const text = renderSoakTable(result);
    expect(text).toContain("600 s at 8,000/s: 80% of streaming's capacity of 10,000/s (run cap)");
    const row = (name: string) => text.split('\n').find((line) => line.startsWith(name))!.split(/\s{2,}/);
    expect(row('harness')).toEqual(['harness', '1', '90', '150.0 MiB', '152.0 MiB', '160.0 MiB', '+0.20 MiB/min', '+1.2%', 'flat']);
    expect(row('tier:streaming')).toEqual(['tier:streaming', '2', '90', '180.0 MiB', '181.0 MiB', '190.0 MiB', '-0.10 MiB/min', '-0.4%', 'flat']);
    expect(row('kafka-broker')).toEqual(['kafka-broker', '3', '90', '900.0 MiB', '990.0 MiB', '990.0 MiB', '+12.00 MiB/min', '+10.0%', 'flat (not judged)']);
    expect(text).toContain('  streaming: ok, equal to the ground truth, 7,990/s made visible; 41,000 windows held at the end, 120,000 forgotten once closed');
    expect(text).toContain("verdict: flat: every tierlab process's RSS grew 10% or less");
  });
});
