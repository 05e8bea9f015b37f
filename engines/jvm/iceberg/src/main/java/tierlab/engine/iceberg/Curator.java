package tierlab.engine.iceberg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One curation run: the raw NDJSON objects not yet in the table are read, each line judged
 * (LineCheck), the table's schema evolved by the fields that are new, the refused lines written to
 * the dead letters, and the accepted rows appended by Spark in one commit that also records which
 * raw objects it took (CuratedObjects).
 *
 * The lines are judged in the driver, one object after another, so that a new field's type is the
 * first value's and a later line that contradicts it is refused, in the order the stream wrote them;
 * Spark writes the rows (sorted into hour partitions, Parquet, Iceberg's commit). At the lab's sizes
 * (thousands to a few hundred thousand lines a run) that is cheaper than a distributed parse; a
 * curation of terabytes would judge in the tasks and agree the new columns before writing.
 */
final class Curator {
  private final Lakehouse lake;
  private final CurationSettings settings;
  private final ObjectMapper json = new ObjectMapper();
  private Set<String> curated;

  Curator(Lakehouse lake, CurationSettings settings) {
    this.lake = lake;
    this.settings = settings;
  }

  /** What a run did, as the `curated` reply says it. */
  record Outcome(int objects, long lines, long appended, Map<String, Long> deadLettered, Map<String, ColumnType> columnsAdded,
      Long snapshotId, long filesWritten, long dataBytes, long deadLetterObjects, long wallMicros) {}

  private record Refused(int line, LineCheck.Rejected rejected, String text) {}

  Outcome curate() throws IOException {
    long started = System.nanoTime();
    Table table = lake.table();
    if (curated == null) curated = CuratedObjects.in(table);
    List<String> keys = fresh();
    Columns columns = Columns.of(table.schema());
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Long> deadLettered = new TreeMap<>();
    long lines = 0;
    long deadLetterObjects = 0;
    for (String key : keys) {
      List<Refused> refused = new ArrayList<>();
      int number = 0;
      for (String line : read(key).split("\n", -1)) {
        number++;
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        // A blank line holds no event (a trailing newline, or one between records): not a line of the stream.
        if (text.isBlank()) continue;
        lines++;
        LineCheck.Verdict verdict = LineCheck.check(text, columns);
        if (verdict instanceof LineCheck.Accepted accepted) {
          rows.add(accepted.values());
        } else if (verdict instanceof LineCheck.Rejected rejected) {
          refused.add(new Refused(number, rejected, text));
          deadLettered.merge(rejected.reasonKey(), 1L, Long::sum);
        }
      }
      if (!refused.isEmpty()) {
        writeDeadLetters(key, refused);
        deadLetterObjects++;
      }
    }
    if (!columns.added().isEmpty()) {
      UpdateSchema update = table.updateSchema();
      columns.added().forEach((name, type) -> update.addColumn(name, type.iceberg));
      update.commit();
    }
    Snapshot snapshot = keys.isEmpty() ? null : commit(table, keys, rows);
    curated.addAll(keys);
    Map<String, String> summary = snapshot == null ? Map.of() : snapshot.summary();
    return new Outcome(keys.size(), lines, rows.size(), deadLettered, columns.added(), snapshot == null ? null : snapshot.snapshotId(),
        number(summary, "added-data-files"), number(summary, "added-files-size"), deadLetterObjects, (System.nanoTime() - started) / 1_000);
  }

  /** The raw objects under the prefix that no commit has taken yet, in key order (the order they landed in, for offset-named keys). */
  private List<String> fresh() throws IOException {
    List<String> keys = new ArrayList<>();
    Path prefix = new Path("s3a://" + settings.bucket() + "/" + CurationSettings.trimSlashes(settings.rawPrefix()) + "/");
    if (!lake.bucket.exists(prefix)) return keys;
    RemoteIterator<LocatedFileStatus> listed = lake.bucket.listFiles(prefix, true);
    while (listed.hasNext()) {
      String key = listed.next().getPath().toUri().getPath().substring(1);
      if (!curated.contains(key)) keys.add(key);
    }
    keys.sort(null);
    return keys;
  }

  /**
   * The rows and the raw keys in one commit. With no row to append (every line refused), an append
   * of no files still commits the keys, so those objects are not read again.
   */
  private Snapshot commit(Table table, List<String> keys, List<Map<String, Object>> rows) {
    String takenKeys = CuratedObjects.summaryValue(keys);
    if (rows.isEmpty()) {
      table.newAppend().set(CuratedObjects.SUMMARY_KEY, takenKeys).commit();
    } else {
      table.refresh();
      StructType schema = SparkSchemaUtil.convert(table.schema());
      String[] names = schema.fieldNames();
      List<Row> sparkRows = new ArrayList<>(rows.size());
      for (Map<String, Object> values : rows) {
        Object[] cells = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
          cells[i] = names[i].equals(Columns.EVENT_TIME) ? instant((Long) values.get("eventTimeMicros")) : values.get(names[i]);
        }
        sparkRows.add(RowFactory.create(cells));
      }
      try {
        lake.spark.createDataFrame(sparkRows, schema).writeTo(lake.tableRef).option("snapshot-property." + CuratedObjects.SUMMARY_KEY, takenKeys).append();
      } catch (Exception error) {
        throw new IllegalStateException("the append to " + lake.tableRef + " failed: " + error.getMessage(), error);
      }
    }
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null || !takenKeys.equals(snapshot.summary().get(CuratedObjects.SUMMARY_KEY))) {
      throw new IllegalStateException("the table's current snapshot is not this run's commit: another writer committed to " + lake.tableRef);
    }
    return snapshot;
  }

  /** One dead-letter object per raw object, named after it: a run cut short and run again writes the same object, not a second. */
  private void writeDeadLetters(String key, List<Refused> refused) throws IOException {
    StringBuilder body = new StringBuilder();
    for (Refused line : refused) {
      ObjectNode node = json.createObjectNode()
          .put("object", key)
          .put("line", line.line())
          .put("reason", line.rejected().reason())
          .put("text", line.text());
      body.append(node).append('\n');
    }
    Path path = new Path("s3a://" + settings.bucket() + "/" + CurationSettings.trimSlashes(settings.deadLetterPrefix()) + "/" + key + ".ndjson");
    try (OutputStream out = lake.bucket.create(path, true)) {
      out.write(body.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private String read(String key) throws IOException {
    try (InputStream in = lake.bucket.open(new Path("s3a://" + settings.bucket() + "/" + key))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static long number(Map<String, String> summary, String key) {
    String value = summary.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }
}
