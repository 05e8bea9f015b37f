package tierlab.engine.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StorageStatistics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import sun.misc.Signal;
import tierlab.engine.EngineConfig;
import tierlab.engine.Lifeline;
import tierlab.engine.Micros;
import tierlab.engine.Report;

/**
 * The batch tier's job on Spark: a SparkSession in local mode inside this process, kept up for
 * the run as a warm Spark cluster would be, runs the job every periodMs over the raw zone the
 * tier's lake sink lands in S3, read through Hadoop's S3A connector. Like the node engine's job
 * (pipelines/batch/job.ts): list the raw zone, find the objects that landed since the last run,
 * recompute each hour partition they touch from all of its objects with the aggregate SQL the Node
 * side made from the dataset's rules, and put the partition's curated Parquet; its new events are
 * visible when that PUT returns. Reports each event made visible, and S3 requests, on stdout.
 */
public final class BatchMain {
  /** The raw zone's object keys (src/lake/raw-zone.ts): the hour partition is the first group. */
  private static final Pattern RAW_KEY = Pattern.compile("^raw/(dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2})/.+\\+\\d+\\+\\d{20}\\+\\d{20}\\.parquet$");

  private final EngineConfig config;
  private final Report report;
  private final long startedNanos;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<String> processed = new HashSet<>();
  /** Every raw object of each partition seen so far: a partition is recomputed from all of them. */
  private final Map<String, List<String>> inputs = new TreeMap<>();
  private SparkSession spark;
  private FileSystem lake;
  private Path scratch;
  private long runs;

  private BatchMain(EngineConfig config, Report report, long startedNanos) {
    this.config = config;
    this.report = report;
    this.startedNanos = startedNanos;
  }

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    // stdout is the report (Report writes to the descriptor itself): anything a library prints goes to stderr.
    System.setOut(System.err);
    EngineConfig config = EngineConfig.read(args[0]);
    Report report = new Report();
    Lifeline.exitWhenParentDies();
    try {
      new BatchMain(config, report, started).run();
    } catch (Throwable error) {
      report.error("the Spark batch job failed: " + error);
      error.printStackTrace();
      System.exit(1);
    }
  }

  private void run() throws Exception {
    int threads = Math.max(1, config.threads());
    EngineConfig.S3 s3 = config.s3();
    scratch = Path.of(config.stateDir());
    spark = SparkMaster.master(SparkSession.builder(), config, threads)
        .appName("tierlab-batch")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", scratch.resolve("local").toString())
        .config("spark.sql.shuffle.partitions", String.valueOf(threads))
        .config("spark.default.parallelism", String.valueOf(threads))
        // The SQL is the Node job's (DuckDB's dialect): its identifiers are double-quoted.
        .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
        // The lake: any S3-compatible server, addressed by path (S3Proxy and MinIO in the lab).
        .config("spark.hadoop.fs.s3a.endpoint", s3.endpoint())
        .config("spark.hadoop.fs.s3a.endpoint.region", s3.region())
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        .config("spark.hadoop.fs.s3a.connection.ssl.enabled", String.valueOf(s3.endpoint().startsWith("https:")))
        .config("spark.hadoop.fs.s3a.access.key", s3.accessKeyId())
        .config("spark.hadoop.fs.s3a.secret.key", s3.secretAccessKey())
        .config("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .getOrCreate();
    lake = FileSystem.get(URI.create("s3a://" + config.bucket() + "/"), spark.sparkContext().hadoopConfiguration());
    rehearse();
    Signal.handle(new Signal("TERM"), signal -> stopping.set(true));
    report.ready("Spark " + spark.version() + " on Java " + System.getProperty("java.version"), (System.nanoTime() - startedNanos) / 1_000_000);

    long periodMs = config.periodMs() == null ? 20_000 : config.periodMs();
    long nextMs = System.currentTimeMillis() + periodMs;
    while (!stopping.get()) {
      long waitMs = nextMs - System.currentTimeMillis();
      if (waitMs > 0) {
        Thread.sleep(Math.min(waitMs, 100));
        continue;
      }
      runOnce();
      // A run longer than the period starts the next at once, as a scheduler that queues it would.
      nextMs = Math.max(nextMs + periodMs, System.currentTimeMillis());
    }
    // SIGTERM between runs, or after the one under way: everything it made visible has been reported.
    report.stopped();
    System.exit(0);
  }

  /** One run of the job over what has landed since the last. */
  private void runOnce() throws IOException {
    long startedMicros = Micros.now();
    Map<String, List<String>> fresh = new TreeMap<>();
    RemoteIterator<LocatedFileStatus> listed = lake.listFiles(new org.apache.hadoop.fs.Path("s3a://" + config.bucket() + "/raw/"), true);
    while (listed.hasNext()) {
      String key = listed.next().getPath().toUri().getPath().substring(1);
      Matcher match = RAW_KEY.matcher(key);
      if (!match.matches() || processed.contains(key)) continue;
      fresh.computeIfAbsent(match.group(1), partition -> new ArrayList<>()).add(key);
    }
    for (Map.Entry<String, List<String>> entry : fresh.entrySet()) {
      String partition = entry.getKey();
      List<String> newKeys = entry.getValue();
      List<String> all = inputs.computeIfAbsent(partition, p -> new ArrayList<>());
      List<String> together = new ArrayList<>(all);
      together.addAll(newKeys);
      // The events this run makes visible, with the times their rows carry, read before the write as the node job does.
      List<Row> rows = spark.read().parquet(paths(newKeys)).select("seq", "eventTimeMicros", "sentMicros", "readMicros").collectAsList();
      spark.read().option("mergeSchema", "true").parquet(paths(together)).createOrReplaceTempView("raw");
      Path out = scratch.resolve("out").resolve("run-" + runs).resolve(partition.replace('/', '_'));
      spark.sql(config.aggregateSql()).coalesce(1).write().mode("overwrite").parquet(out.toString());
      Path parquet = partFile(out);
      long writeStartMicros = Micros.now();
      lake.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(parquet.toUri()), new org.apache.hadoop.fs.Path("s3a://" + config.bucket() + "/curated/" + partition + "/aggregates.parquet"));
      long visibleMicros = Micros.now();
      all.addAll(newKeys);
      processed.addAll(newKeys);
      for (Row row : rows) {
        report.visible(number(row, 0), number(row, 1), number(row, 2), number(row, 3), startedMicros, writeStartMicros, visibleMicros);
      }
      deleteTree(out);
    }
    runs++;
    report.jobRun(Micros.now() - startedMicros);
    reportStore();
  }

  private String[] paths(List<String> keys) {
    return keys.stream().map(key -> "s3a://" + config.bucket() + "/" + key).toArray(String[]::new);
  }

  /** S3A's own counts of the requests it made (driver and tasks share the one cached FileSystem in local mode). */
  private void reportStore() {
    StorageStatistics stats = lake.getStorageStatistics();
    long list = count(stats, "object_list_request");
    long get = count(stats, "action_http_get_request") + count(stats, "action_http_head_request");
    long put = count(stats, "object_put_request");
    report.s3(list, get, put, count(stats, "object_put_bytes"));
  }

  private static long count(StorageStatistics stats, String name) {
    Long value = stats.getLong(name);
    return value == null ? 0 : value;
  }

  private static long number(Row row, int column) {
    return ((Number) row.get(column)).longValue();
  }

  private static Path partFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.getFileName().toString().startsWith("part-") && file.toString().endsWith(".parquet"))
          .findFirst()
          .orElseThrow(() -> new IOException("Spark wrote no Parquet part in " + dir));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
    }
  }

  /**
   * Spark's first job, its code generation and S3A's first LIST, paid before ready as start-up:
   * the aggregate on one row of our own, written nowhere, and a look at the bucket.
   */
  private void rehearse() {
    try {
      spark.sql("SELECT 'rehearsal' AS key, 0L AS eventTimeMicros, 1L AS amountCents").createOrReplaceTempView("raw");
      spark.sql("SELECT key, eventTimeMicros - (eventTimeMicros % 1000) AS w, count(*) AS c, sum(amountCents) AS s FROM raw GROUP BY ALL").collectAsList();
      lake.exists(new org.apache.hadoop.fs.Path("s3a://" + config.bucket() + "/raw/"));
    } catch (Exception error) {
      System.err.println("the Spark rehearsal failed (the first run will be slower): " + error);
    }
  }
}
