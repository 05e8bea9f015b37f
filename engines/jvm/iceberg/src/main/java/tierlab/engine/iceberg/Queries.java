package tierlab.engine.iceberg;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A dashboard query over the curated table, run as the Node side wrote it (one SQL for every zone,
 * src/lakehouse/dashboard-queries.ts): a few untimed runs first (Spark's code generation, the first
 * read of a file), then each timed run from submitting the SQL to the last row in the driver, and
 * what Iceberg says the timed runs' scans read. Each run plans again, from the table's current
 * metadata, so metadata reads are in every sample, as they are for a reader of a shared table.
 */
final class Queries {
  private final SparkSession spark;

  Queries(SparkSession spark) {
    this.spark = spark;
  }

  record Answer(List<Long> micros, ScanBytes.Scanned scanned, List<Row> rows, String[] columns) {}

  Answer run(String sql, int warmups, int repeats) {
    for (int i = 0; i < warmups; i++) spark.sql(sql).collectAsList();
    ScanBytes.drain();
    List<Long> micros = new ArrayList<>(repeats);
    List<Row> rows = List.of();
    String[] columns = new String[0];
    for (int i = 0; i < repeats; i++) {
      long started = System.nanoTime();
      var frame = spark.sql(sql);
      rows = frame.collectAsList();
      micros.add((System.nanoTime() - started) / 1_000);
      columns = frame.columns();
    }
    return new Answer(micros, ScanBytes.drain(), rows, columns);
  }

  /** The rows as JSON objects by column name (at most maxRows of them): numbers, strings, booleans and timestamps as ISO text. */
  static ArrayNode rowsJson(ObjectNode reply, Answer answer, int maxRows) {
    ArrayNode rows = reply.putArray("rows");
    for (Row row : answer.rows().subList(0, Math.min(maxRows, answer.rows().size()))) {
      ObjectNode node = rows.addObject();
      for (int i = 0; i < answer.columns().length; i++) {
        Object value = row.get(i);
        String name = answer.columns()[i];
        if (value == null) node.putNull(name);
        else if (value instanceof Long number) node.put(name, number);
        else if (value instanceof Integer number) node.put(name, number);
        else if (value instanceof Double number) node.put(name, number);
        else if (value instanceof java.math.BigDecimal number) node.put(name, number);
        else if (value instanceof Boolean flag) node.put(name, flag);
        else node.put(name, value.toString());
      }
    }
    return rows;
  }
}
