import { TierlabError } from '../errors.ts';
import type { Environment } from './external.ts';

/**
 * Engine clusters that already run, like KAFKA_BROKERS for Kafka: a JVM engine submits its job
 * there instead of running it in the engine's own process (docs/engines.md, "On a cluster").
 */
export interface EngineClusters {
  /** A Flink cluster's REST endpoint (the JobManager's), http://host:port: FLINK_REST_URL. */
  flinkRestUrl?: string;
  /** A Spark standalone cluster's master URL for the executors (spark://host:7077): SPARK_MASTER. */
  sparkMaster?: string;
}

/** The clusters named in the environment the caller passes; a value that is not one is refused, naming it. */
export function engineClustersFrom(env: Environment): EngineClusters {
  const flinkRestUrl = flinkRestUrlFrom(env.FLINK_REST_URL?.trim());
  const sparkMaster = sparkMasterFrom(env.SPARK_MASTER?.trim());
  return { ...(flinkRestUrl ? { flinkRestUrl } : {}), ...(sparkMaster ? { sparkMaster } : {}) };
}

function sparkMasterFrom(master: string | undefined): string | undefined {
  if (!master) return undefined;
  // A standalone master (or several, for a standby): k8s:// would need Spark's Kubernetes module, which the engine does not carry.
  if (!/^spark:\/\/[^\s/:,]+:\d{1,5}(,[^\s/:,]+:\d{1,5})*$/.test(master)) {
    throw new TierlabError('BAD_INPUT', `SPARK_MASTER "${master}" must be spark://host:port, a standalone cluster's master (local mode is the default: leave it unset)`, {
      details: { SPARK_MASTER: master },
    });
  }
  return master;
}

function flinkRestUrlFrom(flink: string | undefined): string | undefined {
  if (!flink) return undefined;
  let url: URL;
  try {
    url = new URL(flink);
  } catch (cause) {
    throw new TierlabError('BAD_INPUT', `FLINK_REST_URL "${flink}" is not a URL (e.g. http://localhost:8081)`, { cause, details: { FLINK_REST_URL: flink } });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.port === '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new TierlabError('BAD_INPUT', `FLINK_REST_URL "${flink}" must be http://host:port, the JobManager's REST endpoint`, { details: { FLINK_REST_URL: flink } });
  }
  return `${url.protocol}//${url.host}`;
}
