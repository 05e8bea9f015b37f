package tierlab.engine.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tierlab.engine.Micros;
import tierlab.engine.Report;

/**
 * Writes the job's results and dead letters with a KafkaProducer of its own (acks=all, no linger),
 * so that each result's visible time is when the broker acknowledged it: Flink's KafkaSink does
 * not say when a record was acknowledged. At least once: flush() waits for every acknowledgement,
 * and Flink calls it before each checkpoint's barrier (so the source's offsets are committed only
 * for what is written) and at the end of a drain.
 */
final class AckedKafkaSink implements Sink<Write> {
  /** The Kafka client's settings: bootstrap and the broker's security (EngineConfig.kafkaClient). */
  private final Properties kafka;
  private final String clientId;
  private final String resultsTopic;
  private final String deadLetterTopic;
  private final String tier;
  private final Relay relay;

  AckedKafkaSink(Properties kafka, String clientId, String resultsTopic, String deadLetterTopic, String tier, Relay relay) {
    this.kafka = kafka;
    this.clientId = clientId;
    this.resultsTopic = resultsTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.tier = tier;
    this.relay = relay;
  }

  @Override
  public SinkWriter<Write> createWriter(WriterInitContext context) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-" + context.getTaskInfo().getTaskName().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + context.getTaskInfo().getIndexOfThisSubtask());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // A result is sent as soon as it is made, as the Node producer does.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new Writer(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  private final class Writer implements SinkWriter<Write> {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Report report = Shared.hold(relay);
    private volatile Exception failure;

    Writer(KafkaProducer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    @Override
    public void write(Write write, Context context) throws IOException {
      check();
      RecordHeaders headers = new RecordHeaders();
      if (write.deadLetter) {
        headers.add("tierlab-reason", write.reason.getBytes(StandardCharsets.UTF_8));
        headers.add("tierlab-tier", tier.getBytes(StandardCharsets.UTF_8));
        headers.add("tierlab-source", write.source.getBytes(StandardCharsets.UTF_8));
      }
      String topic = write.deadLetter ? deadLetterTopic : resultsTopic;
      long bytes = (write.key == null ? 0 : write.key.length) + (write.value == null ? 0 : write.value.length);
      long writeStartMicros = Micros.now();
      producer.send(new ProducerRecord<>(topic, null, null, write.key, write.value, headers), (metadata, exception) -> {
        if (exception != null) {
          failure = exception;
          return;
        }
        long visibleMicros = Micros.now();
        report.wrote(bytes);
        if (write.deadLetter) report.rejected(write.reason);
        long[] t = write.tracking;
        if (t != null) {
          for (int at = 0; at < t.length; at += 5) report.visible(t[at], t[at + 1], t[at + 2], t[at + 3], t[at + 4], writeStartMicros, visibleMicros);
        }
      });
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      producer.flush();
      check();
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(30));
      Shared.release();
    }

    private void check() throws IOException {
      if (failure != null) throw new IOException("a write to Kafka failed: " + failure, failure);
    }
  }
}
