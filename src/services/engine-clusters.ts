import { TierlabError } from '../errors.ts';
import type { Environment } from './external.ts';

/**
 * Engine clusters that already run, like KAFKA_BROKERS for Kafka: a JVM engine submits its job
 * there instead of running it in the engine's own process (docs/engines.md, "On a cluster").
 */
export interface EngineClusters {
  /** A Flink cluster's REST endpoint (the JobManager's), http://host:port: FLINK_REST_URL. */
  flinkRestUrl?: string;
}

/** The clusters named in the environment the caller passes; a value that is not one is refused, naming it. */
export function engineClustersFrom(env: Environment): EngineClusters {
  const flink = env.FLINK_REST_URL?.trim();
  if (!flink) return {};
  let url: URL;
  try {
    url = new URL(flink);
  } catch (cause) {
    throw new TierlabError('BAD_INPUT', `FLINK_REST_URL "${flink}" is not a URL (e.g. http://localhost:8081)`, { cause, details: { FLINK_REST_URL: flink } });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.port === '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new TierlabError('BAD_INPUT', `FLINK_REST_URL "${flink}" must be http://host:port, the JobManager's REST endpoint`, { details: { FLINK_REST_URL: flink } });
  }
  return { flinkRestUrl: `${url.protocol}//${url.host}` };
}
