import type { JvmModule } from '../../../src/tiers/jvm/build.ts';
import type { TierContext } from '../../../src/tiers/types.ts';

/**
 * What Spark 4 needs of Java 17 to run in our process: the packages it reaches into opened to it,
 * as its own launcher (spark-submit, JavaModuleOptions) passes them; without them it cannot
 * start. The flags for newer Javas only (--sun-misc-unsafe-memory-access) are left out.
 */
const sparkJavaOptions = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  ...[
    'java.base/java.lang',
    'java.base/java.lang.invoke',
    'java.base/java.lang.reflect',
    'java.base/java.io',
    'java.base/java.net',
    'java.base/java.nio',
    'java.base/java.util',
    'java.base/java.util.concurrent',
    'java.base/java.util.concurrent.atomic',
    'java.base/jdk.internal.ref',
    'java.base/sun.nio.ch',
    'java.base/sun.nio.cs',
    'java.base/sun.security.action',
    'java.base/sun.util.calendar',
  ].map((pkg) => `--add-opens=${pkg}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
];

/** engines/jvm/spark: the micro-batch tier as a Spark Structured Streaming query, its driver in the engine's process. */
export const sparkModule: JvmModule = { folder: 'spark', mainClass: 'tierlab.engine.spark.Main', jvmArgs: sparkJavaOptions };

/** The Spark cluster the executors run on, where SPARK_MASTER names one: else local mode in the engine's process. */
export function sparkCluster(context: TierContext): { url: string; setting: string } | undefined {
  const url = context.engineClusters?.sparkMaster;
  return url ? { url, setting: 'sparkMaster' } : undefined;
}
