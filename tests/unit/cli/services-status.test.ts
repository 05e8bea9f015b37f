import { describe, expect, it } from 'vitest';
import { externalStatusLines, externalStatusOk } from '../../../src/cli/services-status.ts';
import type { ExternalStatus } from '../../../src/services/external.ts';

const status: ExternalStatus = {
  kafka: {
    server: 'Apache Kafka (external)',
    endpoint: '127.0.0.1:29092',
    health: { ok: true, detail: '1 broker(s), controller 1' },
    version: { state: 'known', version: 'at least 4.3', basis: 'ApiVersions: the broker supports metadata.version up to 4.3-IV0 (level 30)' },
  },
  s3: { server: 'S3-compatible (external)', endpoint: 'http://127.0.0.1:29000', health: { ok: true, detail: '0 bucket(s)' } },
};

describe('services status for external servers', () => {
  it('shows endpoints, reachability and the Kafka version with its basis', () => {
    expect(externalStatusLines(status)).toEqual([
      'mode: external (KAFKA_BROKERS, S3_ENDPOINT)',
      [
        'server                    version       endpoint                reachable',
        'Apache Kafka (external)   at least 4.3  127.0.0.1:29092         yes: 1 broker(s), controller 1',
        'S3-compatible (external)  unknown       http://127.0.0.1:29000  yes: 0 bucket(s)',
      ].join('\n'),
      'kafka version: at least 4.3: ApiVersions: the broker supports metadata.version up to 4.3-IV0 (level 30); Kafka does not report its release itself',
    ]);
    expect(externalStatusOk(status)).toBe(true);
  });

  it('says which server does not answer, and why the version is unknown', () => {
    const down: ExternalStatus = {
      ...status,
      kafka: { ...status.kafka, health: { ok: false, detail: 'Connection timeout' }, version: { state: 'unknown', version: 'unknown', reason: 'ApiVersions failed: refused' } },
    };
    const lines = externalStatusLines(down);
    expect(lines[1]).toContain('NO: Connection timeout');
    expect(lines[2]).toBe('kafka version: unknown: ApiVersions failed: refused');
    expect(externalStatusOk(down)).toBe(false);
  });
});
