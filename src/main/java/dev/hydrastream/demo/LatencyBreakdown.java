package dev.hydrastream.demo;

import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.metrics.Stage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a frame's capture-to-result time goes, for the demo summary: each stage's median and mean
 * from the service's stage histograms ({@code hydrastream_stage_seconds}), their sums, and the
 * end-to-end figures they should add up to: the service's capture-to-commit latency and the results
 * reader's capture-to-receipt latency. The simulator's own share (rendering and encoding a frame
 * after its capture time, before the producer has it) is inside {@code kafka_wait}; it is shown on
 * its own line.
 */
public final class LatencyBreakdown {

  private LatencyBreakdown() {}

  /**
   * The breakdown in milliseconds.
   *
   * @param readerP50Ms the results reader's capture-to-receipt median
   * @param cameraP50Ms the simulator's capture-to-producer median
   */
  public static Map<String, Object> of(
      ServiceMetrics metrics, double readerP50Ms, double cameraP50Ms) {
    Map<String, Object> doc = new LinkedHashMap<>();
    double sumP50 = 0;
    double sumMean = 0;
    for (Stage s : Stage.values()) {
      double p50 = metrics.quantile(s, 0.5) * 1e3;
      double mean = metrics.mean(s) * 1e3;
      sumP50 += p50;
      sumMean += mean;
      doc.put(s.label(), "p50 " + ms(p50) + ", mean " + ms(mean));
    }
    doc.put("  of which camera render+encode", "p50 " + ms(cameraP50Ms));
    doc.put("sum of stages", "p50s " + ms(sumP50) + ", means " + ms(sumMean));
    double commitP50 = metrics.latencyQuantile(0.5) * 1e3;
    doc.put(
        "capture to commit (service)",
        "p50 " + ms(commitP50) + ", mean " + ms(metrics.latencyMean() * 1e3));
    doc.put("capture to result (reader)", "p50 " + ms(readerP50Ms));
    doc.put("sum of p50s / reader p50", Math.round(sumP50 / readerP50Ms * 1000) / 1000.0);
    return doc;
  }

  private static String ms(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", v);
  }
}
