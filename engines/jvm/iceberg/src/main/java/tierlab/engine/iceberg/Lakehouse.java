package tierlab.engine.iceberg;

import java.net.URI;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session, the Iceberg catalog and the curated table, set up once for the engine's life.
 *
 * The catalog is Iceberg's Hadoop catalog on the warehouse path in the bucket, through S3A: the
 * table is its folder of metadata and data files and nothing else, so there is no catalog service
 * to run and any engine that is given the path can read it. What that costs: a Hadoop catalog
 * commits by renaming its next metadata file, which S3 does not do atomically, so only one writer
 * may commit at a time; the curation is that one writer (one engine per table).
 */
final class Lakehouse {
  static final String CATALOG = "lake";
  /** A catalog on local disk for the start-up rehearsal: Iceberg's write path warmed without touching the lake. */
  static final String REHEARSAL_CATALOG = "rehearsal";
  final SparkSession spark;
  final Catalog catalog;
  final TableIdentifier id;
  /** The table as Spark SQL names it: lake.NAMESPACE.TABLE. */
  final String tableRef;
  final FileSystem bucket;

  private Lakehouse(SparkSession spark, Catalog catalog, TableIdentifier id, FileSystem bucket) {
    this.spark = spark;
    this.catalog = catalog;
    this.id = id;
    this.tableRef = CATALOG + "." + id;
    this.bucket = bucket;
  }

  static Lakehouse open(CurationSettings settings) throws Exception {
    CurationSettings.S3 s3 = settings.s3();
    int threads = Math.max(1, settings.threads());
    String catalogKey = "spark.sql.catalog." + CATALOG;
    SparkSession spark = SparkSession.builder()
        .appName("tierlab-iceberg")
        .master("local[" + threads + "]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", settings.stateDir() + "/local")
        // The lab's tables are small: a shuffle partition per task thread, not Spark's 200.
        .config("spark.sql.shuffle.partitions", String.valueOf(threads))
        .config("spark.default.parallelism", String.valueOf(threads))
        // The dashboard SQL is made once on the Node side for every zone (DuckDB's dialect): identifiers double-quoted.
        .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
        // Timestamps in rows as java.time.Instant (the event time column), not java.sql.Timestamp.
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config(catalogKey, "org.apache.iceberg.spark.SparkCatalog")
        .config(catalogKey + ".type", "hadoop")
        .config(catalogKey + ".warehouse", settings.warehouse())
        // Every query loads the table's current metadata, as a reader in another process would: no stale cached table.
        .config(catalogKey + ".cache-enabled", "false")
        .config(catalogKey + ".metrics-reporter-impl", ScanBytes.class.getName())
        .config("spark.sql.catalog." + REHEARSAL_CATALOG, "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog." + REHEARSAL_CATALOG + ".type", "hadoop")
        .config("spark.sql.catalog." + REHEARSAL_CATALOG + ".warehouse", "file://" + settings.stateDir() + "/rehearsal")
        // The lake: any S3-compatible server, addressed by path (S3Proxy and MinIO in the lab), as the spark module does.
        .config("spark.hadoop.fs.s3a.endpoint", s3.endpoint())
        .config("spark.hadoop.fs.s3a.endpoint.region", s3.region())
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        .config("spark.hadoop.fs.s3a.connection.ssl.enabled", String.valueOf(s3.endpoint().startsWith("https:")))
        .config("spark.hadoop.fs.s3a.access.key", s3.accessKeyId())
        .config("spark.hadoop.fs.s3a.secret.key", s3.secretAccessKey())
        .config("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .getOrCreate();
    Catalog catalog = ((SparkCatalog) spark.sessionState().catalogManager().catalog(CATALOG)).icebergCatalog();
    FileSystem bucket = FileSystem.get(URI.create("s3a://" + settings.bucket() + "/"), spark.sparkContext().hadoopConfiguration());
    return new Lakehouse(spark, catalog, TableIdentifier.parse(settings.table()), bucket);
  }

  /** The curated table, made with the raw event's own fields and hour partitions the first time. */
  Table table() {
    if (catalog.tableExists(id)) return catalog.loadTable(id);
    var schema = Columns.initialSchema();
    // Event-time hours, as the raw zone's dt=/hour= folders: a window's rows are in one partition.
    PartitionSpec spec = PartitionSpec.builderFor(schema).hour(Columns.EVENT_TIME).build();
    return catalog.createTable(id, schema, spec, Map.of(TableProperties.FORMAT_VERSION, "2"));
  }
}
