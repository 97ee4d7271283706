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
