import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isTierlabError } from '../../src/errors.ts';
import { runEndToEndLatency, runProducerPerformance, type ToolLatency } from '../../src/floor/kafka-tools.ts';
import { ensureClasspath, kafkaToolsClasspath, type ResolvedClasspath } from '../../src/services/native/classpaths.ts';
import { runCommand } from '../../src/services/native/commands.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';

const { kafka } = inject('services');

function expectOrdered(latency: ToolLatency): void {
  expect(latency.p50Micros).toBeGreaterThanOrEqual(0);
  expect(latency.p50Micros).toBeLessThanOrEqual(latency.p99Micros);
  expect(latency.p99Micros).toBeLessThanOrEqual(latency.p999Micros);
  if (latency.maxMicros !== undefined) expect(latency.p999Micros).toBeLessThanOrEqual(latency.maxMicros);
  expect(latency.avgMicros).toBeGreaterThan(0);
  expect(latency.p999Micros).toBeLessThan(10_000_000);
}

describe("Kafka's own tools (real broker)", () => {
  let jars: ResolvedClasspath;

  beforeAll(async () => {
    // The same cache the services use; Maven fetches kafka-tools on first use.
    jars = await ensureClasspath(kafkaToolsClasspath, serviceSettingsFrom(process.env).cacheDir, runCommand);
    console.log(
      `[kafka-tools] ${jars.downloaded ? 'fetched' : 'cached'} ${jars.jarCount} jars, ` +
        `${(jars.bytes / 1024 / 1024).toFixed(1)} MiB in ${jars.millis} ms`,
    );
  });

  it('EndToEndLatency: 2,000 records of 170 bytes, one at a time, acks=all', async () => {
    const run = await runEndToEndLatency({
      classpath: jars.classpath,
      kafka,
      topic: `it-e2e-${randomUUID()}`,
      records: 2_000,
      recordBytes: 170,
      acks: 'all',
    });
    console.log(`[kafka-tools] e2e ${JSON.stringify({ ...run, output: undefined })}\n${run.output}`);
    expect(run.latency.count).toBe(2_000);
    expectOrdered(run.latency);
    expect(run.latency.p50Micros % 1000).toBe(0); // whole milliseconds
    expect(run.cpuSeconds).toBeGreaterThan(0);
    expect(run.wallMillis).toBeGreaterThan(0);
  });

  it('ProducerPerformance: 20,000 records at 10,000/s, acks=all', async () => {
    const run = await runProducerPerformance({
      classpath: jars.classpath,
      kafka,
      topic: `it-pp-${randomUUID()}`,
      records: 20_000,
      recordBytes: 170,
      throughputPerSec: 10_000,
      acks: 'all',
    });
    console.log(`[kafka-tools] producer-perf ${JSON.stringify({ ...run, output: undefined })}\n${run.output}`);
    expect(run.latency.count).toBe(20_000);
    expectOrdered(run.latency);
    // Throttled to 10,000/s: the 20,000 records take about 2 s, never much less.
    expect(run.latency.achievedPerSec).toBeLessThanOrEqual(11_000);
    expect(run.wallMillis).toBeGreaterThan(1_800);
    expect(run.cpuSeconds).toBeGreaterThan(0);
  });

  it('a refused run is a TIER_FAILED error naming the tool and its reason', async () => {
    const error = await runEndToEndLatency({
      classpath: jars.classpath,
      kafka,
      topic: `it-e2e-${randomUUID()}`,
      records: 10,
      recordBytes: 170,
      acks: '0' as 'all', // the tool needs a synchronous acknowledgement
    }).catch((e: unknown) => e);
    expect(isTierlabError(error, 'TIER_FAILED')).toBe(true);
    expect((error as Error).message).toContain('EndToEndLatency exited with 1');
    expect((error as Error).message).toContain('Invalid value for --producer-acks');
  });
});
