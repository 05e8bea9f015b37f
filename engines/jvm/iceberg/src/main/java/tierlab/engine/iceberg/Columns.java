package tierlab.engine.iceberg;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The curated table's columns as a curation run sees them: the table's own, then the fields new in
 * this run, in the order they were first seen. Spark resolves names case-insensitively, so two
 * columns may not differ only in case; a field that would is refused, not added.
 */
final class Columns {
  /** The raw event's own fields (src/events/codec.ts): every curated row has them. */
  static final Map<String, ColumnType> REQUIRED = requiredFields();

  /**
   * The event time as a timestamp, the source of the table's hour partitions: Iceberg's hour
   * transform takes timestamps only, and truncating the microseconds to an hour needs a width wider
   * than the int its truncate takes.
   */
  static final String EVENT_TIME = "eventTime";

  private final Map<String, ColumnType> byName = new LinkedHashMap<>();
  private final Map<String, String> byLowerName = new LinkedHashMap<>();
  private final Map<String, ColumnType> added = new LinkedHashMap<>();

  static Columns of(Schema schema) {
    Columns columns = new Columns();
    for (Types.NestedField field : schema.columns()) columns.put(field.name(), ColumnType.of(field.type()));
    return columns;
  }

  /**
   * The table's schema when it is first made: the required fields and the event time, all optional
   * in Iceberg's sense (a curated row always has them; Spark's rows are nullable, and Iceberg refuses
   * nullable data for a required column).
   */
  static Schema initialSchema() {
    Types.NestedField[] fields = new Types.NestedField[REQUIRED.size() + 1];
    int id = 0;
    for (Map.Entry<String, ColumnType> entry : REQUIRED.entrySet()) {
      fields[id] = Types.NestedField.optional(id + 1, entry.getKey(), entry.getValue().iceberg);
      id++;
    }
    fields[id] = Types.NestedField.optional(id + 1, EVENT_TIME, ColumnType.TIMESTAMP.iceberg);
    return new Schema(fields);
  }

  ColumnType type(String name) {
    return byName.get(name);
  }

  /** The column this name would collide with, differing only in case; null when none does. */
  String caseTwin(String name) {
    String twin = byLowerName.get(name.toLowerCase(Locale.ROOT));
    return twin == null || twin.equals(name) ? null : twin;
  }

  void add(String name, ColumnType type) {
    put(name, type);
    added.put(name, type);
  }

  /** The columns this run added, in the order their fields were first seen. */
  Map<String, ColumnType> added() {
    return added;
  }

  private void put(String name, ColumnType type) {
    byName.put(name, type);
    byLowerName.put(name.toLowerCase(Locale.ROOT), name);
  }

  private static Map<String, ColumnType> requiredFields() {
    Map<String, ColumnType> fields = new LinkedHashMap<>();
    fields.put("seq", ColumnType.LONG);
    fields.put("key", ColumnType.STRING);
    fields.put("eventTimeMicros", ColumnType.LONG);
    fields.put("amountCents", ColumnType.LONG);
    return java.util.Collections.unmodifiableMap(fields);
  }
}
