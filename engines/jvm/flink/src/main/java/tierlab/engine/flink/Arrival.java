package tierlab.engine.flink;

/**
 * One record as the Kafka source read it, before it is decoded: its bytes, where it came from,
 * when the generator sent it and when this engine read it (µs). A Flink POJO (public fields, no
 * arguments), so Flink serializes it itself, without Kryo.
 */
public class Arrival {
  public byte[] key;
  public byte[] value;
  public int partition;
  public long offset;
  public long sentMicros;
  public long readMicros;

  public Arrival() {}
}
