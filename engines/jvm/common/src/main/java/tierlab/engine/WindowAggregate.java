package tierlab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One key's tumbling window, as every tier writes it to its results topic: keyed `key|windowStart`,
 * the value `{ key, windowStartMicros, count, sumCents, flags }` with a count per rule.
 */
public final class WindowAggregate {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final String key;
  public final long windowStartMicros;
  public long count;
  public long sumCents;
  public final Map<String, Long> flags = new LinkedHashMap<>();

  public WindowAggregate(String key, long windowStartMicros, List<Rule> rules) {
    this.key = key;
    this.windowStartMicros = windowStartMicros;
    for (Rule rule : rules) flags.put(rule.name(), 0L);
  }

  public static long windowStartOf(long eventTimeMicros, long windowMs) {
    long windowMicros = windowMs * 1000;
    return eventTimeMicros - (eventTimeMicros % windowMicros);
  }

  public static String id(String key, long windowStartMicros) {
    return key + "|" + windowStartMicros;
  }

  public String id() {
    return id(key, windowStartMicros);
  }

  /** Counts one event in, with the rules that flag it. */
  public void add(LabEvent event, List<Rule> rules) {
    count++;
    sumCents += event.amountCents();
    for (Rule rule : rules) if (rule.matches(event)) flags.merge(rule.name(), 1L, Long::sum);
  }

  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key);
    node.put("windowStartMicros", windowStartMicros);
    node.put("count", count);
    node.put("sumCents", sumCents);
    ObjectNode flagsNode = node.putObject("flags");
    flags.forEach(flagsNode::put);
    return node.toString();
  }

  public static WindowAggregate fromJson(String text, List<Rule> rules) {
    try {
      JsonNode node = JSON.readTree(text);
      WindowAggregate window = new WindowAggregate(node.get("key").asText(), node.get("windowStartMicros").asLong(), rules);
      window.count = node.get("count").asLong();
      window.sumCents = node.get("sumCents").asLong();
      node.get("flags").properties().forEach(e -> window.flags.put(e.getKey(), e.getValue().asLong()));
      return window;
    } catch (Exception e) {
      throw new IllegalStateException("a stored window is not an aggregate: " + text, e);
    }
  }
}
