package tierlab.engine.flink;

import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import tierlab.engine.Micros;
import tierlab.engine.Rule;

/**
 * Streaming: per event, count it into its window (Flink keyed state, keyed by the window's id)
 * and emit the window as it now stands at once. One result per event; nothing waits for a timer.
 */
final class PerEventWindows extends KeyedProcessFunction<String, Counted, Write> {
  private final String rulesJson;
  private transient List<Rule> rules;
  private transient ValueState<WindowState> window;

  PerEventWindows(String rulesJson) {
    this.rulesJson = rulesJson;
  }

  @Override
  public void open(OpenContext context) {
    rules = Rules.fromJson(rulesJson);
    window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", TypeInformation.of(WindowState.class)));
  }

  @Override
  public void processElement(Counted event, Context context, Collector<Write> out) throws Exception {
    long processingStartMicros = Micros.now();
    WindowState state = window.value();
    if (state == null) state = WindowState.of(event);
    state.add(event);
    window.update(state);
    long[] tracking = {event.seq, event.eventTimeMicros, event.sentMicros, event.readMicros, processingStartMicros};
    out.collect(Write.result(event.id, state.toJson(rules), tracking));
  }
}
