package tierlab.engine.kstreams;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.apache.kafka.streams.state.Stores;
import tierlab.engine.EngineConfig;
import tierlab.engine.Lifeline;
import tierlab.engine.Report;

/**
 * The streaming tier on Kafka Streams. Started by the Node worker (src/tiers/jvm/), it reads the
 * run's events topic, counts every event into its key's window, and writes each updated window to
 * the results topic and every malformed record to the dead letters, as the Node tier does; it
 * reports what became visible on stdout, and stops, draining, on SIGTERM.
 */
public final class Main {
  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    EngineConfig config = EngineConfig.read(args[0]);
    Report report = new Report();
    Lifeline.exitWhenParentDies();
    KafkaStreams streams = new KafkaStreams(topology(config), properties(config), new DefaultKafkaClientSupplier() {
      @Override
      public Producer<byte[], byte[]> getProducer(Map<String, Object> producerConfig) {
        return new TrackingProducer(producerConfig, report);
      }
    });
    CountDownLatch done = new CountDownLatch(1);
    streams.setUncaughtExceptionHandler(error -> {
      report.error("Kafka Streams failed: " + error);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING && before == KafkaStreams.State.REBALANCING) {
        report.ready("Kafka Streams " + AppInfoParser.getVersion() + " on Java " + System.getProperty("java.version"), (System.nanoTime() - started) / 1_000_000);
      }
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) done.countDown();
    });
    // SIGTERM from the worker: stop consuming, commit and flush what was read, then say so.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(60));
      report.stopped();
    }, "tierlab-stop"));
    streams.start();
    done.await();
    // Failed on its own (the handler reported why): exit so the worker sees it.
    if (streams.state() == KafkaStreams.State.ERROR) System.exit(1);
  }

  static Topology topology(EngineConfig config) {
    Topology topology = new Topology();
    topology.addSource("events", config.topics().events());
    topology.addProcessor("windows", () -> new WindowProcessor(config.windowMs(), config.rules()), "events");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WindowProcessor.STORE), Serdes.String(), Serdes.String()), "windows");
    topology.addSink(WindowProcessor.RESULTS, config.topics().results(), "windows");
    topology.addSink(WindowProcessor.DEAD_LETTERS, config.topics().deadLetter(), "windows");
    return topology;
  }

  static Properties properties(EngineConfig config) {
    // Bootstrap and the broker's security; Kafka Streams hands them to every client it makes.
    Properties props = config.kafkaClient();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.groupId());
    props.put(StreamsConfig.CLIENT_ID_CONFIG, config.clientId());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArray().getClass());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArray().getClass());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    // Every update goes downstream at once; nothing is held in a record cache.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // Offsets every second under at-least-once (Kafka Streams' default, 30 s, would replay more after a crash); exactly-once keeps its 100 ms.
    if (!config.exactlyOnce()) props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
    // The same fetch as the Node tier's: return at once with what has arrived, wait at most maxWaitMs.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), config.maxWaitMs());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // A replacement for a dead engine gets its partitions as soon as a Node tier's would.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), config.group().sessionTimeoutMs());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), config.group().heartbeatIntervalMs());
    // No linger: a result is sent as soon as it is made, as the Node producer does.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    return props;
  }
}
