package dev.hydrastream.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Accumulates truth/prediction pairs of one single-label image attribute (weather, time of day,
 * scene) and reports accuracy, confusion counts and, when the predictions come with their
 * confidence, the expected calibration error.
 *
 * <p>A null truth is an unknown label (BDD100K {@code undefined}, see {@code FrameLabels}): the
 * pair is skipped, neither right nor wrong, and only counted in {@link #skipped()}.
 *
 * <p>Not thread-safe. For parallel evaluation give each worker its own evaluator and {@link #merge}
 * them.
 */
public final class ClassificationEvaluator {

  // truth -> predicted -> count, both in first-seen order so reports are deterministic.
  private final Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
  private int count;
  private int correct;
  private int skipped;

  /** Calibration bins of equal width over the confidence of the predicted label. */
  public static final int ECE_BINS = 15;

  private final int[] binCount = new int[ECE_BINS];
  private final int[] binCorrect = new int[ECE_BINS];
  private final double[] binConfidence = new double[ECE_BINS];

  /**
   * Adds one image.
   *
   * @param truth the labelled value, or null when unknown (the pair is skipped)
   * @param predicted the model's value; never null, a model always predicts something
   */
  public void add(String truth, String predicted) {
    Objects.requireNonNull(predicted, "predicted");
    if (truth == null) {
      skipped++;
      return;
    }
    add(truth, predicted, 1);
  }

  /**
   * Adds one image with the probability the model gave its prediction, for calibration.
   *
   * @param confidence probability of {@code predicted}, in [0, 1]
   */
  public void add(String truth, String predicted, double confidence) {
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
    }
    add(truth, predicted);
    if (truth != null) {
      int bin = Math.min(ECE_BINS - 1, (int) (confidence * ECE_BINS));
      binCount[bin]++;
      binConfidence[bin] += confidence;
      binCorrect[bin] += truth.equals(predicted) ? 1 : 0;
    }
  }

  private void add(String truth, String predicted, int n) {
    confusion.computeIfAbsent(truth, t -> new LinkedHashMap<>()).merge(predicted, n, Integer::sum);
    count += n;
    if (truth.equals(predicted)) {
      correct += n;
    }
  }

  /** Adds everything {@code other} has accumulated; {@code other} is unchanged. */
  public void merge(ClassificationEvaluator other) {
    // Copy first: merging an evaluator into itself must not iterate a map it modifies.
    Map<String, Map<String, Integer>> add = other.confusion();
    int otherSkipped = other.skipped;
    int[] count = other.binCount.clone();
    int[] right = other.binCorrect.clone();
    double[] conf = other.binConfidence.clone();
    add.forEach((t, row) -> row.forEach((p, n) -> add(t, p, n)));
    skipped += otherSkipped;
    for (int b = 0; b < ECE_BINS; b++) {
      binCount[b] += count[b];
      binCorrect[b] += right[b];
      binConfidence[b] += conf[b];
    }
  }

  /** Pairs with a known truth. */
  public int count() {
    return count;
  }

  /** Pairs with a known truth that were predicted right. */
  public int correct() {
    return correct;
  }

  /** Pairs skipped for an unknown truth. */
  public int skipped() {
    return skipped;
  }

  /** {@code correct / count}; NaN before any pair with a known truth. */
  public double accuracy() {
    return count == 0 ? Double.NaN : correct / (double) count;
  }

  /**
   * Expected calibration error over the pairs added with a confidence ({@link #ECE_BINS}
   * equal-width bins): the mean over bins, weighted by their share of pairs, of |accuracy - mean
   * confidence|. NaN when none was added with a confidence.
   */
  public double expectedCalibrationError() {
    int total = 0;
    for (int n : binCount) {
      total += n;
    }
    if (total == 0) {
      return Double.NaN;
    }
    double ece = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      if (binCount[b] > 0) {
        double gap = binCorrect[b] / (double) binCount[b] - binConfidence[b] / binCount[b];
        ece += binCount[b] / (double) total * Math.abs(gap);
      }
    }
    return ece;
  }

  /** Mean confidence of the pairs added with one; NaN when there is none. */
  public double meanConfidence() {
    int total = 0;
    double sum = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      total += binCount[b];
      sum += binConfidence[b];
    }
    return total == 0 ? Double.NaN : sum / total;
  }

  /**
   * Counts by truth, then by prediction; only pairs seen appear. An unmodifiable copy, in
   * first-seen order.
   */
  public Map<String, Map<String, Integer>> confusion() {
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    confusion.forEach(
        (t, row) -> copy.put(t, Collections.unmodifiableMap(new LinkedHashMap<>(row))));
    return Collections.unmodifiableMap(copy);
  }
}
