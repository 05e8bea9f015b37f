package tierlab.engine;

import java.time.Instant;

/** The lab's one clock: wall-clock microseconds since the epoch, as the Node processes read theirs. */
public final class Micros {
  private Micros() {}

  public static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
