import { TierlabError } from '../../errors.ts';

/**
 * The data path every tier and the floor use to talk to Kafka: produce with acks=all, and
 * consume a topic in per-partition batches as one member of a group. Two Node clients sit
 * behind it (issue 9), so the floor can show what each costs. Topic administration and
 * reading results back are not on the data path and stay with kafkajs.
 */

export const kafkaClientNames = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof kafkaClientNames)[number];
/** The faster client in the floor (issue 9): lower CPU per event and latency in every row, and every tier correct with it. */
export const defaultKafkaClient: KafkaClientName = 'platformatic';

export function parseKafkaClient(value: string): KafkaClientName {
  if ((kafkaClientNames as readonly string[]).includes(value)) return value as KafkaClientName;
  throw new TierlabError('BAD_INPUT', `--kafka-client must be one of ${kafkaClientNames.join(', ')} (got "${value}")`, { details: { value } });
}

/** A record to produce. Keyed records go to partitions with Kafka's (Java client's) murmur2 hash. */
export interface OutgoingRecord {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
}

/** A record as fetched. */
export interface IncomingRecord {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  /** The producer's create time, ms. */
  timestampMs: number;
  header(name: string): string | undefined;
}

/** Records of one partition, fetched together, in offset order. */
export interface RecordBatch {
  partition: number;
  records: IncomingRecord[];
  /** The offset after the batch's last record: what a commit of this batch stores. */
  nextOffset: bigint;
  /** The consumer that fetched it: a transaction commits the batch as consumed through it. */
  consumer: RunningConsumer;
}

export interface ConsumeOptions {
  groupId: string;
  /** Read from the group's committed offsets, or from the beginning when it has none. */
  topic: string;
  /** How long the broker may hold a fetch that has fewer than minBytes. */
  maxWaitMs: number;
  minBytes?: number;
  /**
   * Batches of different partitions handled at the same time. Default 1. 'all': every partition a
   * fetch brought, so what their handlers write in one turn goes in one produce request.
   */
  partitionsConcurrently?: number | 'all';
  /**
   * true: offsets are committed once a batch's handler has resolved (platformatic: at most once
   * per autoCommitIntervalMs, and at close). false: the caller commits with `commit`, after its
   * own write (micro-batch, lake sink).
   */
  autoCommit: boolean;
  onBatch: (batch: RecordBatch) => Promise<void>;
  /** The client gave up: the tier has failed. */
  onFatal: (error: unknown) => void;
  /** The client hit an error it recovers from by itself (a rebalance, a coordinator loading). */
  onRecovered?: (error: unknown) => void;
}

export interface RunningConsumer {
  /** Stores `offset` (the next to read) for each partition of the consumed topic. */
  commit(offsets: Array<{ partition: number; offset: bigint }>): Promise<void>;
  /** No batch is handed over after this resolves; commits still work until `close`. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface RecordProducer {
  /** Resolves when every record is acknowledged by all in-sync replicas (acks=all). */
  send(topic: string, records: OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** How a producer groups sends into requests (see coalesce.ts). */
export interface ProducerOptions {
  /** Requests out at once: 1 gathers the most into each request (fewest requests, least CPU); Kafka's Java producer allows 5. */
  maxInFlight: number;
  /** A larger send is split into requests of at most this many records, so the broker writes one while the client encodes the next. */
  maxRecordsPerRequest: number;
  /**
   * Every record written once, even when a request is retried through a broker restart: the
   * client retries it with the sequence numbers it was sent with, and the broker drops what it
   * already has. One request in flight (maxInFlight is then 1). What the generator writes needs
   * this: an event in the topic twice is counted twice by every tier. The tiers' results do not
   * (a window's latest value, written again, changes nothing), and a failed request of theirs is
   * sent again as new.
   */
  idempotent?: boolean;
}

/**
 * Kafka's read-process-write transaction (exactly-once): the records written and the source
 * offsets consumed commit together, so a read_committed reader sees all of it or none, and a
 * restart resumes exactly after what was committed. The transactional id fences a dead worker's
 * producer: the new one's first transaction aborts whatever the old one left open.
 */
export interface TransactionalProducer {
  /**
   * Resolves once a transaction holding `writes` and the consumed `batches` has committed.
   * Calls made while a transaction is committing go together in the next one, as Kafka Streams
   * groups a commit interval's work; a failed transaction is aborted and rejects every call in it.
   */
  commit(writes: Array<{ topic: string; records: OutgoingRecord[] }>, consumed: RecordBatch[]): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionHooks {
  /** Called once a transaction's records and offsets are sent, just before it commits: where a crash test kills the worker. */
  beforeCommit?: () => void;
}

export const defaultProducerOptions: ProducerOptions = { maxInFlight: 5, maxRecordsPerRequest: 2_000 };

export interface KafkaDriver {
  readonly client: KafkaClientName;
  producer(options?: Partial<ProducerOptions>): Promise<RecordProducer>;
  consume(options: ConsumeOptions): Promise<RunningConsumer>;
  /** A producer for read-process-write transactions over batches this driver's consumers fetched (consume with autoCommit false). */
  transactionalProducer(transactionalId: string, hooks?: TransactionHooks): Promise<TransactionalProducer>;
}

/**
 * How soon the group notices a member that died without leaving: a replacement worker waits this
 * long for its partitions. 10 s (Kafka's broker allows 6 s at the least); the clients' defaults of
 * 30–60 s would make every crash a half-minute outage. Both clients use the same, so they compare.
 */
/** How often a consumer with autoCommit stores the offsets it has handled (Java's consumer: 5 s by default). */
export const autoCommitIntervalMs = 1_000;

export const groupTimeouts = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 } as const;

export interface DriverOptions {
  clientId: string;
}
