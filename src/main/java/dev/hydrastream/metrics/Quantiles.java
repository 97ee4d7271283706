package dev.hydrastream.metrics;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Quantiles from the native (exponential) buckets of a Prometheus histogram data point: with the
 * client's default schema a bucket is about 2% wide, fine enough to compare stage medians, where
 * the classic buckets a server sees would only bound them.
 */
public final class Quantiles {

  private Quantiles() {}

  /** The q-quantile (0..1) of the observations, or NaN without any. */
  public static double of(HistogramDataPointSnapshot p, double q) {
    if (!p.hasNativeHistogramData() || p.getCount() == 0) {
      return Double.NaN;
    }
    long count = p.getCount();
    double rank = q * count;
    long seen = p.getNativeZeroCount();
    if (rank <= seen) {
      return 0;
    }
    List<NativeHistogramBucket> buckets = new ArrayList<>();
    p.getNativeBucketsForPositiveValues().forEach(buckets::add);
    buckets.sort(Comparator.comparingInt(NativeHistogramBucket::getBucketIndex));
    double base = Math.pow(2, Math.pow(2, -p.getNativeSchema()));
    for (NativeHistogramBucket b : buckets) {
      if (seen + b.getCount() >= rank) {
        double upper = Math.pow(base, b.getBucketIndex());
        double lower = upper / base;
        return lower + (upper - lower) * (rank - seen) / b.getCount();
      }
      seen += b.getCount();
    }
    NativeHistogramBucket last = buckets.get(buckets.size() - 1);
    return Math.pow(base, last.getBucketIndex());
  }
}
