package dev.hydrastream.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Accumulates truth/prediction pairs of one single-label image attribute (weather, time of day,
 * scene) and reports accuracy and confusion counts.
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
    add.forEach((t, row) -> row.forEach((p, n) -> add(t, p, n)));
    skipped += otherSkipped;
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
