package tierlab.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset rule as data, `{ name, field, op, value }`, evaluated exactly as src/events/rules.ts
 * does: equality as JavaScript's strict equality (a number equals a number of the same value, a
 * string the same string), ordering on numbers only, and a missing field never matches.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Rule(String name, String field, String op, JsonNode value) {

  public boolean matches(LabEvent event) {
    Object actual = event.field(field);
    if (actual == null) return false;
    switch (op) {
      case "in": return contains(value, actual);
      case "notIn": return !contains(value, actual);
      case "eq": return same(actual, scalar(value));
      case "neq": return !same(actual, scalar(value));
      default: break;
    }
    Object expected = scalar(value);
    if (!(actual instanceof Double a) || !(expected instanceof Double b)) return false;
    return switch (op) {
      case "gt" -> a > b;
      case "gte" -> a >= b;
      case "lt" -> a < b;
      case "lte" -> a <= b;
      default -> throw new IllegalArgumentException("unknown rule operator: " + op);
    };
  }

  /** A JSON scalar as the event's fields hold them: a string, or a number as a double (JavaScript's number). */
  public static Object scalar(JsonNode node) {
    if (node == null || node.isNull()) return null;
    if (node.isNumber()) return node.asDouble();
    if (node.isTextual()) return node.asText();
    return node.toString();
  }

  private static boolean same(Object a, Object b) {
    return a != null && a.equals(b);
  }

  private static boolean contains(JsonNode list, Object actual) {
    List<Object> values = new ArrayList<>();
    list.forEach(node -> values.add(scalar(node)));
    return values.stream().anyMatch(v -> same(actual, v));
  }
}
