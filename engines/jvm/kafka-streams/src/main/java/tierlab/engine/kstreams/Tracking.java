package tierlab.engine.kstreams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a result record carries from the processor to the producer, inside this process only: the
 * event it was made from and when it was read and processed. TrackingProducer takes these headers
 * off before the record is sent, so the results topic holds what every tier writes.
 */
final class Tracking {
  static final String HEADER = "tierlab-track";
  /** The generator's send time, as its Kafka sink writes it on every event (src/tiers/intake.ts). */
  static final String SENT_HEADER = "tierlab-sent-us";

  private Tracking() {}

  /** seq, event time, sent, read, processing start (µs). */
  static byte[] encode(long seq, long eventTimeMicros, long sentMicros, long readMicros, long processingStartMicros) {
    return ByteBuffer.allocate(40).putLong(seq).putLong(eventTimeMicros).putLong(sentMicros).putLong(readMicros).putLong(processingStartMicros).array();
  }

  /** The tracking of a record, removed from its headers; null for a record that carries none. */
  static long[] take(Headers headers) {
    Header header = headers.lastHeader(HEADER);
    if (header == null) return null;
    headers.remove(HEADER);
    ByteBuffer buffer = ByteBuffer.wrap(header.value());
    return new long[] {buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()};
  }
}
