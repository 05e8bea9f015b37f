import type { SchemaObject } from 'ajv';
import type { Clock, DatasetProfile } from '../events/index.ts';
import type { FloorRow } from '../results/floor.ts';
import type { RunSchedule } from '../results/summary.ts';
import type { CommandRunner } from '../services/native/commands.ts';
import type { S3Endpoint } from '../services/types.ts';
import type { Tier, TierContext, TierName } from './types.ts';

/** Loads one engine of a tier and creates it: imported only in the process that runs the tier. */
export type EngineLoader<Options> = (context: TierContext, options: Options) => Promise<Tier>;

/** One engine of a tier: how it is loaded, and what must be done once before a worker runs it. */
export interface EngineEntry<Options> {
  load: EngineLoader<Options>;
  /** Done in the harness's process before any worker starts, so never measured as the tier's (a JVM engine: built with Maven). */
  prepare?: (deps: EngineDeps) => Promise<void>;
  /** Refuses, naming it, a setting this engine cannot honour: when the options are checked, before anything starts. */
  check?: (options: Options) => void;
  /**
   * Runs as several worker processes in one consumer group (`workers: N`): each restores a
   * partition's state when the group hands it one. An engine without it runs as one process.
   */
  scalesOut?: true;
}

/**
 * What a tier declares about itself, once, in its own folder (pipelines/<tier>/descriptor.ts): the
 * registry is a list of these, and nothing outside pipelines/ asks a tier's name to know them.
 */
export interface TierDescriptor<Options extends { engine: string }, Overrides = Partial<Options>> {
  name: TierName;
  /** The JSON Schema of its section of a scenario (bench/scenarios/*.yaml), checked before `resolve`. */
  optionsSchema: SchemaObject;
  /** Its defaults filled in and every value checked (the registry checks `engine` is one of `engines`); a bad one is named. */
  resolve(overrides?: Overrides): Options;
  /** Its engines, the default first. A new engine is a folder of its own and one entry here. */
  engines: Record<string, EngineEntry<Options>>;
  /** The longest it may hold an event before its next write (a backlog that empties this often is not growing). */
  holdPeriodMs(options: Options): number;
  /** Whether it keeps data in the S3 lake (a bucket of its own), besides its Kafka topics. */
  usesLake(options: Options): boolean;
  /** Its part of the run's schedule (summary.json environment.schedule), for a tier that runs on one. */
  schedule?(options: Options): Partial<RunSchedule>;
  /** The architecture (bench/architectures/) that prices it with these options, where not the tier's default: an engine deployed differently. */
  architecture?(options: Options): string | undefined;
  /** What `tierlab floor` measures of it (docs/outputs.md): its rows at the offered rate, and any it measures itself. */
  floor?: TierFloor<Options, Overrides>;
}

/** A tier's rows in `tierlab floor`. */
export interface TierFloor<Options, Overrides> {
  /**
   * Run alone at the floor's offered rate once per Node Kafka client, as row `ROW-CLIENT`
   * (`streaming-kafkajs`): each with its settings over the scenario's.
   */
  atRate?: Array<{ row: string; what: string; overrides?: Overrides; inProcess?: boolean }>;
  /** Rows it measures itself, each beside a reference of its own (batch: the job over S3 beside DuckDB on local disk). */
  own?: {
    rows: string[];
    /** A few words for the progress line. */
    what: string;
    measure(context: TierFloorContext, options: Options): Promise<FloorRow[]>;
  };
}

/** What a tier's own floor rows may use: the floor's services, dataset, rate and clock. */
export interface TierFloorContext {
  s3: S3Endpoint;
  /** The S3 server's process (native services), so its CPU can be measured too. */
  s3ServerPid?: number;
  profile: DatasetProfile;
  seed: number;
  ratePerSec: number;
  durationSec: number;
  windowMs: number;
  partitions: number;
  clock: Clock;
}

/** What preparing an engine may use. */
export interface EngineDeps {
  engineCacheDir: string;
  run: CommandRunner;
}
