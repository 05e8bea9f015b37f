package tierlab.engine.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tierlab.engine.Report;

/**
 * The engine process's end of the relay: reads what the tasks on the cluster reported and says it
 * on stdout through the engine's own report, as if the tasks ran here. Bytes written are totals
 * per TaskManager, added up; an `opened` counts down the latch that `ready` waits for.
 */
final class RelayReader implements Runnable {
  private final Relay relay;
  private final Report report;
  private final CountDownLatch opened;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Long> bytesBySource = new HashMap<>();
  private volatile boolean running = true;
  private volatile long lastRecordNanos = System.nanoTime();

  RelayReader(Relay relay, Report report, CountDownLatch opened) {
    this.relay = relay;
    this.report = report;
    this.opened = opened;
  }

  /** Waits until nothing has come for `quietMs` (the tasks' last lines are in), at most `maxMs`, then stops reading. */
  void finish(long quietMs, long maxMs) throws InterruptedException {
    long deadline = System.nanoTime() + maxMs * 1_000_000;
    while (System.nanoTime() < deadline && System.nanoTime() - lastRecordNanos < quietMs * 1_000_000) Thread.sleep(20);
    running = false;
  }

  @Override
  public void run() {
    Properties props = relay.client();
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(relay.topic(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          lastRecordNanos = System.nanoTime();
          handle(new String(record.key(), StandardCharsets.UTF_8), record.value());
        }
      }
    } catch (Exception error) {
      report.error("the report relay from the Flink cluster failed: " + error);
      System.exit(1);
    }
  }

  private void handle(String source, byte[] value) throws Exception {
    JsonNode line = json.readTree(value);
    switch (line.path("type").asText()) {
      case "opened" -> opened.countDown();
      case "progress" -> {
        for (JsonNode row : line.path("visible")) {
          report.visible(row.get(0).asLong(), row.get(1).asLong(), row.get(2).asLong(), row.get(3).asLong(), row.get(4).asLong(), row.get(5).asLong(), row.get(6).asLong());
        }
        for (JsonNode reason : line.path("rejected")) report.rejected(reason.asText());
        bytesBySource.put(source, line.path("kafkaBytesWritten").asLong());
        report.written(bytesBySource.values().stream().mapToLong(Long::longValue).sum());
      }
      default -> System.err.println("an unknown line on the report relay: " + line);
    }
  }
}
