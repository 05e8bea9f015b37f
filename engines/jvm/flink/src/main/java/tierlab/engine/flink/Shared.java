package tierlab.engine.flink;

import java.util.concurrent.CountDownLatch;
import tierlab.engine.Report;

/**
 * What the job's tasks share with Main inside this one process (a local MiniCluster runs them on
 * threads of this JVM, from the same class path): the report on stdout, and a latch counted down
 * as each subtask of the decoder opens, so that `ready` is said once the job is consuming.
 */
final class Shared {
  static volatile Report report;
  static volatile CountDownLatch opened;

  private Shared() {}
}
