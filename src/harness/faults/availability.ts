import { TierlabError } from '../../errors.ts';
import type { Services } from '../../services/types.ts';
import { isServiceFault, serviceOf, type FaultSpec } from './spec.ts';

/**
 * Refuses, before anything runs, faults these services cannot take: broker-restart and s3-outage
 * stop and start a server, which only servers this process started natively allow.
 */
export function assertFaultsInjectable(faults: FaultSpec[], services: Pick<Services, 'mode' | 'kafka' | 's3'>): void {
  const refused = faults.filter(isServiceFault).filter((fault) => !services[serviceOf(fault)].restartable);
  if (refused.length === 0) return;
  const names = refused.map((fault) => fault.text).join(', ');
  const why =
    services.mode === 'external'
      ? 'unavailable with external services: tierlab does not run the servers at KAFKA_BROKERS and S3_ENDPOINT, so it never stops them'
      : services.mode === 'docker'
        ? 'not supported with docker services yet: only native servers are stopped and started again on their data'
        : "unavailable with servers that 'tierlab services up' started: they are shared with other commands, so a run does not restart them " +
          "('tierlab services down' first lets the run start servers of its own)";
  throw new TierlabError(
    'BAD_INPUT',
    `--fault ${names}: ${why}. broker-restart and s3-outage need native services started by the run itself ` +
      '(TIERLAB_SERVICES_MODE=native, Java 17+ and Maven); kill:TIER@T works in every mode.',
    { details: { faults: refused.map((fault) => fault.text), mode: services.mode } },
  );
}
