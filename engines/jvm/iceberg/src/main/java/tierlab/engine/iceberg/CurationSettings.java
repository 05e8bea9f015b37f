package tierlab.engine.iceberg;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;

/**
 * What the Node side hands the curation engine, as a JSON file named by its one argument
 * (src/lakehouse/iceberg/engine.ts): the S3 server and bucket, where the raw NDJSON lands, where
 * the Iceberg warehouse and the dead letters go, the table's name, and Spark's task threads.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CurationSettings(
    S3 s3,
    String bucket,
    /** Keys of the raw zone's NDJSON objects start with this, e.g. "lakehouse/raw/". */
    String rawPrefix,
    /** The Hadoop catalog's warehouse, a key prefix in the bucket, e.g. "lakehouse/iceberg". */
    String warehousePrefix,
    /** A rejected line goes to DEADLETTERPREFIX + its raw object's key + ".ndjson". */
    String deadLetterPrefix,
    /** namespace.table in the warehouse, e.g. "lakehouse.events". */
    String table,
    int threads,
    /** A local folder of the engine's own, for Spark's scratch files. */
    String stateDir) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record S3(String endpoint, String region, String accessKeyId, String secretAccessKey) {}

  public String warehouse() {
    return "s3a://" + bucket + "/" + trimSlashes(warehousePrefix);
  }

  static String trimSlashes(String prefix) {
    return prefix.replaceAll("^/+|/+$", "");
  }

  public static CurationSettings read(String path) throws IOException {
    return new ObjectMapper().readValue(new File(path), CurationSettings.class);
  }
}
