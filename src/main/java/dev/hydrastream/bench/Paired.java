package dev.hydrastream.bench;

import java.util.Arrays;

/**
 * The arithmetic of paired measurements: element-wise ratios of two series measured back to back,
 * and their median. On a shared machine a ratio taken within one pair is stable when the absolute
 * figures are not, so every bench reports the median of per-pair ratios.
 */
public final class Paired {

  private Paired() {}

  /** {@code a[i] / b[i]} for every pair. */
  public static double[] ratios(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "series of different lengths: " + a.length + " and " + b.length);
    }
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  /** The median (the mean of the middle two for an even count). */
  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /**
   * A distribution-free confidence interval for a median: order statistics {@code low} and {@code
   * high} of the sample, and the probability {@code confidence} that they enclose the true median.
   */
  public record Interval(double low, double high, double confidence) {}

  /**
   * The narrowest interval of order statistics {@code [x(k), x(n+1-k)]} that holds the median with
   * at least {@code level} confidence (binomial, no assumption about the distribution); with too
   * few values for {@code level}, the range of the values and the confidence it has.
   */
  public static Interval medianInterval(double[] v, double level) {
    if (v.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    int best = 1;
    for (int k = 2; k <= (n + 1) / 2; k++) {
      if (coverage(n, k) >= level) {
        best = k;
      }
    }
    return new Interval(s[best - 1], s[n - best], coverage(n, best));
  }

  /** P(x(k) <= median <= x(n+1-k)) = 1 - 2 P(Binomial(n, 1/2) <= k - 1). */
  private static double coverage(int n, int k) {
    double tail = 0;
    double c = 1; // C(n, 0)
    for (int i = 0; i < k; i++) {
      tail += c;
      c = c * (n - i) / (i + 1);
    }
    return Math.max(0, 1 - 2 * tail / Math.pow(2, n));
  }

  /**
   * A percentile bootstrap confidence interval of the median of {@code v}: the pairs are resampled
   * with replacement {@code resamples} times (seeded, so a report is reproducible from its data).
   *
   * @param level e.g. 0.9 for the 5th to the 95th percentile of the resampled medians
   * @return {low, high}
   */
  public static double[] medianCi(double[] v, double level, int resamples, long seed) {
    java.util.Random random = new java.util.Random(seed);
    double[] medians = new double[resamples];
    double[] sample = new double[v.length];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < v.length; i++) {
        sample[i] = v[random.nextInt(v.length)];
      }
      medians[b] = median(sample);
    }
    Arrays.sort(medians);
    int lo = (int) Math.floor((1 - level) / 2 * (resamples - 1));
    int hi = (int) Math.ceil((1 + level) / 2 * (resamples - 1));
    return new double[] {medians[lo], medians[hi]};
  }
}
