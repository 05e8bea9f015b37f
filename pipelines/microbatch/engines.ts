import type { EngineEntry } from '../../src/tiers/descriptor.ts';
import { jvmEngine } from '../../src/tiers/jvm/engine-entry.ts';
import { flinkModule } from '../streaming/flink/module.ts';
import type { MicrobatchOptions } from './options.ts';
import { sparkModule } from './spark/module.ts';

/**
 * The micro-batch tier's engines, the default first. node: a Kafka consumer that folds events
 * into windows and writes them every trigger. lake: buffered delivery into S3 objects (Firehose's
 * buffer interval) and a small DuckDB query every trigger that folds the new objects into the windows.
 */
export const microbatchEngineLoaders: Record<string, EngineEntry<MicrobatchOptions>> = {
  node: { load: async (context, options) => (await import('./microbatch-tier.ts')).createMicrobatchTier(context, options) },
  // Only a lake micro-batch worker loads DuckDB and the AWS SDK.
  lake: { load: async (context, options) => (await import('./lake/lake-tier.ts')).createLakeMicrobatchTier(context, options) },
  // A JVM engine (engines/jvm), built once with Maven before a worker starts: Flink with processing-time triggers.
  flink: jvmEngine(flinkModule, async (context, options) => (await import('./flink/flink-tier.ts')).createFlinkMicrobatchTier(context, options)),
  spark: jvmEngine(sparkModule, async (context, options) => (await import('./spark/spark-tier.ts')).createSparkMicrobatchTier(context, options)),
};
