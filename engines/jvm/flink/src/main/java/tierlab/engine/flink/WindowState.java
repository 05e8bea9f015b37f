package tierlab.engine.flink;

import java.util.List;
import tierlab.engine.Rule;
import tierlab.engine.WindowAggregate;

/** One window as Flink keeps it in keyed state: the count, the sum and a count per rule (the rules' order). */
public class WindowState {
  public String key;
  public long windowStartMicros;
  public long count;
  public long sumCents;
  public long[] flags;

  public WindowState() {}

  static WindowState of(Counted event) {
    WindowState window = new WindowState();
    window.key = event.key;
    window.windowStartMicros = event.windowStartMicros;
    window.flags = new long[event.matched.length];
    return window;
  }

  void add(Counted event) {
    count++;
    sumCents += event.amountCents;
    for (int i = 0; i < flags.length; i++) if (event.matched[i]) flags[i]++;
  }

  /** The window as every tier writes it (WindowAggregate's JSON). */
  String toJson(List<Rule> rules) {
    WindowAggregate aggregate = new WindowAggregate(key, windowStartMicros, rules);
    aggregate.count = count;
    aggregate.sumCents = sumCents;
    for (int i = 0; i < flags.length; i++) aggregate.flags.put(rules.get(i).name(), flags[i]);
    return aggregate.toJson();
  }
}
