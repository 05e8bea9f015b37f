package tierlab.engine.spark;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.apache.spark.sql.SparkSession;
import tierlab.engine.EngineConfig;

/**
 * Where the Spark engines run their tasks: in local mode inside the engine's process (so its CPU
 * and memory are the tier's), or on an existing cluster (SPARK_MASTER, e.g. spark://host:7077),
 * as `spark-submit --master` would, the driver staying in the engine's process. A cluster's
 * executors get the jars a Spark distribution lacks, found by what they hold.
 */
final class SparkMaster {
  /** Packages a Spark distribution does not have and the tasks need: ours, the Kafka source, S3A and the AWS SDK. */
  private static final List<String> SHIPPED_PACKAGES = List.of(
      "tierlab/", "org/apache/spark/sql/kafka010/", "org/apache/spark/kafka010/", "org/apache/kafka/",
      "org/apache/commons/pool2/", "org/apache/hadoop/fs/s3a/", "software/amazon/");

  private SparkMaster() {}

  static boolean onCluster(EngineConfig config) {
    return config.sparkMaster() != null && !config.sparkMaster().isBlank();
  }

  /** The session's master and what goes with it; `threads` task threads in local mode, or as many cores of the cluster. */
  static SparkSession.Builder master(SparkSession.Builder builder, EngineConfig config, int threads) throws IOException {
    if (!onCluster(config)) {
      return builder.master("local[" + threads + "]")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    return builder.master(config.sparkMaster())
        .config("spark.jars", String.join(",", shippedJars()))
        .config("spark.cores.max", String.valueOf(threads))
        .config("spark.executor.cores", String.valueOf(threads))
        .config("spark.executor.memory", "1g");
  }

  private static List<String> shippedJars() throws IOException {
    List<String> shipped = new java.util.ArrayList<>();
    for (String path : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (path.endsWith(".jar") && holdsShippedPackage(path)) shipped.add(new File(path).toURI().toString());
    }
    return shipped;
  }

  private static boolean holdsShippedPackage(String path) throws IOException {
    try (JarFile jar = new JarFile(path)) {
      return jar.stream().anyMatch(entry -> entry.getName().endsWith(".class") && SHIPPED_PACKAGES.stream().anyMatch(entry.getName()::startsWith));
    }
  }
}
