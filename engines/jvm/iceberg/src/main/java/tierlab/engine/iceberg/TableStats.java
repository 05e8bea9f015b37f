package tierlab.engine.iceberg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * The curated table as it stands: its snapshot, rows and data files, the bytes it holds in the
 * bucket (data and metadata, listed under its folder), and each column's nulls from the data files'
 * own statistics: a column added later is null in every file written before it (how a renamed
 * field shows in the old name's column), and that count is what tells how much of it is missing.
 */
final class TableStats {
  record Column(String name, String type, long nulls) {}

  record Stats(Long snapshotId, int snapshots, long records, long dataFiles, long dataBytes, long storageBytes, long storageObjects, List<Column> columns) {}

  private TableStats() {}

  static Stats of(Lakehouse lake) throws IOException {
    Table table = lake.table();
    Snapshot current = table.currentSnapshot();
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) snapshots++;
    long records = 0;
    long dataFiles = 0;
    long dataBytes = 0;
    Map<Integer, Long> nulls = new HashMap<>();
    List<Types.NestedField> fields = table.schema().columns();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        records += file.recordCount();
        dataFiles++;
        dataBytes += file.fileSizeInBytes();
        for (Types.NestedField field : fields) nulls.merge(field.fieldId(), nullsIn(file, field.fieldId()), Long::sum);
      }
    }
    List<Column> columns = new ArrayList<>();
    for (Types.NestedField field : fields) {
      columns.add(new Column(field.name(), ColumnType.of(field.type()).label, nulls.getOrDefault(field.fieldId(), 0L)));
    }
    long storageBytes = 0;
    long storageObjects = 0;
    RemoteIterator<LocatedFileStatus> listed = lake.bucket.listFiles(new Path(table.location()), true);
    while (listed.hasNext()) {
      storageBytes += listed.next().getLen();
      storageObjects++;
    }
    return new Stats(current == null ? null : current.snapshotId(), snapshots, records, dataFiles, dataBytes, storageBytes, storageObjects, columns);
  }

  /** A file written before the column existed has no count for it: every one of its rows is null there. */
  private static long nullsIn(DataFile file, int fieldId) {
    Map<Integer, Long> nullCounts = file.nullValueCounts();
    if (nullCounts != null && nullCounts.containsKey(fieldId)) return nullCounts.get(fieldId);
    Map<Integer, Long> valueCounts = file.valueCounts();
    if (valueCounts != null && valueCounts.containsKey(fieldId)) return 0;
    return file.recordCount();
  }
}
