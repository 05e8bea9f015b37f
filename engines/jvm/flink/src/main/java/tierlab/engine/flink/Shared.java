package tierlab.engine.flink;

import java.util.concurrent.CountDownLatch;
import tierlab.engine.Report;

/**
 * What the job's tasks share with Main. On a local MiniCluster they run on threads of this JVM,
 * from the same class path: the report on stdout, and a latch counted down as each subtask of the
 * decoder opens, so that `ready` is said once the job is consuming. On a cluster (FLINK_REST_URL)
 * neither is set in the TaskManager's JVM, and the tasks report through the relay instead.
 */
final class Shared {
  static volatile Report report;
  static volatile CountDownLatch opened;
  /** A TaskManager's one relay for this job's tasks (one per job class loader), and how many sink writers hold it. */
  private static Relay.Opened relayed;
  private static int holders;

  private Shared() {}

  static synchronized Report report(Relay relay) {
    if (report != null) return report;
    if (relayed == null) relayed = relay.open();
    return relayed.report();
  }

  /** A sink writer takes the report for its life: the relay is closed when the last one closes. */
  static synchronized Report hold(Relay relay) {
    Report held = report(relay);
    if (relayed != null) holders++;
    return held;
  }

  static synchronized void release() {
    if (relayed == null || --holders > 0) return;
    try {
      relayed.close().close();
    } catch (Exception error) {
      System.err.println("closing the report relay: " + error);
    }
    relayed = null;
  }

  static void opened(Relay relay) {
    CountDownLatch latch = opened;
    if (latch != null) latch.countDown();
    else report(relay).opened();
  }
}
