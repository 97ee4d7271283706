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
}
