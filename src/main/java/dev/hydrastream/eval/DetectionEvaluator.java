package dev.hydrastream.eval;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes per-class average precision at one IoU threshold, and their mean (mAP@0.5 by default),
 * from ground truth and detections added image by image.
 *
 * <h2>Matching (per image and class)</h2>
 *
 * <p>Ground truth and detections of different classes never match: a detection of the wrong class
 * is a false positive of its own class and leaves the other class's ground truth unmatched. Within
 * one image and class, detections are visited by score, highest first; equal scores keep their
 * input order (stable sort). Each detection, in turn:
 *
 * <ol>
 *   <li>matches the still-unmatched <em>counted</em> ground truth box with the highest IoU, if that
 *       IoU is {@code >= iouThreshold} (a tie in IoU goes to the box listed first). It is a true
 *       positive and that box is now matched; later detections on it are false positives
 *       (duplicates);
 *   <li>otherwise, if its IoU with some <em>ignored</em> ground truth box is {@code >=
 *       iouThreshold}, it is dropped: neither true nor false positive;
 *   <li>otherwise it is a false positive.
 * </ol>
 *
 * <p>IoU is {@link Box#iou}, with inclusive pixel coordinates.
 *
 * <h2>Ignored ground truth</h2>
 *
 * <p>A ground truth box whose {@link Box#height()} ({@code y2 - y1 + 1}) is strictly less than
 * {@code minGtHeight} is ignored, like KITTI's DontCare regions or COCO's {@code iscrowd}: it is
 * not a positive (recall does not need it) and detecting it is not an error. As the rules above
 * say, a detection goes to a counted box whenever one is available at the threshold, even if its
 * IoU with an ignored box is higher (the KITTI and COCO order), and an ignored box may absorb any
 * number of detections, since duplicates on an object we chose not to score are not scored either.
 * With the default {@code minGtHeight} of 0 nothing is ignored.
 *
 * <h2>Size buckets</h2>
 *
 * <p>An evaluator may score only objects of one size, COCO style: with an area range {@code
 * [minArea, maxArea)} (box area {@link Box#area()} in pixels) ground truth outside it is ignored as
 * above, and a detection that matches no counted box and lies outside the range itself is dropped,
 * so a right-sized detection of an object of another size is not a false positive. COCO's buckets
 * are {@link #SMALL}, {@link #MEDIUM} and {@link #LARGE}.
 *
 * <h2>Average precision</h2>
 *
 * <p>All detections of a class that are true or false positives, over all images, are ranked by
 * score (equal scores: earlier image first, then input order). AP is the all-point interpolated
 * area under the precision/recall curve (PASCAL VOC 2010+, COCO without its 101-point sampling):
 * precision is made non-increasing from the right, {@code p_interp(r) = max p(r'), r' >= r}, and
 * summed over the recall steps. Recall only grows at a true positive, by {@code 1 / positives}, so
 * {@code AP = (1 / positives) * sum over true positives k of max(precision at ranks >= k)}.
 * Positives never detected add nothing, so AP is at most the final recall. A class without counted
 * ground truth has AP = NaN (undefined): it is reported, with 0 instances, but left out of every
 * mean.
 *
 * <p>Not thread-safe. For parallel evaluation give each worker its own evaluator and {@link #merge}
 * them.
 */
public final class DetectionEvaluator {

  /** The IoU threshold of mAP@0.5. */
  public static final double DEFAULT_IOU_THRESHOLD = 0.5;

  /**
   * A COCO size bucket: box areas in {@code [minArea, maxArea)} square pixels.
   *
   * @param name bucket name
   * @param minArea smallest area in the bucket
   * @param maxArea areas from here on are outside
   */
  public record AreaRange(String name, double minArea, double maxArea) {
    public boolean contains(double area) {
      return area >= minArea && area < maxArea;
    }
  }

  /** Every size. */
  public static final AreaRange ALL = new AreaRange("all", 0, Double.POSITIVE_INFINITY);

  /** COCO's small objects: area under 32 x 32 pixels. */
  public static final AreaRange SMALL = new AreaRange("small", 0, 32 * 32);

  /** COCO's medium objects: 32 x 32 to 96 x 96 pixels. */
  public static final AreaRange MEDIUM = new AreaRange("medium", 32 * 32, 96 * 96);

  /** COCO's large objects: 96 x 96 pixels and more. */
  public static final AreaRange LARGE = new AreaRange("large", 96 * 96, Double.POSITIVE_INFINITY);

  // Ties keep input order because List.sort is stable.
  private static final Comparator<DetectedObject> BY_SCORE_DESCENDING =
      (a, b) -> Double.compare(b.score(), a.score());

  private final double iouThreshold;
  private final double minGtHeight;
  private final AreaRange area;
  private final Set<String> declaredClasses;
  private final Map<String, ClassAccumulator> perClass = new HashMap<>();
  private int images;

  /** mAP@0.5 with nothing ignored; classes are those seen in the data. */
  public DetectionEvaluator() {
    this(List.of(), DEFAULT_IOU_THRESHOLD, 0);
  }

  /**
   * @param iouThreshold minimum IoU for a match, in (0, 1]
   * @param minGtHeight ground truth lower than this many pixels is ignored (see class doc)
   */
  public DetectionEvaluator(double iouThreshold, double minGtHeight) {
    this(List.of(), iouThreshold, minGtHeight);
  }

  /**
   * @param classes classes to report even when absent from the data (e.g. {@code
   *     Head.DETECTION.labels()}), in this order; classes seen only in the data follow, sorted by
   *     name
   * @param iouThreshold minimum IoU for a match, in (0, 1]
   * @param minGtHeight ground truth lower than this many pixels is ignored (see class doc)
   */
  public DetectionEvaluator(Collection<String> classes, double iouThreshold, double minGtHeight) {
    this(classes, iouThreshold, minGtHeight, ALL);
  }

  /**
   * @param classes as {@link #DetectionEvaluator(Collection, double, double)}
   * @param iouThreshold minimum IoU for a match, in (0, 1]
   * @param minGtHeight ground truth lower than this many pixels is ignored (see class doc)
   * @param area the sizes scored (see class doc, "Size buckets")
   */
  public DetectionEvaluator(
      Collection<String> classes, double iouThreshold, double minGtHeight, AreaRange area) {
    if (!(iouThreshold > 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("iouThreshold must be in (0, 1], got " + iouThreshold);
    }
    if (!(minGtHeight >= 0) || Double.isInfinite(minGtHeight)) {
      throw new IllegalArgumentException("minGtHeight must be finite and >= 0, got " + minGtHeight);
    }
    this.iouThreshold = iouThreshold;
    this.minGtHeight = minGtHeight;
    this.area = Objects.requireNonNull(area, "area");
    this.declaredClasses = new LinkedHashSet<>();
    for (String c : classes) {
      declaredClasses.add(Objects.requireNonNull(c, "class name"));
    }
  }

  public double iouThreshold() {
    return iouThreshold;
  }

  public double minGtHeight() {
    return minGtHeight;
  }

  public AreaRange area() {
    return area;
  }

  /** Number of images added, including merged ones. */
  public int images() {
    return images;
  }

  /**
   * Adds one image: matches its detections to its ground truth (see class doc) and keeps only the
   * outcome, so memory grows with the number of detections, not boxes.
   *
   * @param groundTruth the image's labels; any category, including ones no detection has
   * @param detections the image's predictions, in any order
   */
  public void add(List<DetLabel> groundTruth, List<DetectedObject> detections) {
    Objects.requireNonNull(groundTruth, "groundTruth");
    Objects.requireNonNull(detections, "detections");
    // Group and check everything before touching the totals, so a bad image changes nothing.
    Map<String, List<Box>> gtByClass = new LinkedHashMap<>();
    for (DetLabel gt : groundTruth) {
      Objects.requireNonNull(gt, "ground truth label");
      Objects.requireNonNull(gt.category(), "ground truth category");
      Objects.requireNonNull(gt.box(), "ground truth box");
      gtByClass.computeIfAbsent(gt.category(), c -> new ArrayList<>()).add(gt.box());
    }
    Map<String, List<DetectedObject>> detByClass = new LinkedHashMap<>();
    for (DetectedObject d : detections) {
      Objects.requireNonNull(d, "detection");
      detByClass.computeIfAbsent(d.category(), c -> new ArrayList<>()).add(d);
    }
    Set<String> classes = new LinkedHashSet<>(gtByClass.keySet());
    classes.addAll(detByClass.keySet());
    for (String c : classes) {
      match(
          perClass.computeIfAbsent(c, k -> new ClassAccumulator()),
          gtByClass.getOrDefault(c, List.of()),
          detByClass.getOrDefault(c, List.of()));
    }
    images++;
  }

  private void match(ClassAccumulator acc, List<Box> gts, List<DetectedObject> dets) {
    List<Box> counted = new ArrayList<>();
    List<Box> ignored = new ArrayList<>();
    for (Box gt : gts) {
      (gt.height() < minGtHeight || !area.contains(gt.area()) ? ignored : counted).add(gt);
    }
    acc.instances += counted.size();
    acc.ignoredInstances += ignored.size();
    acc.detections += dets.size();

    List<DetectedObject> ranked = new ArrayList<>(dets);
    ranked.sort(BY_SCORE_DESCENDING);
    boolean[] matched = new boolean[counted.size()];
    for (DetectedObject d : ranked) {
      int best = -1;
      double bestIou = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < counted.size(); i++) {
        if (!matched[i]) {
          double iou = d.box().iou(counted.get(i));
          if (iou >= iouThreshold && iou > bestIou) {
            best = i;
            bestIou = iou;
          }
        }
      }
      if (best >= 0) {
        matched[best] = true;
        acc.append(d.score(), true);
      } else if (!overlapsAny(d.box(), ignored) && area.contains(d.box().area())) {
        acc.append(d.score(), false);
      }
      // else: absorbed by an ignored box or outside the size range, neither TP nor FP.
    }
  }

  private boolean overlapsAny(Box box, List<Box> others) {
    for (Box o : others) {
      if (box.iou(o) >= iouThreshold) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds everything {@code other} has accumulated to this evaluator, as if its images had been
   * added here after this one's (that order only decides rank ties between equal scores). {@code
   * other} is unchanged.
   *
   * @throws IllegalArgumentException if the IoU thresholds, minimum heights or area ranges differ
   */
  public void merge(DetectionEvaluator other) {
    if (other.iouThreshold != iouThreshold
        || other.minGtHeight != minGtHeight
        || !other.area.equals(area)) {
      throw new IllegalArgumentException(
          "cannot merge evaluators with different settings: iouThreshold "
              + iouThreshold
              + " vs "
              + other.iouThreshold
              + ", minGtHeight "
              + minGtHeight
              + " vs "
              + other.minGtHeight
              + ", area "
              + area
              + " vs "
              + other.area);
    }
    declaredClasses.addAll(other.declaredClasses);
    for (Map.Entry<String, ClassAccumulator> e : other.perClass.entrySet()) {
      perClass.computeIfAbsent(e.getKey(), k -> new ClassAccumulator()).addAll(e.getValue());
    }
    images += other.images;
  }

  /** Computes AP for every class from what has been added so far. */
  public Result evaluate() {
    Set<String> order = new LinkedHashSet<>(declaredClasses);
    order.addAll(new TreeSet<>(perClass.keySet()));
    List<ClassResult> results = new ArrayList<>(order.size());
    for (String c : order) {
      ClassAccumulator acc = perClass.getOrDefault(c, new ClassAccumulator());
      int tp = 0;
      for (int i = 0; i < acc.size; i++) {
        tp += acc.truePositive[i] ? 1 : 0;
      }
      results.add(
          new ClassResult(
              c,
              acc.averagePrecision(),
              acc.instances,
              acc.ignoredInstances,
              acc.detections,
              tp,
              acc.size - tp));
    }
    return new Result(iouThreshold, minGtHeight, images, results);
  }

  /** Per-class totals: outcomes of the scored detections in the order they were added. */
  private static final class ClassAccumulator {
    int instances;
    int ignoredInstances;
    int detections;
    int size;
    double[] scores = new double[16];
    boolean[] truePositive = new boolean[16];

    void append(double score, boolean tp) {
      if (size == scores.length) {
        scores = Arrays.copyOf(scores, size * 2);
        truePositive = Arrays.copyOf(truePositive, size * 2);
      }
      scores[size] = score;
      truePositive[size] = tp;
      size++;
    }

    void addAll(ClassAccumulator o) {
      instances += o.instances;
      ignoredInstances += o.ignoredInstances;
      detections += o.detections;
      int n = o.size; // o may be this: copy what was there before, once
      for (int i = 0; i < n; i++) {
        append(o.scores[i], o.truePositive[i]);
      }
    }

    /** All-point interpolated AP; see the class doc for why the sum below equals the area. */
    double averagePrecision() {
      if (instances == 0) {
        return Double.NaN;
      }
      // Stable sort: equal scores keep the order in which they were added.
      Integer[] rank = new Integer[size];
      for (int i = 0; i < size; i++) {
        rank[i] = i;
      }
      Arrays.sort(rank, (a, b) -> Double.compare(scores[b], scores[a]));
      double[] precision = new double[size];
      int tp = 0;
      for (int k = 0; k < size; k++) {
        tp += truePositive[rank[k]] ? 1 : 0;
        precision[k] = tp / (double) (k + 1);
      }
      double maxToTheRight = 0;
      double sum = 0;
      for (int k = size - 1; k >= 0; k--) {
        maxToTheRight = Math.max(maxToTheRight, precision[k]);
        if (truePositive[rank[k]]) {
          sum += maxToTheRight;
        }
      }
      return sum / instances;
    }
  }

  /**
   * Outcome for one class.
   *
   * @param category class name
   * @param ap average precision, NaN when {@code instances == 0}
   * @param instances counted (not ignored) ground truth boxes: the positives
   * @param ignoredInstances ground truth boxes ignored for being too low
   * @param detections all detections of this class, including those absorbed by ignored boxes
   * @param truePositives detections matched to a counted box, over all scores
   * @param falsePositives detections neither matched nor absorbed, over all scores
   */
  public record ClassResult(
      String category,
      double ap,
      int instances,
      int ignoredInstances,
      int detections,
      int truePositives,
      int falsePositives) {

    /** Detections absorbed by ignored ground truth: neither true nor false positives. */
    public int ignoredDetections() {
      return detections - truePositives - falsePositives;
    }

    /** Recall over all detections, NaN without instances. */
    public double recall() {
      return instances == 0 ? Double.NaN : truePositives / (double) instances;
    }

    /** Precision over all scored detections, NaN when there are none. */
    public double precision() {
      int scored = truePositives + falsePositives;
      return scored == 0 ? Double.NaN : truePositives / (double) scored;
    }
  }

  /**
   * Evaluation outcome.
   *
   * @param iouThreshold the matching threshold used
   * @param minGtHeight ground truth lower than this was ignored
   * @param images number of images evaluated
   * @param classes one entry per class: the declared classes first, then the others by name
   */
  public record Result(
      double iouThreshold, double minGtHeight, int images, List<ClassResult> classes) {

    public Result {
      classes = List.copyOf(classes);
    }

    /** The entry of {@code category}; throws if the class was neither declared nor seen. */
    public ClassResult get(String category) {
      for (ClassResult c : classes) {
        if (c.category().equals(category)) {
          return c;
        }
      }
      throw new IllegalArgumentException("no class " + category + " in result");
    }

    /** Mean AP over the classes with at least one instance; NaN when there is none. */
    public double mAP() {
      return mAP(1);
    }

    /**
     * Mean AP over the classes with at least {@code minInstances} instances (values below 1 act as
     * 1, since AP needs a positive), so rare classes with noisy AP can be left out. NaN when no
     * class qualifies.
     */
    public double mAP(int minInstances) {
      int min = Math.max(1, minInstances);
      double sum = 0;
      int n = 0;
      for (ClassResult c : classes) {
        if (c.instances() >= min) {
          sum += c.ap();
          n++;
        }
      }
      return n == 0 ? Double.NaN : sum / n;
    }
  }
}
