package tierlab.engine.kstreams;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import tierlab.engine.EventDecoder;
import tierlab.engine.LabEvent;
import tierlab.engine.Micros;
import tierlab.engine.Rule;
import tierlab.engine.WindowAggregate;

/**
 * Per event: decode it (a malformed one goes to the dead letters with the decoder's reason), count
 * it into its key's window held in a changelogged store, and forward the window as it now stands
 * to the results topic. One result per event: nothing waits for a timer or a cache.
 */
final class WindowProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String STORE = "windows";
  static final String RESULTS = "results";
  static final String DEAD_LETTERS = "dead-letters";

  private final EventDecoder decoder = new EventDecoder();
  private final long windowMs;
  private final List<Rule> rules;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, String> windows;

  WindowProcessor(long windowMs, List<Rule> rules) {
    this.windowMs = windowMs;
    this.rules = rules;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.windows = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long readMicros = Micros.now();
    LabEvent event;
    try {
      event = decoder.decode(record.value(), readMicros);
    } catch (EventDecoder.Rejected rejected) {
      context.forward(deadLetter(record, rejected.getMessage()), DEAD_LETTERS);
      return;
    }
    long windowStart = WindowAggregate.windowStartOf(event.eventTimeMicros(), windowMs);
    String id = WindowAggregate.id(event.key(), windowStart);
    String stored = windows.get(id);
    WindowAggregate window = stored == null ? new WindowAggregate(event.key(), windowStart, rules) : WindowAggregate.fromJson(stored, rules);
    window.add(event, rules);
    String value = window.toJson();
    windows.put(id, value);
    RecordHeaders headers = new RecordHeaders();
    headers.add(Tracking.HEADER, Tracking.encode(event.seq(), event.eventTimeMicros(), sentMicros(record), readMicros, readMicros));
    context.forward(new Record<>(id.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), record.timestamp(), headers), RESULTS);
  }

  private static long sentMicros(Record<byte[], byte[]> record) {
    Header sent = record.headers().lastHeader(Tracking.SENT_HEADER);
    if (sent != null) return Long.parseLong(new String(sent.value(), StandardCharsets.UTF_8));
    return record.timestamp() * 1000; // the producer's create time, ms: coarser but honest
  }

  /** The record byte for byte, with why and where it came from, as every tier writes a dead letter. */
  private Record<byte[], byte[]> deadLetter(Record<byte[], byte[]> record, String reason) {
    String source = context.recordMetadata().map(RecordMetadata::partition).orElse(-1) + "@" + context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    RecordHeaders headers = new RecordHeaders();
    headers.add("tierlab-reason", reason.getBytes(StandardCharsets.UTF_8));
    headers.add("tierlab-tier", "streaming".getBytes(StandardCharsets.UTF_8));
    headers.add("tierlab-source", source.getBytes(StandardCharsets.UTF_8));
    return new Record<>(record.key(), record.value(), record.timestamp(), headers);
  }
}
