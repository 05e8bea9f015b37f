package tierlab.engine.iceberg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The engine's answers to the Node side, one JSON object a line on the process's real stdout
 * (System.out is pointed at stderr, so nothing a library prints can break a line): `ready` once,
 * then one line per command, carrying the command's id (src/lakehouse/iceberg/protocol.ts).
 */
final class Replies {
  private final ObjectMapper json = new ObjectMapper();
  private final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);

  ObjectNode line(String type) {
    return json.createObjectNode().put("type", type);
  }

  ObjectNode reply(String type, long id) {
    return line(type).put("id", id);
  }

  ObjectMapper json() {
    return json;
  }

  synchronized void send(ObjectNode line) {
    out.print(line.toString());
    out.print('\n');
    out.flush();
  }
}
