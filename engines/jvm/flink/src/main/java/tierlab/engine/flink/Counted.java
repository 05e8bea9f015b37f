package tierlab.engine.flink;

/**
 * One valid event on its way to its window, keyed by the window's id (`key|windowStartMicros`):
 * what the window needs of it (amount, the rules it matched, in the rules' order) and the times
 * its latency is made of. The micro-batch engine also carries the record's bytes and source, to
 * dead-letter it byte for byte should it turn out late.
 */
public class Counted {
  public String id;
  public String key;
  public long windowStartMicros;
  public long seq;
  public long eventTimeMicros;
  public long amountCents;
  public boolean[] matched;
  public long sentMicros;
  public long readMicros;
  public int partition;
  public long offset;
  public byte[] recordKey;
  public byte[] recordValue;

  public Counted() {}
}
