/**
 * Upper bounds on what a user asks for. Each is far past anything that measures something on
 * one machine, so no real use meets them; what they catch is a slip (an extra zero, a pasted
 * number) that would otherwise run for hours, fill the disk or ask Kafka for a topic it refuses
 * minutes later. A value past one is refused at once, naming the flag or field and the value.
 */
export const limits = {
  /**
   * Events per second offered. The generator sends some tens of thousands a second from one
   * Node process on a laptop; a million is well past any machine this runs on.
   */
  ratePerSec: 1_000_000,
  /**
   * Partitions of a topic tierlab creates. The scenarios use 6; Kafka's guidance is a few
   * thousand per broker in all, and every partition is a log and file handles on the one broker.
   */
  partitions: 1_000,
  /** Records `generate --count` writes: 1e9 is about 170 GB of events at the datasets' size. */
  count: 1_000_000_000,
  /**
   * Repeats of a whole measurement (`run --repeat`). A run takes minutes, so 20 is hours; a
   * median and min-max settle well before that.
   */
  repeat: 20,
  /**
   * How long `tierlab soak` runs: a day. A soak shows a trend within minutes to hours; a day is
   * well past that, and what it catches is "10h" typed for "10m".
   */
  soakMs: 86_400_000,
} as const;
