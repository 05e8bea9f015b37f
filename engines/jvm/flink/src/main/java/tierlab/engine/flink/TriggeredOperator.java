package tierlab.engine.flink;

import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import tierlab.engine.Micros;

/**
 * TriggeredWindows as an operator that also hears the end of its input: when the engine is
 * stopped (a drain, stop-with-savepoint --drain), Flink drops the timers not yet due, so the
 * windows still waiting for their trigger are written here, by one final trigger, as the node
 * micro-batch engine's stop does.
 */
final class TriggeredOperator extends KeyedProcessOperator<String, Counted, Write> implements BoundedOneInput {
  TriggeredOperator(TriggeredWindows windows) {
    super(windows);
  }

  @Override
  public void endInput() throws Exception {
    TriggeredWindows windows = (TriggeredWindows) getUserFunction();
    long firedMicros = Micros.now();
    Collector<Write> out = new Collector<>() {
      @Override
      public void collect(Write write) {
        output.collect(new StreamRecord<>(write));
      }

      @Override
      public void close() {}
    };
    for (String id : windows.changedWindows()) {
      setCurrentKey(id);
      windows.emit(id, firedMicros, out);
    }
  }
}
