import type { ResourceSampler } from '../metrics/resources.ts';
import type { Services } from '../services/types.ts';

/**
 * Samples the broker and the S3 server beside the tiers, where their pids are known (native
 * services). Native servers run under a watchdog shell; sampling its tree counts the JVM under it.
 * A server restarted by an earlier pass's fault runs under a new pid: this takes the current one.
 */
export function watchServices(sampler: ResourceSampler, services: Services): void {
  const kafkaPid = services.kafka.restartable?.pid ?? services.kafka.description.pid;
  const s3Pid = services.s3.restartable?.pid ?? services.s3.description.pid;
  if (kafkaPid) sampler.watch('kafka-broker', kafkaPid);
  if (s3Pid) sampler.watch('s3-server', s3Pid);
}
