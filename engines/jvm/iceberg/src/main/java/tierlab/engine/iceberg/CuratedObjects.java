package tierlab.engine.iceberg;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Which raw objects are already in the table, remembered by the table itself: every commit of a
 * curation run carries the keys of the raw objects it took in its snapshot summary. The keys are
 * committed in the same atomic step as the rows, so an object is never curated twice nor lost,
 * whatever fails between two runs; and a new engine on the same warehouse knows them without a
 * state file of its own. (Expiring snapshots would forget them: the curation never expires any.)
 */
final class CuratedObjects {
  static final String SUMMARY_KEY = "tierlab.raw-objects";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CuratedObjects() {}

  static Set<String> in(Table table) {
    Set<String> keys = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      String listed = snapshot.summary().get(SUMMARY_KEY);
      if (listed != null) keys.addAll(parse(listed));
    }
    return keys;
  }

  static String summaryValue(List<String> keys) {
    try {
      return JSON.writeValueAsString(keys);
    } catch (IOException error) {
      throw new UncheckedIOException(error);
    }
  }

  private static List<String> parse(String listed) {
    try {
      return JSON.readValue(listed, new TypeReference<List<String>>() {});
    } catch (IOException error) {
      throw new UncheckedIOException("a snapshot's " + SUMMARY_KEY + " is not a JSON list of keys", error);
    }
  }
}
