package tierlab.engine.flink;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import tierlab.engine.EventDecoder;
import tierlab.engine.LabEvent;
import tierlab.engine.Rule;
import tierlab.engine.WindowAggregate;

/**
 * Decodes each record as every tier does (EventDecoder): a valid event goes on to its window,
 * with the rules it matches already evaluated; a malformed record goes, byte for byte, to the
 * dead letters (a side output) with the decoder's reason.
 */
final class Decode extends ProcessFunction<Arrival, Counted> {
  static final OutputTag<Write> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(Write.class));

  private final long windowMs;
  private final String rulesJson;
  /** The micro-batch engine may dead-letter an event later (late): it keeps the record's bytes. */
  private final boolean keepRecord;
  private transient EventDecoder decoder;
  private transient List<Rule> rules;

  private final Relay relay;

  Decode(long windowMs, String rulesJson, boolean keepRecord, Relay relay) {
    this.windowMs = windowMs;
    this.rulesJson = rulesJson;
    this.keepRecord = keepRecord;
    this.relay = relay;
  }

  @Override
  public void open(OpenContext context) {
    decoder = new EventDecoder();
    rules = Rules.fromJson(rulesJson);
    Shared.opened(relay);
  }

  @Override
  public void processElement(Arrival arrival, Context context, Collector<Counted> out) {
    LabEvent event;
    try {
      event = decoder.decode(arrival.value, arrival.readMicros);
    } catch (EventDecoder.Rejected rejected) {
      context.output(DEAD_LETTERS, Write.deadLetter(arrival.key, arrival.value, rejected.getMessage(), arrival.partition, arrival.offset));
      return;
    }
    Counted counted = new Counted();
    counted.key = event.key();
    counted.windowStartMicros = WindowAggregate.windowStartOf(event.eventTimeMicros(), windowMs);
    counted.id = WindowAggregate.id(counted.key, counted.windowStartMicros);
    counted.seq = event.seq();
    counted.eventTimeMicros = event.eventTimeMicros();
    counted.amountCents = event.amountCents();
    counted.matched = new boolean[rules.size()];
    for (int i = 0; i < rules.size(); i++) counted.matched[i] = rules.get(i).matches(event);
    counted.sentMicros = arrival.sentMicros;
    counted.readMicros = arrival.readMicros;
    counted.partition = arrival.partition;
    counted.offset = arrival.offset;
    if (keepRecord) {
      counted.recordKey = arrival.key;
      counted.recordValue = arrival.value;
    }
    out.collect(counted);
  }
}
