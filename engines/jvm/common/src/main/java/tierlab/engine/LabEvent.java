package tierlab.engine;

import java.util.Map;

/** One valid event as the generator wrote it; attribute values are strings or numbers (doubles). */
public record LabEvent(long seq, String key, long eventTimeMicros, long amountCents, Map<String, Object> attrs) {

  /** A field a rule names: amountCents and key, else an attribute; null when absent. */
  public Object field(String name) {
    if (name.equals("amountCents")) return (double) amountCents;
    if (name.equals("key")) return key;
    return attrs.get(name);
  }
}
