package tierlab.engine.flink;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import tierlab.engine.Rule;

/** The dataset's rules as a function carries them to its task (JSON text: Rule holds a JsonNode), and back. */
final class Rules {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Rules() {}

  static String toJson(List<Rule> rules) {
    try {
      return JSON.writeValueAsString(rules);
    } catch (Exception e) {
      throw new IllegalArgumentException("the rules cannot be written as JSON", e);
    }
  }

  static List<Rule> fromJson(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<Rule>>() {});
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
