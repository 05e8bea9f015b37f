import { describe, expect, it } from 'vitest';
import { enginesText, tierLabel } from '../../../src/results/labels.ts';
import type { TierSummary } from '../../../src/results/summary.ts';

const withEngine = (engine?: TierSummary['engine']) => ({ ...(engine ? { engine } : {}) }) as TierSummary;

describe('a tier as the outputs name it', () => {
  it('adds the engine where it is not the Node one, so two engines of a tier are told apart', () => {
    expect(tierLabel('streaming', withEngine({ name: 'node', version: 'v24.21.0' }))).toBe('streaming');
    expect(tierLabel('streaming', withEngine({ name: 'kafka-streams', version: 'Kafka Streams 4.3.1 on Java 17.0.15' }))).toBe('streaming (kafka-streams)');
    // Summaries stored before engines were recorded.
    expect(tierLabel('batch', withEngine())).toBe('batch');
  });

  it('says which engine ran each tier, and a JVM start-up apart from what was measured', () => {
    expect(
      enginesText([
        ['microbatch', withEngine({ name: 'node', version: 'v24.21.0' })],
        ['streaming', withEngine({ name: 'kafka-streams', version: 'Kafka Streams 4.3.1 on Java 17.0.15', startupMs: 2137 })],
        ['batch', withEngine()],
      ]),
    ).toBe('microbatch: node (v24.21.0); streaming: kafka-streams (Kafka Streams 4.3.1 on Java 17.0.15, started in 2.1 s (not measured)); batch: not recorded');
  });

  it('says when a job ran on a cluster, where /proc cannot measure it', () => {
    expect(enginesText([['streaming', withEngine({ name: 'flink', version: 'Flink 2.2.1 on Java 17.0.15', cluster: 'http://flink:8081' })]])).toMatch(
      /^streaming: flink \(Flink 2\.2\.1 on Java 17\.0\.15\), on the cluster at http:\/\/flink:8081: its CPU and memory there are not measured/,
    );
  });
});
