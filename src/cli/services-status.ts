import type { ExternalStatus } from '../services/external.ts';
import { table } from './text-table.ts';

/**
 * What `tierlab services status` prints for servers named by KAFKA_BROKERS / S3_ENDPOINT: they
 * are not tierlab's, so there is no start time or pid, only where they are, whether they answer
 * now, and the Kafka release as far as the broker lets it be known.
 */
export function externalStatusLines(status: ExternalStatus): string[] {
  const reachable = (health: { ok: boolean; detail: string }) => `${health.ok ? 'yes' : 'NO'}: ${health.detail}`;
  const version = status.kafka.version;
  return [
    'mode: external (KAFKA_BROKERS, S3_ENDPOINT)',
    table([
      ['server', 'version', 'endpoint', 'reachable'],
      [status.kafka.server, version.version, status.kafka.endpoint, reachable(status.kafka.health)],
      [status.s3.server, 'unknown', status.s3.endpoint, reachable(status.s3.health)],
    ]),
    version.state === 'known'
      ? `kafka version: ${version.version}: ${version.basis}; Kafka does not report its release itself`
      : `kafka version: unknown: ${version.reason}`,
  ];
}

export function externalStatusOk(status: ExternalStatus): boolean {
  return status.kafka.health.ok && status.s3.health.ok;
}
