export type ServiceMode = 'external' | 'docker' | 'native';
export type ModeChoice = ServiceMode | 'auto';

export interface KafkaEndpoint {
  brokers: string[];
  /** Passed as-is to the Kafka client (kafkajs `ssl`, `sasl`). */
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export interface S3Endpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A PostgreSQL server the warehouse is served from (issue 21). */
export interface WarehouseEndpoint {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** TLS, as WAREHOUSE_URL's sslmode asks: require encrypts, verify-full also checks the certificate. */
  ssl?: 'require' | 'verify-full';
}

export interface ServiceDescription {
  /** e.g. "Apache Kafka", "S3Proxy", "MinIO", "PostgreSQL". */
  server: string;
  /** The server's own version, or "unknown" where an external server does not say. */
  version: string;
  endpoint: string;
  mode: ServiceMode;
  startedAt: string;
  /** How long provisioning took, including any download. */
  startMillis: number;
  /** Where its log file is, for native services. */
  logPath?: string;
  pid?: number;
}

export interface Health {
  ok: boolean;
  detail: string;
}

/**
 * A server this process runs and can take down and bring back on the same endpoint and data:
 * what the broker-restart and s3-outage faults use (issue 11). Only native servers this session
 * started have it; docker and external ones, and servers a `services up` left running, do not.
 */
export interface RestartableService {
  /** Stops the server as an operator would (SIGTERM, a clean shutdown) and resolves once it has exited. Its data stays. */
  down(): Promise<void>;
  /** Starts it again on the same ports and data; resolves once it serves. */
  up(): Promise<void>;
  /** The server process now running, for resource sampling; it changes at each `up`. */
  readonly pid: number;
}

/** One running (or attached) service. Disposing it stops what this process started. */
export interface ServiceHandle<E> extends AsyncDisposable {
  readonly endpoint: E;
  readonly description: ServiceDescription;
  health(): Promise<Health>;
  stop(): Promise<void>;
  /** Present where this process can stop and start the server again (native, session-owned). */
  readonly restartable?: RestartableService;
}

export interface Services extends AsyncDisposable {
  readonly mode: ServiceMode;
  /** True when this process started the servers, so stop() stops them. */
  readonly owned: boolean;
  readonly kafka: ServiceHandle<KafkaEndpoint>;
  readonly s3: ServiceHandle<S3Endpoint>;
  stop(): Promise<void>;
}
