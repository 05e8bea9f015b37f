package tierlab.engine.spark;

import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import tierlab.engine.EngineConfig;
import tierlab.engine.Micros;
import tierlab.engine.Report;
import tierlab.engine.Rule;
import tierlab.engine.WindowAggregate;

/**
 * One trigger's work, called by Spark's foreachBatch on the driver with the records that arrived
 * since the last trigger. Spark decodes and judges every record in its tasks (Decode) and sums the
 * counted ones per (key, window); the driver folds those sums into the running windows, writes
 * every window the trigger touched to the results topic and every rejected record to the dead
 * letters (acks=all), and reports each event visible when its window's write is acknowledged.
 * Spark commits the trigger's offsets to its checkpoint only after this returns, with every write
 * acknowledged: at least once, as the node micro-batch.
 *
 * The watermark, as the node micro-batch keeps it: the newest event time counted by the triggers
 * before this one. A window that ended more than the allowed lateness before it takes no more
 * events (they are dead-lettered as late) and is dropped from the driver's map.
 */
final class MicroBatch {
  // The columns of a group: the grouping, then the aggregates in the order process() asks for them.
  private static final int G_KIND = 0, G_ID = 1, G_KEY = 2, G_WINDOW_START = 3, G_COUNT = 4, G_SUM = 5, G_NEWEST = 6, G_EVENTS = 7, G_REASON = 8, G_RAW_KEY = 9,
      G_RAW_VALUE = 10, G_PARTITION = 11, G_OFFSET = 12, G_FIRST_FLAG = 13;

  /** Held for the whole of a trigger: a drain takes it to wait for the running one to finish. */
  final ReentrantLock running = new ReentrantLock();

  private final EngineConfig config;
  private final Report report;
  private final Producer<byte[], byte[]> producer;
  private final List<Rule> rules;
  private final String rulesJson;
  private final long allowedLatenessMicros;
  private final Map<String, WindowAggregate> windows = new HashMap<>();
  private long watermarkMicros = Long.MIN_VALUE;

  MicroBatch(EngineConfig config, Report report, Producer<byte[], byte[]> producer) throws Exception {
    this.config = config;
    this.report = report;
    this.producer = producer;
    this.rules = config.rules();
    this.rulesJson = new ObjectMapper().writeValueAsString(config.rules());
    this.allowedLatenessMicros = (config.allowedLatenessMs() == null ? 60_000L : config.allowedLatenessMs()) * 1000;
  }

  /** foreachBatch: one trigger, made visible before Spark commits it. */
  void onBatch(Dataset<Row> batch, long batchId) throws InterruptedException {
    running.lockInterruptibly();
    try {
      process(batch, false);
    } finally {
      running.unlock();
    }
  }

  /**
   * The Spark work of a trigger on records that are not the stream's (`rehearsal`): its code
   * paths are loaded, compiled and JIT-warmed before the engine says it is ready, as the other
   * engines' start-up is, and nothing is written, kept or reported.
   */
  void rehearse(Dataset<Row> records) throws InterruptedException {
    process(records, true);
  }

  private void process(Dataset<Row> batch, boolean rehearsal) throws InterruptedException {
    List<Column> perGroup = new ArrayList<>(List.of(
        sum("amount").as("sumCents"),
        max("eventTime").as("newest"),
        collect_list(struct("seq", "eventTime", "sent", "read")).as("events"),
        first("reason").as("reason"),
        first("rawKey").as("rawKey"),
        first("rawValue").as("rawValue"),
        first("partition").as("partition"),
        first("offset").as("offset")));
    for (int i = 0; i < rules.size(); i++) perGroup.add(sum(Decode.flagColumn(i)));
    // One Spark job a trigger: its tasks read the records from Kafka, decode and judge them, and sum
    // the counted ones per (key, window), keeping each window's events; a dead letter is a group of its own.
    List<Row> groups = batch
        .select("key", "value", "partition", "offset", "timestamp", "headers")
        .mapPartitions(new Decode(config.windowMs(), allowedLatenessMicros, watermarkMicros, rulesJson), Encoders.row(Decode.schema(rules.size())))
        .groupBy("kind", "id", "key", "windowStart")
        .agg(count(lit(1)).as("count"), perGroup.toArray(new Column[0]))
        .collectAsList();
    if (rehearsal) return;

    List<WindowAggregate> touched = new ArrayList<>();
    Map<String, List<Row>> eventsByWindow = new HashMap<>();
    List<Row> letters = new ArrayList<>();
    long newestMicros = Long.MIN_VALUE;
    for (Row group : groups) {
      if (group.getInt(G_KIND) != Decode.COUNTED) {
        letters.add(group);
        continue;
      }
      String id = group.getString(G_ID);
      WindowAggregate window = windows.computeIfAbsent(id, k -> new WindowAggregate(group.getString(G_KEY), group.getLong(G_WINDOW_START), rules));
      window.count += group.getLong(G_COUNT);
      window.sumCents += group.getLong(G_SUM);
      newestMicros = Math.max(newestMicros, group.getLong(G_NEWEST));
      for (int i = 0; i < rules.size(); i++) window.flags.merge(rules.get(i).name(), group.getLong(G_FIRST_FLAG + i), Long::sum);
      eventsByWindow.put(id, group.getList(G_EVENTS));
      touched.add(window);
    }

    long writeStartMicros = Micros.now();
    AtomicReference<Exception> failed = new AtomicReference<>();
    for (WindowAggregate window : touched) {
      byte[] key = window.id().getBytes(StandardCharsets.UTF_8);
      byte[] value = window.toJson().getBytes(StandardCharsets.UTF_8);
      List<Row> events = eventsByWindow.get(window.id());
      producer.send(new ProducerRecord<>(config.topics().results(), key, value), (metadata, exception) -> {
        if (exception != null) {
          failed.compareAndSet(null, exception);
          return;
        }
        long visibleMicros = Micros.now();
        report.wrote(key.length + value.length);
        // Read and processed in the same step: the task decodes a record as it takes it.
        for (Row e : events) report.visible(e.getLong(0), e.getLong(1), e.getLong(2), e.getLong(3), e.getLong(3), writeStartMicros, visibleMicros);
      });
    }
    for (Row letter : letters) sendDeadLetter(letter, failed);
    producer.flush();
    if (failed.get() != null) throw new IllegalStateException("the trigger's writes were not acknowledged: " + failed.get(), failed.get());

    // The next trigger judges lateness against what this one counted.
    if (newestMicros > watermarkMicros) watermarkMicros = newestMicros;
    long windowMicros = config.windowMs() * 1000;
    windows.values().removeIf(window -> window.windowStartMicros + windowMicros + allowedLatenessMicros <= watermarkMicros);
  }

  /** The record byte for byte, with why and where it came from, as every tier writes a dead letter. */
  private void sendDeadLetter(Row letter, AtomicReference<Exception> failed) {
    String reason = letter.getString(G_REASON);
    byte[] key = letter.isNullAt(G_RAW_KEY) ? null : (byte[]) letter.get(G_RAW_KEY);
    byte[] value = letter.isNullAt(G_RAW_VALUE) ? null : (byte[]) letter.get(G_RAW_VALUE);
    RecordHeaders headers = new RecordHeaders();
    headers.add("tierlab-reason", reason.getBytes(StandardCharsets.UTF_8));
    headers.add("tierlab-tier", "microbatch".getBytes(StandardCharsets.UTF_8));
    headers.add("tierlab-source", (letter.getInt(G_PARTITION) + "@" + letter.getLong(G_OFFSET)).getBytes(StandardCharsets.UTF_8));
    long bytes = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    producer.send(new ProducerRecord<>(config.topics().deadLetter(), null, key, value, headers), (metadata, exception) -> {
      if (exception != null) {
        failed.compareAndSet(null, exception);
        return;
      }
      report.wrote(bytes);
      report.rejected(reason);
    });
  }
}
