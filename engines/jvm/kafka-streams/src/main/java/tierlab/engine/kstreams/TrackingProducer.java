package tierlab.engine.kstreams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tierlab.engine.Micros;
import tierlab.engine.Report;

/**
 * Kafka Streams' own producer, watched: a result counts as visible when the broker acknowledges
 * it (acks=all), or, under exactly-once, when the transaction holding it commits, which is when a
 * read_committed reader can see it. The same moments the Node tiers report.
 */
final class TrackingProducer extends KafkaProducer<byte[], byte[]> {
  private final Report report;
  private final boolean transactional;
  /** Results acknowledged inside the open transaction: visible when it commits. */
  private final List<long[]> inTransaction = new ArrayList<>();

  TrackingProducer(Map<String, Object> config, Report report) {
    super(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.report = report;
    this.transactional = config.containsKey("transactional.id");
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
    long[] tracking = Tracking.take(record.headers());
    long writeStartMicros = Micros.now();
    Header reason = record.headers().lastHeader("tierlab-reason");
    long bytes = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    return super.send(record, (metadata, exception) -> {
      if (exception == null) {
        report.wrote(bytes);
        if (reason != null) report.rejected(new String(reason.value(), StandardCharsets.UTF_8));
        if (tracking != null) acknowledged(tracking, writeStartMicros);
      }
      if (callback != null) callback.onCompletion(metadata, exception);
    });
  }

  private void acknowledged(long[] t, long writeStartMicros) {
    if (!transactional) {
      report.visible(t[0], t[1], t[2], t[3], t[4], writeStartMicros, Micros.now());
      return;
    }
    synchronized (inTransaction) {
      inTransaction.add(new long[] {t[0], t[1], t[2], t[3], t[4], writeStartMicros});
    }
  }

  @Override
  public void commitTransaction() {
    super.commitTransaction();
    long visibleMicros = Micros.now();
    synchronized (inTransaction) {
      for (long[] t : inTransaction) report.visible(t[0], t[1], t[2], t[3], t[4], t[5], visibleMicros);
      inTransaction.clear();
    }
  }

  @Override
  public void abortTransaction() {
    super.abortTransaction();
    // Never visible: the records will be processed again, and reported when they commit.
    synchronized (inTransaction) {
      inTransaction.clear();
    }
  }
}
