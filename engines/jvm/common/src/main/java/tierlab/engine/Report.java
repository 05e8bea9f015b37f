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
  private final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "tierlab-report");
    thread.setDaemon(true);
    return thread;
  });
  private List<long[]> visible = new ArrayList<>();
  private List<String> rejected = new ArrayList<>();
  private long kafkaBytesWritten;
  private long reportedBytes = -1;

  public Report() {
    flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
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

  public void ready(String engineVersion, long startupMs) {
    ObjectNode line = json.createObjectNode().put("type", "ready").put("version", engineVersion).put("startupMs", startupMs);
    line(line);
  }

  public void error(String message) {
    flush();
    line(json.createObjectNode().put("type", "error").put("message", message));
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
    synchronized (this) {
      if (visible.isEmpty() && rejected.isEmpty() && kafkaBytesWritten == reportedBytes) return;
      events = visible;
      reasons = rejected;
      bytes = kafkaBytesWritten;
      visible = new ArrayList<>();
      rejected = new ArrayList<>();
      reportedBytes = bytes;
    }
    ObjectNode line = json.createObjectNode().put("type", "progress").put("kafkaBytesWritten", bytes);
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
    out.print(node.toString());
    out.print('\n');
    out.flush();
  }
}
