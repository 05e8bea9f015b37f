package tierlab.engine.iceberg;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows the curated table took since a snapshot, written as Parquet on local disk for the
 * warehouse's load: what an ELT tool's incremental sync reads from a lakehouse table. Iceberg's
 * incremental append scan (start-snapshot-id, exclusive, to the current snapshot) reads only the
 * data files those commits added. The derived partition column (eventTime) stays in the lake.
 */
final class Export {
  record Outcome(String snapshotId, long rows, List<String> files, long wallMicros) {}

  private Export() {}

  static Outcome since(Lakehouse lake, String sinceSnapshotId, String directory) {
    long started = System.nanoTime();
    Table table = lake.table();
    Snapshot current = table.currentSnapshot();
    if (current == null || String.valueOf(current.snapshotId()).equals(sinceSnapshotId)) {
      return new Outcome(current == null ? null : String.valueOf(current.snapshotId()), 0, List.of(), (System.nanoTime() - started) / 1_000);
    }
    var reader = lake.spark.read().format("iceberg");
    if (sinceSnapshotId != null) {
      reader = reader.option("start-snapshot-id", sinceSnapshotId).option("end-snapshot-id", String.valueOf(current.snapshotId()));
    } else {
      reader = reader.option("versionAsOf", String.valueOf(current.snapshotId()));
    }
    Dataset<Row> rows = reader.load(lake.tableRef).drop(Columns.EVENT_TIME).cache();
    long count = rows.count();
    // One file per export: the warehouse loads it in one statement.
    rows.coalesce(1).write().mode("overwrite").parquet("file://" + directory);
    rows.unpersist();
    File[] parts = new File(directory).listFiles((dir, name) -> name.startsWith("part-") && name.endsWith(".parquet"));
    List<String> files = new ArrayList<>();
    if (parts != null) Arrays.stream(parts).map(File::getAbsolutePath).sorted().forEach(files::add);
    return new Outcome(String.valueOf(current.snapshotId()), count, files, (System.nanoTime() - started) / 1_000);
  }
}
