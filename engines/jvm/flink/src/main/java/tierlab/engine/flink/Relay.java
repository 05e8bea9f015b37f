package tierlab.engine.flink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tierlab.engine.Report;

/**
 * How the job's tasks reach the engine process when they run on a Flink cluster's TaskManager,
 * another JVM and maybe another machine: the report's lines go to a topic of the run (the cluster
 * reaches Kafka already), keyed by the TaskManager, and the engine process reads them back
 * (RelayReader) and says them on its stdout. The times in them were taken by the tasks.
 */
record Relay(Properties kafka, String topic) implements Serializable {
  /** A Kafka client's settings for the relay: a copy, each client adds its own. */
  Properties client() {
    Properties props = new Properties();
    props.putAll(kafka);
    return props;
  }

  /** A report whose lines go to the relay's topic; closing it sends what is left and closes its producer. */
  record Opened(Report report, AutoCloseable close) {}

  Opened open() {
    Properties props = client();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    byte[] source = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    Report report = new Report(line -> producer.send(new ProducerRecord<>(topic, source, line.getBytes(StandardCharsets.UTF_8))));
    return new Opened(report, () -> {
      report.close();
      producer.close();
    });
  }
}
