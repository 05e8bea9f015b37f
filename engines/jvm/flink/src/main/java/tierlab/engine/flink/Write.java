package tierlab.engine.flink;

import java.nio.charset.StandardCharsets;

/**
 * One record for the sink to write: a window to the results topic, with the events it makes
 * visible (`tracking`: seq, event time, sent, read, processing start, five longs an event), or a
 * record to the dead-letter topic with its reason and source.
 */
public class Write {
  public boolean deadLetter;
  public byte[] key;
  public byte[] value;
  public long[] tracking;
  public String reason;
  public String source;

  public Write() {}

  static Write result(String id, String json, long[] tracking) {
    Write write = new Write();
    write.key = id.getBytes(StandardCharsets.UTF_8);
    write.value = json.getBytes(StandardCharsets.UTF_8);
    write.tracking = tracking;
    return write;
  }

  static Write deadLetter(byte[] key, byte[] value, String reason, int partition, long offset) {
    Write write = new Write();
    write.deadLetter = true;
    write.key = key;
    write.value = value;
    write.reason = reason;
    write.source = partition + "@" + offset;
    return write;
  }
}
