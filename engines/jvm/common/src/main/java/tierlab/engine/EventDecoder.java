package tierlab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes and validates one record exactly as src/events/codec.ts does, with the same reasons (the
 * words before the first colon are what the dead letters are counted by): a malformed record
 * throws Rejected, and the engine sends it to the dead-letter topic with that reason.
 */
public final class EventDecoder {
  /** Events further in the future than this, against the reader's clock, are rejected. */
  static final long MAX_FUTURE_MICROS = 86_400_000_000L;
  private static final double MAX_SAFE_INTEGER = 9_007_199_254_740_991d;
  private static final String[] REQUIRED = {"seq", "key", "eventTimeMicros", "amountCents", "attrs"};

  private final ObjectMapper json = new ObjectMapper();

  public static final class Rejected extends Exception {
    public Rejected(String reason) {
      super(reason, null, false, false);
    }
  }

  public LabEvent decode(byte[] bytes, long nowMicros) throws Rejected {
    if (bytes == null || bytes.length == 0) throw new Rejected("empty record");
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (Exception e) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      throw new Rejected("invalid JSON: " + quote(text.substring(0, Math.min(40, text.length()))));
    }
    if (root == null || !root.isObject()) throw new Rejected("not a JSON object");
    for (String field : REQUIRED) if (!root.has(field)) throw new Rejected("missing field: " + field);
    JsonNode seq = root.get("seq");
    JsonNode key = root.get("key");
    JsonNode eventTime = root.get("eventTimeMicros");
    JsonNode amount = root.get("amountCents");
    JsonNode attrs = root.get("attrs");
    if (!isSafeInteger(seq) || seq.asDouble() < 0) throw new Rejected("bad field: seq " + seq + " is not a whole number >= 0");
    if (!key.isTextual() || key.asText().isEmpty()) throw new Rejected("bad field: key " + key + " is not a non-empty string");
    if (!isSafeInteger(eventTime) || eventTime.asDouble() <= 0) {
      throw new Rejected("bad field: eventTimeMicros " + eventTime + " is not a positive whole number");
    }
    if (eventTime.asLong() > nowMicros + MAX_FUTURE_MICROS) {
      throw new Rejected("far-future timestamp: eventTimeMicros " + eventTime.asLong() + " is more than a day ahead of " + nowMicros);
    }
    if (!isSafeInteger(amount)) throw new Rejected("bad field: amountCents " + amount + " is not a whole number");
    if (amount.asLong() < 0) throw new Rejected("negative amount: amountCents " + amount.asLong());
    if (!attrs.isObject()) throw new Rejected("bad field: attrs is not an object");
    Map<String, Object> values = new HashMap<>();
    attrs.properties().forEach(entry -> values.put(entry.getKey(), Rule.scalar(entry.getValue())));
    return new LabEvent(seq.asLong(), key.asText(), eventTime.asLong(), amount.asLong(), values);
  }

  /** JavaScript's Number.isSafeInteger over a JSON value: 5 and 5.0 are, 5.5 and "5" are not. */
  private static boolean isSafeInteger(JsonNode node) {
    if (node == null || !node.isNumber()) return false;
    double value = node.asDouble();
    return value == Math.rint(value) && Math.abs(value) <= MAX_SAFE_INTEGER;
  }

  private String quote(String text) {
    try {
      return json.writeValueAsString(text);
    } catch (Exception e) {
      return '"' + text + '"';
    }
  }
}
