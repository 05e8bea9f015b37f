package tierlab.engine.flink;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import tierlab.engine.Micros;
import tierlab.engine.Rule;

/**
 * Micro-batch on Flink: events are counted into their windows (keyed state) as they arrive, but a
 * changed window is emitted only when the next trigger fires: a processing-time timer at the next
 * multiple of triggerMs (Spark's processing-time trigger), one per changed window, which Flink
 * fires together. So an event waits for the trigger, as in the node micro-batch engine
 * (pipelines/microbatch/microbatch-tier.ts), whose semantics these are: the watermark is the
 * newest event time counted before the last trigger fired, and an event whose window ended more
 * than allowedLatenessMs before it is dead-lettered as "late", byte for byte. All the events a
 * trigger makes visible share its processing start: when it fired.
 */
final class TriggeredWindows extends KeyedProcessFunction<String, Counted, Write> {
  private final String rulesJson;
  private final long windowMicros;
  private final long triggerMs;
  private final long allowedLatenessMicros;
  private transient List<Rule> rules;
  private transient ValueState<WindowState> window;
  /** The events counted into this window since its last trigger: seq, event time, sent, read. */
  private transient ListState<long[]> waiting;
  /** This subtask's windows that changed since the last trigger (each has a timer set): what a drain writes. */
  private transient Set<String> changed;
  private transient long watermarkMicros;
  private transient long newestSinceTrigger;
  private transient long lastTrigger;
  private transient long firedMicros;

  TriggeredWindows(String rulesJson, long windowMs, long triggerMs, long allowedLatenessMs) {
    this.rulesJson = rulesJson;
    this.windowMicros = windowMs * 1000;
    this.triggerMs = triggerMs;
    this.allowedLatenessMicros = allowedLatenessMs * 1000;
  }

  @Override
  public void open(OpenContext context) {
    rules = Rules.fromJson(rulesJson);
    window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", TypeInformation.of(WindowState.class)));
    waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    changed = new LinkedHashSet<>();
    watermarkMicros = Long.MIN_VALUE;
    newestSinceTrigger = Long.MIN_VALUE;
    lastTrigger = Long.MIN_VALUE;
  }

  @Override
  public void processElement(Counted event, Context context, Collector<Write> out) throws Exception {
    long windowEnd = event.windowStartMicros + windowMicros;
    if (watermarkMicros != Long.MIN_VALUE && windowEnd + allowedLatenessMicros <= watermarkMicros) {
      String reason = "late: window ended " + Math.round((watermarkMicros - windowEnd) / 1000.0) + " ms before the watermark";
      out.collect(Write.deadLetter(event.recordKey, event.recordValue, reason, event.partition, event.offset));
      return;
    }
    WindowState state = window.value();
    if (state == null) state = WindowState.of(event);
    state.add(event);
    window.update(state);
    waiting.add(new long[] {event.seq, event.eventTimeMicros, event.sentMicros, event.readMicros});
    newestSinceTrigger = Math.max(newestSinceTrigger, event.eventTimeMicros);
    if (changed.add(event.id)) {
      long now = context.timerService().currentProcessingTime();
      context.timerService().registerProcessingTimeTimer((now / triggerMs + 1) * triggerMs);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext context, Collector<Write> out) throws Exception {
    if (timestamp != lastTrigger) {
      // The first window of this trigger: it fires now, and the watermark moves to what the trigger takes in.
      lastTrigger = timestamp;
      firedMicros = Micros.now();
      watermarkMicros = Math.max(watermarkMicros, newestSinceTrigger);
      newestSinceTrigger = Long.MIN_VALUE;
    }
    emit(context.getCurrentKey(), firedMicros, out);
  }

  /** The windows changed since the last trigger, for a drain: the operator visits each (setting it as the current key) and emits it. */
  List<String> changedWindows() {
    return new ArrayList<>(changed);
  }

  /** Writes the current key's window as it stands, with the events that waited for this trigger. */
  void emit(String id, long processingStartMicros, Collector<Write> out) throws Exception {
    changed.remove(id);
    WindowState state = window.value();
    List<long[]> events = new ArrayList<>();
    for (long[] event : waiting.get()) events.add(event);
    waiting.clear();
    if (state == null || events.isEmpty()) return;
    long[] tracking = new long[events.size() * 5];
    int at = 0;
    for (long[] event : events) {
      System.arraycopy(event, 0, tracking, at, 4);
      tracking[at + 4] = processingStartMicros;
      at += 5;
    }
    out.collect(Write.result(id, state.toJson(rules), tracking));
  }
}
