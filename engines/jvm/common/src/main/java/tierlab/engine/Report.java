package tierlab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What an engine tells the Node side, one JSON object a line on stdout (logs go to stderr): that
 * it is running, and every few milliseconds the events whose results became visible (with the
 * times the latency stages need), the records it dead-lettered, and the bytes it has written. The
 * times are taken here, when they happen; the line only carries them (src/tiers/jvm/protocol.ts).
 */
public final class Report {
  /** How often what happened is sent: the times are already taken, so this delays only the display. */
  private static final long FLUSH_MS = 5;

  private final ObjectMapper json = new ObjectMapper();
  /** Where each line goes: stdout, or (a task on a Flink cluster's TaskManager) a relay to the engine process. */
  private final Consumer<String> out;
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "tierlab-report");
    thread.setDaemon(true);
    return thread;
  });
  private List<long[]> visible = new ArrayList<>();
  private List<String> rejected = new ArrayList<>();
  private long kafkaBytesWritten;
  private long reportedBytes = -1;
  /** A lake engine's S3 use so far: LIST, GET (and HEAD), PUT requests and bytes written; null for the others. */
  private long[] s3;
  private boolean totalsChanged;
  /** A scheduled engine's job runs so far and their wall time (µs); null for the others. */
  private long[] jobs;

  /** The report on this process's stdout. */
  public Report() {
    this(stdout());
  }

  /** The same lines, handed to `out` one at a time. */
  public Report(Consumer<String> out) {
    this.out = out;
    flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
  }

  private static Consumer<String> stdout() {
    PrintStream stream = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
    return text -> {
      stream.print(text);
      stream.print('\n');
      stream.flush();
    };
  }

  /** One event's result is visible: seq, event time, sent, read, processing start, write start, visible (µs). */
  public synchronized void visible(long seq, long eventTimeMicros, long sentMicros, long readMicros, long processingStartMicros, long writeStartMicros, long visibleMicros) {
    visible.add(new long[] {seq, eventTimeMicros, sentMicros, readMicros, processingStartMicros, writeStartMicros, visibleMicros});
  }

  /** A record went to the dead-letter topic, for this reason. */
  public synchronized void rejected(String reason) {
    rejected.add(reason);
  }

  public synchronized void wrote(long bytes) {
    kafkaBytesWritten += bytes;
  }

  /** The bytes written to Kafka so far, as a total (an engine that adds up what its tasks elsewhere reported). */
  public synchronized void written(long total) {
    kafkaBytesWritten = total;
  }

  /** A task on a cluster has opened its source: said to the engine process through the relay, never to Node. */
  public void opened() {
    line(json.createObjectNode().put("type", "opened"));
  }

  /** A scheduled engine ran its job once, for this long. */
  public synchronized void jobRun(long micros) {
    jobs = jobs == null ? new long[] {1, micros} : new long[] {jobs[0] + 1, jobs[1] + micros};
    totalsChanged = true;
  }

  /** A lake engine's S3 requests and bytes written so far (totals, not increments). */
  public synchronized void s3(long list, long get, long put, long bytesWritten) {
    s3 = new long[] {list, get, put, bytesWritten};
    totalsChanged = true;
  }

  public void ready(String engineVersion, long startupMs) {
    ObjectNode line = json.createObjectNode().put("type", "ready").put("version", engineVersion).put("startupMs", startupMs);
    line(line);
  }

  public void error(String message) {
    flush();
    line(json.createObjectNode().put("type", "error").put("message", message));
  }

  /** Sends what is left and stops sending: a relay's report whose tasks are done. */
  public void close() {
    flusher.shutdownNow();
    flush();
  }

  /** The last line: everything before it has been sent. */
  public void stopped() {
    flusher.shutdownNow();
    flush();
    line(json.createObjectNode().put("type", "stopped"));
  }

  public void flush() {
    List<long[]> events;
    List<String> reasons;
    long bytes;
    long[] store;
    long[] runs;
    synchronized (this) {
      if (visible.isEmpty() && rejected.isEmpty() && kafkaBytesWritten == reportedBytes && !totalsChanged) return;
      events = visible;
      reasons = rejected;
      bytes = kafkaBytesWritten;
      store = s3;
      runs = jobs;
      visible = new ArrayList<>();
      rejected = new ArrayList<>();
      reportedBytes = bytes;
      totalsChanged = false;
    }
    ObjectNode line = json.createObjectNode().put("type", "progress").put("kafkaBytesWritten", bytes);
    if (store != null) {
      line.putObject("s3").put("list", store[0]).put("get", store[1]).put("put", store[2]).put("bytesWritten", store[3]);
    }
    if (runs != null) line.putObject("jobs").put("runs", runs[0]).put("micros", runs[1]);
    ArrayNode eventsNode = line.putArray("visible");
    for (long[] event : events) {
      ArrayNode row = eventsNode.addArray();
      for (long value : event) row.add(value);
    }
    ArrayNode reasonsNode = line.putArray("rejected");
    reasons.forEach(reasonsNode::add);
    line(line);
  }

  private synchronized void line(ObjectNode node) {
    out.accept(node.toString());
  }
}
