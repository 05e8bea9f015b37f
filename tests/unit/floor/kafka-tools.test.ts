import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import {
  endToEndLatencyArgs,
  parseEndToEndLatency,
  parseProducerPerformance,
  producerPerformanceArgs,
} from '../../../src/floor/kafka-tools.ts';

// Each fixture is what Kafka 4.3.1's own tool printed on a real run; see fixtures/README.md.
const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('parseEndToEndLatency', () => {
  it('reads the average and the whole-millisecond percentiles as µs, with the count asked for', () => {
    expect(parseEndToEndLatency(fixture('e2e-2000x170-acks-all.txt'), 2000)).toEqual({
      count: 2000,
      avgMicros: 1571,
      p50Micros: 1000,
      p99Micros: 8000,
      p999Micros: 25000,
    });
  });

  it('keeps a p50 that the tool truncated to 0 ms', () => {
    const latency = parseEndToEndLatency(fixture('e2e-2000x170-acks-all-p50-under-1ms.txt'), 2000);
    expect(latency).toMatchObject({ avgMicros: 1803, p50Micros: 0, p99Micros: 14000, p999Micros: 44000 });
    expect(latency.maxMicros).toBeUndefined(); // the tool prints no max
  });

  it('skips the topic-creation and progress lines of a first run', () => {
    expect(parseEndToEndLatency(fixture('e2e-2000x170-fresh-broker-stdout.txt'), 2000)).toMatchObject({
      avgMicros: 5794,
      p50Micros: 2000,
      p99Micros: 83000,
      p999Micros: 234000,
    });
  });

  it('reads past the WARN lines the tool logs into the same output', () => {
    expect(parseEndToEndLatency(fixture('e2e-2000x170-acks-all-with-warn.txt'), 2000)).toMatchObject({
      avgMicros: 2560,
      p50Micros: 1000,
      p99Micros: 11000,
      p999Micros: 32000,
    });
  });

  it('names the tool and the reason when there is no summary', () => {
    const error = thrown(() => parseEndToEndLatency(fixture('e2e-acks-0-refused.txt'), 20));
    expect(isTierlabError(error, 'TIER_FAILED')).toBe(true);
    expect(error.message).toContain('EndToEndLatency');
    expect(error.message).toContain('Invalid value for --producer-acks');
    expect(error.message).toContain('--version'); // the last lines of its output follow
  });
});

describe('parseProducerPerformance', () => {
  it('reads the final summary as µs', () => {
    expect(parseProducerPerformance(fixture('producer-perf-20000x170-at-10000.txt'))).toEqual({
      count: 20000,
      achievedPerSec: 9945.300845,
      avgMicros: 4910,
      maxMicros: 261000,
      p50Micros: 5000,
      p95Micros: 9000,
      p99Micros: 11000,
      p999Micros: 15000,
    });
  });

  it('takes the whole run, not a progress line', () => {
    expect(parseProducerPerformance(fixture('producer-perf-70000x170-at-10000.txt'))).toMatchObject({
      count: 70000,
      avgMicros: 15730,
      maxMicros: 435000,
      p50Micros: 4000,
      p99Micros: 167000,
      p999Micros: 184000,
    });
  });

  it('fails on progress lines alone', () => {
    const progressOnly = fixture('producer-perf-70000x170-at-10000.txt').split('\n')[0]!;
    const error = thrown(() => parseProducerPerformance(progressOnly));
    expect(isTierlabError(error, 'TIER_FAILED')).toBe(true);
    expect(error.message).toContain('ProducerPerformance');
    expect(error.message).toContain('49942 records sent');
  });
});

describe('tool arguments', () => {
  const workload = { kafka: { brokers: ['127.0.0.1:9092'] }, topic: 't', records: 2000, recordBytes: 170, acks: 'all' as const };

  it('uses the named arguments of Kafka 4.x', () => {
    expect(endToEndLatencyArgs(workload)).toEqual([
      '--bootstrap-server', '127.0.0.1:9092', '--topic', 't', '--num-records', '2000',
      '--producer-acks', 'all', '--record-size', '170',
    ]);
    expect(producerPerformanceArgs({ ...workload, throughputPerSec: 10000 })).toEqual([
      '--bootstrap-server', '127.0.0.1:9092', '--topic', 't', '--num-records', '2000',
      '--record-size', '170', '--throughput', '10000', '--command-property', 'acks=all',
    ]);
  });

  it('refuses a TLS or SASL endpoint, which the tools would not be configured for', () => {
    const error = thrown(() => endToEndLatencyArgs({ ...workload, kafka: { brokers: ['b:9093'], ssl: true } }));
    expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
  });
});
