package tierlab.engine.flink;

import java.io.File;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The job on an existing Flink cluster (FLINK_REST_URL), as `flink run` would submit it: through
 * the JobManager's REST endpoint, with the jars the cluster's own Flink does not have (this
 * engine's, the Kafka connector and client, Jackson). The report comes back over the relay.
 */
final class ClusterSubmit {
  /** Jar names the job needs beside a Flink distribution: tierlab's, the Kafka connector and client, Jackson for the rules and report. */
  private static final List<String> SHIPPED = List.of("tierlab-engine-", "flink-connector-kafka-", "kafka-clients-", "jackson-core-", "jackson-databind-", "jackson-annotations-");

  private ClusterSubmit() {}

  static StreamExecutionEnvironment remoteEnvironment(String restUrl, Configuration configuration) {
    URI url = URI.create(restUrl);
    if (url.getHost() == null || url.getPort() < 0) throw new IllegalArgumentException("FLINK_REST_URL is not http://host:port: " + restUrl);
    return StreamExecutionEnvironment.createRemoteEnvironment(url.getHost(), url.getPort(), configuration, shippedJars());
  }

  private static String[] shippedJars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(path -> SHIPPED.stream().anyMatch(prefix -> new File(path).getName().startsWith(prefix)))
        .toArray(String[]::new);
  }

  static void createRelayTopic(Relay relay) throws Exception {
    try (Admin admin = Admin.create(adminProperties(relay))) {
      // One partition, the cluster's default replication (as the run's other topics).
      admin.createTopics(List.of(new NewTopic(relay.topic(), Optional.of(1), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException error) {
      if (!(error.getCause() instanceof TopicExistsException)) throw error;
    }
  }

  /** After the drain: what the tasks reported last is read, then the relay's topic is removed. */
  static void finishRelay(Relay relay, RelayReader reader) {
    try {
      // The sinks closed with the job and sent their last lines; they are in once the topic has been quiet a while.
      reader.finish(500, 10_000);
      try (Admin admin = Admin.create(adminProperties(relay))) {
        admin.deleteTopics(List.of(relay.topic())).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception error) {
      System.err.println("removing the report relay's topic: " + error);
    }
  }

  private static Properties adminProperties(Relay relay) {
    return relay.client();
  }
}
