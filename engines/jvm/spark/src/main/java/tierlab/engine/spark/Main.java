package tierlab.engine.spark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import sun.misc.Signal;
import tierlab.engine.EngineConfig;
import tierlab.engine.Lifeline;
import tierlab.engine.Micros;
import tierlab.engine.Report;

/**
 * The micro-batch tier on Spark Structured Streaming. Started by the Node worker (src/tiers/jvm/),
 * it runs Spark in local mode in this process: a query reads the run's events topic every
 * trigger (a processing-time trigger of the tier's triggerMs), and foreachBatch (MicroBatch)
 * counts the trigger's events into their windows and writes the windows and dead letters, as the
 * node micro-batch does. It reports what became visible on stdout, and on SIGTERM lets the running
 * trigger finish, stops the query, and says it stopped.
 */
public final class Main {
  private static final String QUERY = "tierlab-microbatch";

  private final EngineConfig config;
  private final Report report;
  private final long startedNanos;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile StreamingQuery query;
  private volatile MicroBatch microBatch;
  private volatile KafkaProducer<byte[], byte[]> producer;

  private Main(EngineConfig config, Report report, long startedNanos) {
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
      new Main(config, report, started).run();
    } catch (Throwable error) {
      report.error("Spark failed: " + error);
      error.printStackTrace();
      System.exit(1);
    }
  }

  private void run() throws Exception {
    int threads = Math.max(1, config.threads());
    Path state = Path.of(config.stateDir());
    SparkSession spark = SparkMaster.master(SparkSession.builder(), config, threads)
        .appName(QUERY)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", state.resolve("local").toString())
        // A trigger's data is small and its shuffle is the per-window sum: one partition a core, no adaptive re-planning.
        .config("spark.sql.shuffle.partitions", String.valueOf(threads))
        .config("spark.default.parallelism", String.valueOf(threads))
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.streaming.stopTimeout", "60s")
        .getOrCreate();
    producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    // The writer knows where the results and dead letters go before the first trigger needs them.
    producer.partitionsFor(config.topics().results());
    producer.partitionsFor(config.topics().deadLetter());
    microBatch = new MicroBatch(config, report, producer);
    rehearse(spark);

    CountDownLatch firstProgress = new CountDownLatch(1);
    spark.streams().addListener(new StreamingQueryListener() {
      @Override
      public void onQueryStarted(QueryStartedEvent event) {}

      @Override
      public void onQueryProgress(QueryProgressEvent event) {
        firstProgress.countDown();
      }

      @Override
      public void onQueryTerminated(QueryTerminatedEvent event) {
        firstProgress.countDown();
      }
    });
    // Replaces the JVM's SIGTERM handling (its shutdown hooks, Spark's among them, would stop the
    // SparkContext under a running trigger): drain first, then exit, which runs them.
    Signal.handle(new Signal("TERM"), signal -> new Thread(this::drain, "tierlab-drain").start());

    long triggerMs = config.triggerMs() == null ? 5_000 : config.triggerMs();
    DataStreamReader reader = spark.readStream().format("kafka");
    // Spark's Kafka source takes a client's settings prefixed "kafka.": the bootstrap and the broker's security.
    config.kafkaClient().forEach((key, value) -> reader.option("kafka." + key, String.valueOf(value)));
    query = reader
        .option("subscribe", config.topics().events())
        .option("startingOffsets", "earliest")
        .option("includeHeaders", "true")
        .option("groupIdPrefix", config.groupId())
        // The same fetch as the node micro-batch's: return at once with what has arrived, wait at most maxWaitMs.
        .option("kafka.fetch.min.bytes", "1")
        .option("kafka.fetch.max.wait.ms", String.valueOf(config.maxWaitMs()))
        .load()
        .writeStream()
        .queryName(QUERY)
        .trigger(Trigger.ProcessingTime(triggerMs, TimeUnit.MILLISECONDS))
        .option("checkpointLocation", state.resolve("checkpoint").toString())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> microBatch.onBatch(batch, batchId))
        .start();
    // The first trigger has looked at the topic: the query is consuming.
    firstProgress.await();
    if (query.isActive()) {
      report.ready("Spark " + spark.version() + " on Java " + System.getProperty("java.version"), (System.nanoTime() - startedNanos) / 1_000_000);
    }
    try {
      query.awaitTermination();
    } catch (StreamingQueryException error) {
      if (!stopping.get()) {
        report.error("the Spark query failed: " + error.getMessage());
        System.exit(1);
      }
    }
    if (!stopping.get()) {
      report.error("the Spark query ended on its own");
      System.exit(1);
    }
    // Stopped by a drain, which exits the process when it is done.
    new CountDownLatch(1).await();
  }

  /**
   * SIGTERM: what has arrived is made visible by the running trigger and, when it left some, by
   * one more (as the node micro-batch's final trigger), with every write acknowledged and reported;
   * then the query stops, between triggers.
   */
  private void drain() {
    if (!stopping.compareAndSet(false, true)) return;
    try {
      StreamingQuery running = query;
      if (running != null) {
        try {
          running.processAllAvailable();
        } catch (Exception error) {
          System.err.println("the final Spark trigger: " + error);
        }
        microBatch.running.lock();
        try {
          running.stop();
        } finally {
          microBatch.running.unlock();
        }
      }
      if (producer != null) producer.close(Duration.ofSeconds(30));
    } catch (Throwable error) {
      System.err.println("stopping the Spark query: " + error);
    }
    report.stopped();
    System.exit(0);
  }

  private Properties producerProperties() {
    Properties props = config.kafkaClient();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId() + "-writer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // No linger: a trigger's writes go as soon as they are made, as the node producer's do.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return props;
  }

  /**
   * A trigger's work on two records of our own (a valid event and a malformed one), written
   * nowhere: Spark's first job, code generation and the JIT are paid before ready, as start-up.
   */
  private void rehearse(SparkSession spark) {
    try {
      StructType header = DataTypes.createStructType(List.of(
          DataTypes.createStructField("key", DataTypes.StringType, true),
          DataTypes.createStructField("value", DataTypes.BinaryType, true)));
      StructType kafkaRecord = DataTypes.createStructType(List.of(
          DataTypes.createStructField("key", DataTypes.BinaryType, true),
          DataTypes.createStructField("value", DataTypes.BinaryType, true),
          DataTypes.createStructField("topic", DataTypes.StringType, true),
          DataTypes.createStructField("partition", DataTypes.IntegerType, true),
          DataTypes.createStructField("offset", DataTypes.LongType, true),
          DataTypes.createStructField("timestamp", DataTypes.TimestampType, true),
          DataTypes.createStructField("timestampType", DataTypes.IntegerType, true),
          DataTypes.createStructField("headers", DataTypes.createArrayType(header), true)));
      long now = Micros.now();
      byte[] event = ("{\"seq\":0,\"key\":\"rehearsal\",\"eventTimeMicros\":" + now + ",\"amountCents\":1,\"attrs\":{}}").getBytes(StandardCharsets.UTF_8);
      Timestamp timestamp = new Timestamp(now / 1000);
      List<Row> records = List.of(
          RowFactory.create("rehearsal".getBytes(StandardCharsets.UTF_8), event, "rehearsal", 0, 0L, timestamp, 0,
              List.of(RowFactory.create("tierlab-sent-us", String.valueOf(now).getBytes(StandardCharsets.UTF_8)))),
          RowFactory.create(null, "{".getBytes(StandardCharsets.UTF_8), "rehearsal", 1, 0L, timestamp, 0, null));
      microBatch.rehearse(spark.createDataFrame(records, kafkaRecord));
    } catch (Exception error) {
      // Only a warm-up: the first trigger pays what it did not.
      System.err.println("the Spark rehearsal failed (the first trigger will be slower): " + error);
    }
  }
}
