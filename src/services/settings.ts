import { homedir } from 'node:os';
import { join } from 'node:path';
import { engineClustersFrom, type EngineClusters } from './engine-clusters.ts';
import type { Environment } from './external.ts';
import { controllerPortAfter, parsePort } from './ports.ts';
import { pinned } from './versions.ts';

export interface ServiceSettings {
  /** Maven-fetched jars live here, outside git: about 100 MiB for Kafka and S3Proxy. */
  cacheDir: string;
  /** The JVM engines built from engines/jvm, each with its jars (Kafka Streams: about 100 MiB). */
  engineCacheDir: string;
  /** Engine clusters the JVM engines submit to, from FLINK_REST_URL. */
  engineClusters: EngineClusters;
  /** The state file of `services up` and the data of its servers. */
  stateDir: string;
  host: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  s3Port: number;
  s3Credentials: { accessKeyId: string; secretAccessKey: string; region: string };
  /** The warehouse's PostgreSQL (issue 21), when a command asks for it. */
  postgresPort: number;
  /** Its server binaries: Debian's directory unless TIERLAB_POSTGRES_BIN_DIR names another. */
  postgresBinDir: string;
  warehouseCredentials: { user: string; password: string; database: string };
  javaHome?: string;
}

/** Each server's own usual port, as a user expects to find it. */
export const defaultPorts = { kafka: 9092, kafkaController: 9093, s3: 9000, postgres: 15432 } as const;

/** The lab servers' one password (S3Proxy/MinIO secret key, PostgreSQL), masked wherever it is shown. */
const labSecret = 'tierlab-secret';

/** Settings from the environment the CLI passes; flags override them there. */
export function serviceSettingsFrom(env: Environment): ServiceSettings {
  const cacheRoot = env.TIERLAB_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tierlab');
  const port = (name: string, fallback: number): number => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : parsePort(value, name);
  };
  const kafkaPort = port('TIERLAB_KAFKA_PORT', defaultPorts.kafka);
  return {
    cacheDir: join(cacheRoot, 'jars'),
    engineCacheDir: join(cacheRoot, 'engines'),
    engineClusters: engineClustersFrom(env),
    stateDir: join(cacheRoot, 'services'),
    host: '127.0.0.1',
    kafkaPort,
    kafkaControllerPort:
      env.TIERLAB_KAFKA_CONTROLLER_PORT || kafkaPort === defaultPorts.kafka
        ? port('TIERLAB_KAFKA_CONTROLLER_PORT', defaultPorts.kafkaController)
        : controllerPortAfter(kafkaPort, 'TIERLAB_KAFKA_PORT'),
    s3Port: port('TIERLAB_S3_PORT', defaultPorts.s3),
    // Lab credentials for the servers tierlab starts itself; external mode brings its own.
    s3Credentials: { accessKeyId: 'tierlab', secretAccessKey: labSecret, region: 'us-east-1' },
    postgresPort: port('TIERLAB_POSTGRES_PORT', defaultPorts.postgres),
    postgresBinDir: env.TIERLAB_POSTGRES_BIN_DIR || pinned.postgres.binDir,
    warehouseCredentials: { user: 'tierlab', password: labSecret, database: 'tierlab' },
    ...(env.JAVA_HOME ? { javaHome: env.JAVA_HOME } : {}),
  };
}

export function stateFilePath(settings: ServiceSettings): string {
  return join(settings.stateDir, 'services.json');
}
