package tierlab.engine.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.IcebergBuild;

/**
 * The lakehouse's curation engine: one long-lived JVM, so Spark's start (seconds) is paid once and
 * reported apart (`ready`'s startupMs), then commands, one JSON object a line on stdin, each
 * answered by one line on stdout with its id (src/lakehouse/iceberg/protocol.ts):
 * `curate` (raw NDJSON into the Iceberg table), `query` (a dashboard query, timed over repeats),
 * `stats` (the table's size and columns), `export` (the rows taken since a snapshot, as Parquet on
 * local disk, for the warehouse's load), `stop`. A command that fails is answered with an `error`
 * line and the engine takes the next. Stdin is also its lifeline, as for the other engines: when it
 * closes (the Node process died) the engine halts.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    // stdout is the replies (Replies writes to the descriptor itself): anything a library prints goes to stderr.
    System.setOut(System.err);
    Replies replies = new Replies();
    Lakehouse lake;
    try {
      CurationSettings settings = CurationSettings.read(args[0]);
      lake = Lakehouse.open(settings);
      rehearse(lake);
      Curator curator = new Curator(lake, settings);
      replies.send(replies.line("ready")
          .put("version", "Spark " + lake.spark.version() + ", Iceberg " + IcebergBuild.version() + " on Java " + System.getProperty("java.version"))
          .put("startupMs", (System.nanoTime() - started) / 1_000_000)
          .put("table", lake.tableRef));
      serve(new Commands(lake, curator, replies), replies);
    } catch (Throwable error) {
      replies.send(replies.line("error").put("message", "the Iceberg curation engine failed: " + error));
      error.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
  }

  private static void serve(Commands commands, Replies replies) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) continue;
      long id = -1;
      try {
        JsonNode command = replies.json().readTree(line);
        id = command.path("id").asLong(-1);
        if (!commands.handle(command)) {
          replies.send(replies.reply("stopped", id));
          Runtime.getRuntime().halt(0);
        }
      } catch (Exception error) {
        error.printStackTrace();
        replies.send(replies.reply("error", id).put("message", String.valueOf(error.getMessage())));
      }
    }
    // Stdin closed without a stop: the Node side is gone.
    Runtime.getRuntime().halt(3);
  }

  /**
   * Spark's first jobs, Iceberg's write path and the table's first load, paid before ready as
   * start-up rather than as the first curation's time (a new engine's first run over 1,000 lines
   * took 8.4 s without it, 0.9 s with it, on the lab's busy 2 cores): one row appended to a table on
   * local disk, read back, and the table in the lake loaded (made, the first time).
   */
  private static void rehearse(Lakehouse lake) {
    lake.table();
    String table = Lakehouse.REHEARSAL_CATALOG + ".rehearsal.events";
    lake.spark.sql("CREATE TABLE " + table + " (key STRING, amountCents BIGINT, eventTime TIMESTAMP) USING iceberg PARTITIONED BY (hours(eventTime))");
    lake.spark.sql("INSERT INTO " + table + " VALUES ('rehearsal', 0, TIMESTAMP '2026-01-01 00:00:00')");
    lake.spark.sql("SELECT key, sum(amountCents) FROM " + table + " GROUP BY key").collectAsList();
  }

  /** What each command does and answers. */
  private record Commands(Lakehouse lake, Curator curator, Replies replies) {
    /** Runs one command; false for `stop`. */
    boolean handle(JsonNode command) throws Exception {
      long id = command.path("id").asLong(-1);
      String type = command.path("type").asText("");
      switch (type) {
        case "curate" -> replies.send(curated(id, curator.curate()));
        case "query" -> replies.send(answered(id, command));
        case "stats" -> replies.send(stats(id, TableStats.of(lake)));
        case "export" -> replies.send(exported(id, command));
        case "stop" -> {
          return false;
        }
        default -> throw new IllegalArgumentException("unknown command type " + command.path("type"));
      }
      return true;
    }

    private ObjectNode curated(long id, Curator.Outcome outcome) {
      ObjectNode reply = replies.reply("curated", id)
          .put("objects", outcome.objects())
          .put("lines", outcome.lines())
          .put("appended", outcome.appended());
      ObjectNode deadLettered = reply.putObject("deadLettered");
      outcome.deadLettered().forEach(deadLettered::put);
      ArrayNode added = reply.putArray("columnsAdded");
      outcome.columnsAdded().forEach((name, type) -> added.addObject().put("name", name).put("type", type.label));
      if (outcome.snapshotId() == null) reply.putNull("snapshotId");
      else reply.put("snapshotId", outcome.snapshotId().toString());
      return reply.put("filesWritten", outcome.filesWritten())
          .put("dataBytes", outcome.dataBytes())
          .put("deadLetterObjects", outcome.deadLetterObjects())
          .put("wallMicros", outcome.wallMicros());
    }

    private ObjectNode answered(long id, JsonNode command) {
      String sql = command.path("sql").asText("");
      if (sql.isBlank()) throw new IllegalArgumentException("a query command needs its sql");
      int repeats = Math.max(1, command.path("repeats").asInt(1));
      int warmups = Math.max(0, command.path("warmups").asInt(1));
      int maxRows = Math.max(0, command.path("maxRows").asInt(100));
      Queries.Answer answer = new Queries(lake.spark).run(sql, warmups, repeats);
      ObjectNode reply = replies.reply("answered", id).put("name", command.path("name").asText(""));
      ArrayNode micros = reply.putArray("micros");
      answer.micros().forEach(micros::add);
      // Each timed run scanned the same files: the bytes of one run.
      ScanBytes.Scanned scanned = answer.scanned();
      int runs = answer.micros().size();
      reply.put("bytesScanned", scanned.bytes() / runs)
          .put("dataFilesScanned", scanned.dataFiles() / runs)
          .put("dataFilesSkipped", scanned.skippedDataFiles() / runs)
          .put("scanReports", scanned.scans())
          .put("rowCount", answer.rows().size());
      Queries.rowsJson(reply, answer, maxRows);
      return reply;
    }

    private ObjectNode exported(long id, JsonNode command) {
      String directory = command.path("directory").asText("");
      if (!directory.startsWith("/")) throw new IllegalArgumentException("an export command needs an absolute local directory");
      JsonNode since = command.path("sinceSnapshotId");
      Export.Outcome outcome = Export.since(lake, since.isTextual() ? since.asText() : null, directory);
      ObjectNode reply = replies.reply("exported", id);
      if (outcome.snapshotId() == null) reply.putNull("snapshotId");
      else reply.put("snapshotId", outcome.snapshotId());
      ArrayNode files = reply.put("rows", outcome.rows()).putArray("files");
      outcome.files().forEach(files::add);
      return reply.put("wallMicros", outcome.wallMicros());
    }

    private ObjectNode stats(long id, TableStats.Stats stats) {
      ObjectNode reply = replies.reply("stats", id);
      if (stats.snapshotId() == null) reply.putNull("snapshotId");
      else reply.put("snapshotId", stats.snapshotId().toString());
      reply.put("snapshots", stats.snapshots())
          .put("records", stats.records())
          .put("dataFiles", stats.dataFiles())
          .put("dataBytes", stats.dataBytes())
          .put("storageBytes", stats.storageBytes())
          .put("storageObjects", stats.storageObjects());
      ArrayNode columns = reply.putArray("columns");
      for (TableStats.Column column : stats.columns()) columns.addObject().put("name", column.name()).put("type", column.type()).put("nulls", column.nulls());
      return reply;
    }
  }
}
