package tierlab.engine.iceberg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Judges one raw NDJSON line against the curated table's columns: the row it becomes, with the
 * columns it adds, or the reason it is refused. A line is one event, either the wire format
 * (src/events/codec.ts: seq, key, eventTimeMicros, amountCents and an `attrs` object) or already
 * flat; its attributes and any other top-level field are flattened into columns of their own.
 *
 * What drift does here: a field the table lacks is a new column (`evolved`), typed by its value; a
 * renamed field is just that, a new column, and the old one is null from then on; a value that does
 * not fit its column's type is refused (`type change: FIELD ...`), as is a line that is not a JSON
 * object (`malformed JSON`) or lacks a required field (`missing field: FIELD`). The reason's part
 * before the detail (`reasonKey`) is what the dead letters are counted by.
 */
final class LineCheck {
  /** Names Spark SQL and Iceberg take without quoting or nesting: no dots, no spaces. */
  private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  sealed interface Verdict permits Accepted, Rejected {}

  /** The line's values by column name, and the columns it adds (already added to the Columns it was judged by). */
  record Accepted(Map<String, Object> values) implements Verdict {}

  record Rejected(String reasonKey, String reason) implements Verdict {
    static Rejected of(String reasonKey, String detail) {
      return new Rejected(reasonKey, detail.isEmpty() ? reasonKey : reasonKey + " " + detail);
    }
  }

  private LineCheck() {}

  /** Judges the line; an accepted line's new fields are added to `columns`, so the next line is judged with them. */
  static Verdict check(String line, Columns columns) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (Exception error) {
      return Rejected.of("malformed JSON", firstLine(error.getMessage()));
    }
    if (root == null || !root.isObject()) return Rejected.of("malformed JSON", "not a JSON object");
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals("attrs")) fields.put(field.getKey(), field.getValue());
    }
    JsonNode attrs = root.get("attrs");
    if (attrs != null && !attrs.isNull()) {
      if (!attrs.isObject()) return Rejected.of("bad field: attrs", "is " + ColumnType.describe(attrs) + ", not an object");
      for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (fields.containsKey(field.getKey())) return Rejected.of("duplicate field: " + field.getKey(), "at the top level and in attrs");
        fields.put(field.getKey(), field.getValue());
      }
    }
    for (String required : Columns.REQUIRED.keySet()) {
      JsonNode value = fields.get(required);
      if (value == null || value.isNull()) return Rejected.of("missing field: " + required, "");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, ColumnType> fresh = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) continue;
      if (value.isObject() || value.isArray()) return Rejected.of("unsupported value: " + name, "is " + ColumnType.describe(value) + "; columns hold strings, numbers and booleans");
      ColumnType type = columns.type(name);
      if (type == null) {
        if (!COLUMN_NAME.matcher(name).matches()) return Rejected.of("unsupported field name", quoted(name));
        String twin = columns.caseTwin(name);
        if (twin == null) twin = fresh.keySet().stream().filter(other -> other.equalsIgnoreCase(name)).findFirst().orElse(null);
        if (twin != null) return Rejected.of("field name case: " + name, "differs only in case from column " + twin);
        type = ColumnType.of(value);
        fresh.put(name, type);
      }
      Object converted = type.convert(value);
      if (converted == null) return Rejected.of("type change: " + name, "is " + type.label + " in the table, got " + ColumnType.describe(value));
      values.put(name, converted);
    }
    Rejected broken = brokenRule(values);
    if (broken != null) return broken;
    fresh.forEach(columns::add);
    return new Accepted(values);
  }

  /** A day: an event further ahead of this clock than that is refused, as the tiers refuse it. */
  private static final long MAX_FUTURE_MICROS = 86_400_000_000L;

  /**
   * The event's own rules, the ones every tier's decoder applies (src/events/codec.ts), so the
   * curated table holds exactly the events the tiers count: a sequence number and event time that
   * make sense, a key, and an amount that is not negative.
   */
  private static Rejected brokenRule(Map<String, Object> values) {
    long seq = (Long) values.get("seq");
    long eventTime = (Long) values.get("eventTimeMicros");
    long amount = (Long) values.get("amountCents");
    if (seq < 0) return Rejected.of("bad field: seq", seq + " is below 0");
    if (((String) values.get("key")).isEmpty()) return Rejected.of("bad field: key", "is empty");
    if (eventTime <= 0) return Rejected.of("bad field: eventTimeMicros", eventTime + " is not positive");
    long nowMicros = System.currentTimeMillis() * 1_000L;
    if (eventTime > nowMicros + MAX_FUTURE_MICROS) return Rejected.of("far-future timestamp", "eventTimeMicros " + eventTime + " is more than a day ahead");
    if (amount < 0) return Rejected.of("negative amount", "amountCents " + amount);
    return null;
  }

  private static String quoted(String name) {
    return JSON.getNodeFactory().textNode(name.length() > 60 ? name.substring(0, 60) + "…" : name).toString();
  }

  private static String firstLine(String message) {
    if (message == null) return "";
    String line = message.lines().findFirst().orElse("");
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }
}
