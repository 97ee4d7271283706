package dev.hydrastream.eval;

import dev.hydrastream.spec.Taxonomy;
import java.util.List;
import java.util.Objects;

/**
 * Accumulates a pixel confusion matrix over K segmentation classes and derives per-class IoU, mean
 * IoU and pixel accuracy from it.
 *
 * <p>Pixels are class ids {@code 0..K-1} in the order of the class names given to the constructor
 * (for our {@code seg} head, {@link Taxonomy#SEGMENTATION}). Turning BDD100K's drivable and lane
 * masks, which use other values, into these ids is the caller's job. Target pixels equal to the
 * ignore value (default {@link Taxonomy#IGNORE}, 255) are skipped whatever was predicted there;
 * they count nowhere.
 *
 * <p>Not thread-safe. For parallel evaluation give each worker its own evaluator and {@link #merge}
 * them.
 */
public final class SegmentationEvaluator {

  private final List<String> classNames;
  private final int ignoreValue;
  // confusion[target][predicted]
  private final long[][] confusion;

  /** Evaluator for the given classes, ignoring target value {@link Taxonomy#IGNORE}. */
  public SegmentationEvaluator(List<String> classNames) {
    this(classNames, Taxonomy.IGNORE);
  }

  /**
   * @param classNames class names, index = class id; at least one
   * @param ignoreValue target value meaning "no label"; must not be a class id
   */
  public SegmentationEvaluator(List<String> classNames, int ignoreValue) {
    this.classNames = List.copyOf(classNames);
    if (this.classNames.isEmpty()) {
      throw new IllegalArgumentException("need at least one class");
    }
    if (ignoreValue >= 0 && ignoreValue < this.classNames.size()) {
      throw new IllegalArgumentException(
          "ignore value " + ignoreValue + " is the id of class " + classNames.get(ignoreValue));
    }
    this.ignoreValue = ignoreValue;
    this.confusion = new long[this.classNames.size()][this.classNames.size()];
  }

  public List<String> classNames() {
    return classNames;
  }

  public int ignoreValue() {
    return ignoreValue;
  }

  /**
   * Adds one image (or any batch of pixels), both arrays in the same pixel order.
   *
   * @throws IllegalArgumentException if the lengths differ, a prediction is not a class id or a
   *     target is neither a class id nor the ignore value; the message names the first bad index
   *     and its value, and nothing is added
   */
  public void add(int[] predicted, int[] target) {
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(target, "target");
    if (predicted.length != target.length) {
      throw new IllegalArgumentException(
          "predicted has " + predicted.length + " pixels, target " + target.length);
    }
    int k = classNames.size();
    // Validate first so a bad image does not leave half of itself in the matrix.
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] < 0 || predicted[i] >= k) {
        throw new IllegalArgumentException(
            "predicted[" + i + "] = " + predicted[i] + " is not a class id in 0.." + (k - 1));
      }
      if ((target[i] < 0 || target[i] >= k) && target[i] != ignoreValue) {
        throw new IllegalArgumentException(
            "target["
                + i
                + "] = "
                + target[i]
                + " is neither a class id in 0.."
                + (k - 1)
                + " nor the ignore value "
                + ignoreValue);
      }
    }
    for (int i = 0; i < predicted.length; i++) {
      if (target[i] != ignoreValue) {
        confusion[target[i]][predicted[i]]++;
      }
    }
  }

  /**
   * Adds everything {@code other} has accumulated; {@code other} is unchanged.
   *
   * @throws IllegalArgumentException if the class names or ignore values differ
   */
  public void merge(SegmentationEvaluator other) {
    if (!other.classNames.equals(classNames) || other.ignoreValue != ignoreValue) {
      throw new IllegalArgumentException(
          "cannot merge evaluators over "
              + classNames
              + " (ignore "
              + ignoreValue
              + ") and "
              + other.classNames
              + " (ignore "
              + other.ignoreValue
              + ")");
    }
    // Copy first: merging an evaluator into itself must double, not quadruple.
    long[][] add = other.confusionMatrix();
    for (int t = 0; t < confusion.length; t++) {
      for (int p = 0; p < confusion.length; p++) {
        confusion[t][p] += add[t][p];
      }
    }
  }

  /** Number of pixels with target class {@code target} predicted as {@code predicted}. */
  public long count(int target, int predicted) {
    checkClass(target);
    checkClass(predicted);
    return confusion[target][predicted];
  }

  /** A copy of the confusion matrix, indexed {@code [target][predicted]}. */
  public long[][] confusionMatrix() {
    long[][] copy = new long[confusion.length][];
    for (int t = 0; t < confusion.length; t++) {
      copy[t] = confusion[t].clone();
    }
    return copy;
  }

  /** Number of pixels counted, ignored pixels excluded. */
  public long pixels() {
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  /**
   * IoU of class {@code c}: {@code TP / (TP + FP + FN)}, NaN if the class was never a target nor
   * predicted (0 / 0).
   */
  public double iou(int c) {
    checkClass(c);
    long tp = confusion[c][c];
    long fp = 0;
    long fn = 0;
    for (int o = 0; o < confusion.length; o++) {
      if (o != c) {
        fp += confusion[o][c];
        fn += confusion[c][o];
      }
    }
    long denominator = tp + fp + fn;
    return denominator == 0 ? Double.NaN : tp / (double) denominator;
  }

  /** IoU of every class, index = class id. */
  public double[] ious() {
    double[] ious = new double[confusion.length];
    for (int c = 0; c < ious.length; c++) {
      ious[c] = iou(c);
    }
    return ious;
  }

  /**
   * Mean IoU over the given class ids, or over all classes when none are given. Classes whose IoU
   * is NaN (absent from both target and prediction) are left out, as they say nothing about the
   * model; NaN if all are.
   */
  public double meanIoU(int... classes) {
    int[] selected = classes;
    if (selected.length == 0) {
      selected = new int[confusion.length];
      for (int c = 0; c < selected.length; c++) {
        selected[c] = c;
      }
    }
    double sum = 0;
    int n = 0;
    for (int c : selected) {
      double iou = iou(c);
      if (!Double.isNaN(iou)) {
        sum += iou;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Fraction of counted pixels predicted correctly; NaN before any pixel was counted. */
  public double pixelAccuracy() {
    long correct = 0;
    for (int c = 0; c < confusion.length; c++) {
      correct += confusion[c][c];
    }
    long total = pixels();
    return total == 0 ? Double.NaN : correct / (double) total;
  }

  private void checkClass(int c) {
    if (c < 0 || c >= confusion.length) {
      throw new IllegalArgumentException(
          "class id " + c + " out of range 0.." + (confusion.length - 1));
    }
  }
}
