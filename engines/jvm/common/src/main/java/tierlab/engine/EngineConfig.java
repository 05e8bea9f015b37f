package tierlab.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the Node side hands an engine process, as a JSON file named by its one argument: where
 * Kafka is, the run's topics and group, the window and the dataset's rules (the same data the Node
 * tiers are given), and the tier's options an engine can honour.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EngineConfig(
    String tier,
    String bootstrap,
    String groupId,
    String clientId,
    Topics topics,
    long windowMs,
    List<Rule> rules,
    String guarantee,
    int maxWaitMs,
    int threads,
    String stateDir,
    /** The consumer group's timeouts, the Node tiers' own (src/kafka/driver/types.ts groupTimeouts): a dead member is noticed as soon. */
    Group group,
    /** Micro-batch engines: how often a trigger makes what arrived visible (ms); absent for the other tiers. */
    Long triggerMs,
    /** Micro-batch engines: how far behind the watermark a window still takes events (ms); absent for the other tiers. */
    Long allowedLatenessMs,
    /** Batch engines: how often the job runs over what has landed in the lake (ms); absent for the other tiers. */
    Long periodMs,
    /** Batch engines: the lake, an S3-compatible server, and the run's bucket in it. */
    S3 s3,
    String bucket,
    /**
     * Batch engines: the aggregate as SQL over a view named `raw` (the raw zone's rows), made from
     * the dataset's rules by the Node side (pipelines/batch/job.ts), so that every engine computes
     * the same windows from the same translation.
     */
    String aggregateSql,
    /** Flink engines: an existing cluster's REST endpoint (FLINK_REST_URL) to submit the job to; absent: a local MiniCluster. */
    String flinkRestUrl,
    /** Spark engines: an existing cluster's master URL (SPARK_MASTER, spark://host:7077) for the executors; absent: local mode. */
    String sparkMaster,
    /**
     * Kafka client settings besides the bootstrap, made by the Node side from the Kafka endpoint
     * (src/tiers/jvm/kafka-properties.ts): security.protocol, sasl.mechanism, sasl.jaas.config for a
     * broker with TLS or SASL (MSK, Confluent Cloud, Redpanda Cloud); empty for the lab's own.
     */
    Map<String, String> kafkaProperties) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Topics(String events, String results, String deadLetter) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3(String endpoint, String region, String accessKeyId, String secretAccessKey) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Group(int sessionTimeoutMs, int heartbeatIntervalMs) {}

  /** A Kafka client's settings: the bootstrap and whatever the broker's security asks (kafkaProperties). */
  public Properties kafkaClient() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    if (kafkaProperties != null) props.putAll(kafkaProperties);
    return props;
  }

  public boolean exactlyOnce() {
    return "exactly-once".equals(guarantee);
  }

  public static EngineConfig read(String path) throws IOException {
    return new ObjectMapper().readValue(new File(path), EngineConfig.class);
  }
}
