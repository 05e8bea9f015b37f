package tierlab.engine.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.iceberg.metrics.MetricsReport;
import org.apache.iceberg.metrics.MetricsReporter;
import org.apache.iceberg.metrics.ScanMetricsResult;
import org.apache.iceberg.metrics.ScanReport;

/**
 * Iceberg's own account of what a query read: the catalog is given this reporter
 * (`metrics-reporter-impl`), and every scan Spark plans against the table reports the data files
 * it kept after pruning by partition and column statistics, and their size. The catalog makes the
 * reporter by reflection, so the reports are gathered in one place for the engine to take.
 */
public final class ScanBytes implements MetricsReporter {
  private static final ConcurrentLinkedQueue<ScanReport> REPORTS = new ConcurrentLinkedQueue<>();

  /** What the scans since the last call read: data files kept and skipped, and the kept files' bytes. */
  record Scanned(long bytes, long dataFiles, long skippedDataFiles, int scans) {}

  @Override
  public void report(MetricsReport report) {
    if (report instanceof ScanReport scan) REPORTS.add(scan);
  }

  /** Takes the reports gathered so far and adds them up. */
  static Scanned drain() {
    List<ScanReport> taken = new ArrayList<>();
    for (ScanReport report; (report = REPORTS.poll()) != null; ) taken.add(report);
    long bytes = 0;
    long files = 0;
    long skipped = 0;
    for (ScanReport report : taken) {
      ScanMetricsResult metrics = report.scanMetrics();
      bytes += metrics.totalFileSizeInBytes() == null ? 0 : metrics.totalFileSizeInBytes().value();
      files += metrics.resultDataFiles() == null ? 0 : metrics.resultDataFiles().value();
      skipped += metrics.skippedDataFiles() == null ? 0 : metrics.skippedDataFiles().value();
    }
    return new Scanned(bytes, files, skipped, taken.size());
  }
}
