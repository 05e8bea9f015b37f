import type { JvmModule } from '../../../src/tiers/jvm/build.ts';
import { sparkJavaOptions } from '../../../src/tiers/jvm/spark-java-options.ts';
import type { TierContext } from '../../../src/tiers/types.ts';

/** engines/jvm/spark: the micro-batch tier as a Spark Structured Streaming query, its driver in the engine's process. */
export const sparkModule: JvmModule = { folder: 'spark', mainClass: 'tierlab.engine.spark.Main', jvmArgs: sparkJavaOptions };

/** The Spark cluster the executors run on, where SPARK_MASTER names one: else local mode in the engine's process. */
export function sparkCluster(context: TierContext): { url: string; setting: string } | undefined {
  const url = context.engineClusters?.sparkMaster;
  return url ? { url, setting: 'sparkMaster' } : undefined;
}
