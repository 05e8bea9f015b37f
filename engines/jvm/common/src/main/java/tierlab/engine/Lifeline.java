package tierlab.engine;

import java.io.IOException;

/**
 * An engine process lives only as long as the Node worker that started it: the worker holds our
 * stdin open, and when it dies (killed by a fault, or crashed) the pipe closes and we halt at once,
 * without a graceful close, as a crashed engine would. A replacement worker starts a new engine.
 */
public final class Lifeline {
  private Lifeline() {}

  public static void exitWhenParentDies() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // nothing is sent on stdin; a read returns only when it closes
        }
      } catch (IOException ignored) {
        // a broken pipe is a closed one
      }
      Runtime.getRuntime().halt(3);
    }, "tierlab-lifeline");
    watcher.setDaemon(true);
    watcher.start();
  }
}
