package tierlab.engine.flink;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import sun.misc.Signal;
import tierlab.engine.EngineConfig;
import tierlab.engine.Lifeline;
import tierlab.engine.Report;

/**
 * The streaming and micro-batch tiers on Apache Flink. Started by the Node worker
 * (src/tiers/jvm/), it runs a Flink job on a local MiniCluster inside this process (so its CPU and
 * memory are the tier's), or submits it to an existing cluster (FLINK_REST_URL: ClusterSubmit,
 * its tasks reporting through a relay topic): the Kafka connector's KafkaSource reads the run's events topic from the
 * earliest offset, each record is decoded (malformed ones to the dead letters), keyed by its
 * window, counted into Flink keyed state, and the window written to the results topic: at once
 * per event (streaming), or when the next trigger fires (micro-batch). It reports what became
 * visible on stdout, and on SIGTERM drains (stop-with-savepoint --drain: the source stops, what
 * was read is written and flushed) and says so.
 */
public final class Main {
  /** How often a checkpoint commits the source's offsets (after the sink has flushed): as Kafka Streams' commit interval here. */
  private static final long CHECKPOINT_MS = 1_000;
  private static final long DEFAULT_ALLOWED_LATENESS_MS = 60_000;

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    // Flink's own chatter at start-up is info and warnings about a cluster we configure on purpose.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", System.getProperty("org.slf4j.simpleLogger.log.org.apache.flink", "error"));
    EngineConfig config = EngineConfig.read(args[0]);
    Report report = new Report();
    Lifeline.exitWhenParentDies();
    if (config.exactlyOnce()) {
      report.error("the Flink engine runs at least once only (its sink flushes on checkpoints; it has no transactions)");
      System.exit(2);
    }
    int parallelism = Math.max(1, config.threads());
    CountDownLatch opened = new CountDownLatch(parallelism);
    // On a cluster the tasks report through a topic of the run; here they share this JVM's report.
    Relay relay = new Relay(config.kafkaClient(), config.topics().events() + ".engine-report");
    boolean onCluster = config.flinkRestUrl() != null && !config.flinkRestUrl().isBlank();
    StreamExecutionEnvironment env;
    RelayReader relayReader = null;
    if (onCluster) {
      ClusterSubmit.createRelayTopic(relay);
      relayReader = new RelayReader(relay, report, opened);
      Thread reading = new Thread(relayReader, "tierlab-relay");
      reading.setDaemon(true);
      reading.start();
      env = ClusterSubmit.remoteEnvironment(config.flinkRestUrl(), flinkConfiguration(config));
      env.setParallelism(parallelism);
    } else {
      Shared.report = report;
      Shared.opened = opened;
      env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, flinkConfiguration(config));
    }
    env.getConfig().enableObjectReuse();
    env.enableCheckpointing(CHECKPOINT_MS, CheckpointingMode.AT_LEAST_ONCE);
    boolean microbatch = "microbatch".equals(config.tier());
    if (!microbatch) {
      // Flink holds records in a network buffer between tasks until it fills or this timeout
      // (100 ms by default) passes; the streaming tier hands each record on at once (0: flush after
      // every record), as the other streaming engines write each result at once.
      env.setBufferTimeout(0);
    }
    // The micro-batch engine keeps Flink's default buffer timeout (100 ms): its events wait for a trigger anyway.
    build(env, config, microbatch, relay);

    JobClient job = env.executeAsync("tierlab-" + config.tier());
    // Ready once the job runs and every subtask of the decoder has opened: its source is reading.
    while (!opened.await(5, TimeUnit.MILLISECONDS) || job.getJobStatus().get() != JobStatus.RUNNING) {
      JobStatus status = job.getJobStatus().get();
      if (status.isGloballyTerminalState()) {
        String cause = job.getJobExecutionResult().handle((result, error) -> error == null ? status.name() : rootCause(error)).get();
        report.error("the Flink job ended before it ran: " + cause);
        System.exit(1);
      }
    }
    report.ready("Flink " + EnvironmentInformation.getVersion() + " on Java " + System.getProperty("java.version"), (System.nanoTime() - started) / 1_000_000);

    AtomicBoolean stopping = new AtomicBoolean();
    // SIGTERM from the worker: a drain. Handled here rather than in a shutdown hook, so that Flink's
    // own shutdown hooks do not take the cluster down while the job is still writing.
    Signal.handle(new Signal("TERM"), signal -> {
      if (!stopping.compareAndSet(false, true)) return;
      new Thread(() -> drain(job, config, report), "tierlab-stop").start();
    });
    try {
      job.getJobExecutionResult().get();
    } catch (ExecutionException failed) {
      if (!stopping.get()) {
        report.error("the Flink job failed: " + rootCause(failed));
        System.exit(1);
      }
    }
    if (!stopping.get()) {
      report.error("the Flink job ended on its own");
      System.exit(1);
    }
    if (relayReader != null) ClusterSubmit.finishRelay(relay, relayReader);
    report.stopped();
    System.exit(0);
  }

  /** Stop-with-savepoint, draining: the source stops, the last trigger fires, the sink flushes, the job finishes. */
  private static void drain(JobClient job, EngineConfig config, Report report) {
    try {
      String savepoints = Path.of(config.stateDir(), "savepoints").toUri().toString();
      job.stopWithSavepoint(true, savepoints, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      report.error("the Flink job did not drain: " + rootCause(e));
      job.cancel();
      Runtime.getRuntime().halt(1);
    }
  }

  static void build(StreamExecutionEnvironment env, EngineConfig config, boolean microbatch, Relay relay) {
    KafkaSource<Arrival> source = KafkaSource.<Arrival>builder()
        .setProperties(config.kafkaClient())
        .setTopics(config.topics().events())
        .setGroupId(config.groupId())
        .setClientIdPrefix(config.clientId())
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new ArrivalSchema())
        // The same fetch as the Node tiers': return at once with what has arrived, wait at most maxWaitMs.
        .setProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1")
        .setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(config.maxWaitMs()))
        .build();
    String rules = Rules.toJson(config.rules());
    AckedKafkaSink sink = new AckedKafkaSink(config.kafkaClient(), config.clientId(), config.topics().results(), config.topics().deadLetter(), config.tier(), relay);
    TypeInformation<Write> writes = TypeInformation.of(Write.class);

    SingleOutputStreamOperator<Counted> events = env.fromSource(source, WatermarkStrategy.noWatermarks(), "events")
        .process(new Decode(config.windowMs(), rules, microbatch, relay), TypeInformation.of(Counted.class))
        .name("decode");
    events.getSideOutput(Decode.DEAD_LETTERS).sinkTo(sink).name("dead letters");
    KeyedStream<Counted, String> byWindow = events.keyBy(counted -> counted.id, Types.STRING);
    SingleOutputStreamOperator<Write> results;
    if (microbatch) {
      long triggerMs = config.triggerMs() == null ? 5_000 : config.triggerMs();
      long allowedLatenessMs = config.allowedLatenessMs() == null ? DEFAULT_ALLOWED_LATENESS_MS : config.allowedLatenessMs();
      results = byWindow.transform("windows", writes, new TriggeredOperator(new TriggeredWindows(rules, config.windowMs(), triggerMs, allowedLatenessMs)));
    } else {
      results = byWindow.process(new PerEventWindows(rules), writes).name("windows");
    }
    results.sinkTo(sink).name("results");
  }

  static Configuration flinkConfiguration(EngineConfig config) {
    Configuration conf = new Configuration();
    // No fixed port: other runs share this machine.
    conf.set(RestOptions.BIND_PORT, "0");
    // A failure ends the job, and the engine with it, so the worker sees it (no silent restarts).
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    // Checkpoints to files in the engine's state folder, as a deployment keeps them. Flink's default
    // keeps them in the JobManager's heap, each state at most 5 MB, and one failed checkpoint fails
    // the job: the micro-batch job at 10,000 events/s (20,000 cards' windows) failed its checkpoint
    // ("Asynchronous task checkpoint failed") 40 s into a run, and ran to the end with files.
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Path.of(config.stateDir(), "checkpoints").toUri().toString());
    return conf;
  }

  static String rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    return cause.toString();
  }
}
