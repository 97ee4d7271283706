package dev.hydrastream.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.data.MaskGrid;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.spec.Taxonomy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric set of a model on labelled frames, computed in one place: {@code eval} and the
 * trainer's validation both feed it decoded {@link Perception}s and ground truth, and read typed
 * reports. Attribute accuracy and expected calibration error per classification head, AP@0.5 per
 * detection class and mAP, overall and per COCO size bucket, segmentation IoU per class on the
 * model's grid, drivable mIoU and lane IoU.
 *
 * <p>Not thread-safe.
 */
public final class MetricSet {

  /**
   * Ground truth of one frame, in the coordinates of the {@link Perception} it is scored with.
   *
   * @param attributes labelled value per attribute head (a missing or null value is unknown and
   *     skipped)
   * @param boxes detection ground truth (null: none labelled for this frame)
   * @param segGrid class per cell of the model's segmentation grid, {@link MaskGrid#IGNORE} where
   *     unlabelled (null: no mask)
   */
  public record Truth(Map<Head, String> attributes, List<DetLabel> boxes, int[] segGrid) {}

  private final Set<Head> heads;
  private final Map<Head, ClassificationEvaluator> attributes = new EnumMap<>(Head.class);
  private final DetectionEvaluator detection;

  /** The same detections scored per COCO size bucket. */
  private final Map<String, DetectionEvaluator> sizes = new LinkedHashMap<>();

  private final SegmentationEvaluator segmentation =
      new SegmentationEvaluator(Head.SEGMENTATION.labels(), MaskGrid.IGNORE);
  private String grid;

  /**
   * @param heads the heads of the model being scored
   * @param minGtHeight ground-truth boxes lower than this are ignore regions
   */
  public MetricSet(Set<Head> heads, double minGtHeight) {
    this.heads = Set.copyOf(heads);
    for (Head h : Head.ATTRIBUTES) {
      attributes.put(h, new ClassificationEvaluator());
    }
    this.detection =
        new DetectionEvaluator(
            Head.DETECTION.labels(), DetectionEvaluator.DEFAULT_IOU_THRESHOLD, minGtHeight);
    for (DetectionEvaluator.AreaRange r :
        List.of(DetectionEvaluator.SMALL, DetectionEvaluator.MEDIUM, DetectionEvaluator.LARGE)) {
      sizes.put(
          r.name(),
          new DetectionEvaluator(
              Head.DETECTION.labels(), DetectionEvaluator.DEFAULT_IOU_THRESHOLD, minGtHeight, r));
    }
  }

  /** Scores one frame. */
  public void add(Truth truth, Perception p) {
    for (Head h : Head.ATTRIBUTES) {
      Perception.Attribute a = p.attribute(h);
      if (a != null && heads.contains(h)) {
        attributes.get(h).add(truth.attributes().get(h), a.label(), clamp01(a.probability()));
      }
    }
    if (p.detections() != null && truth.boxes() != null) {
      detection.add(truth.boxes(), p.detections());
      sizes.values().forEach(e -> e.add(truth.boxes(), p.detections()));
    }
    Perception.Segmentation sg = p.segmentation();
    if (sg != null && truth.segGrid() != null) {
      grid = sg.width() + "x" + sg.height();
      int[] pred = new int[sg.mask().length];
      for (int c = 0; c < pred.length; c++) {
        pred[c] = sg.mask()[c] & 255;
      }
      segmentation.add(pred, truth.segGrid());
    }
  }

  /** A float32 softmax may round a certain prediction to just over 1. */
  private static double clamp01(double p) {
    return Math.max(0, Math.min(1, p));
  }

  /**
   * The report of everything added.
   *
   * @param minInstances classes with fewer instances are left out of the headline mAP
   */
  public Report report(int minInstances) {
    Map<String, AttributeReport> cls = new LinkedHashMap<>();
    for (Head h : Head.ATTRIBUTES) {
      if (heads.contains(h)) {
        ClassificationEvaluator e = attributes.get(h);
        cls.put(
            h.id(),
            new AttributeReport(
                e.accuracy(),
                e.count(),
                e.expectedCalibrationError(),
                e.meanConfidence(),
                e.confusion()));
      }
    }
    DetectionReport det = null;
    if (heads.contains(Head.DETECTION)) {
      DetectionEvaluator.Result r = detection.evaluate();
      Map<String, SizeReport> bySize = new LinkedHashMap<>();
      sizes.forEach(
          (name, e) -> {
            DetectionEvaluator.AreaRange a = e.area();
            DetectionEvaluator.Result s = e.evaluate();
            bySize.put(
                name,
                new SizeReport(
                    a.minArea(),
                    Double.isInfinite(a.maxArea()) ? null : a.maxArea(),
                    s.mAP(),
                    s.mAP(minInstances),
                    classes(s)));
          });
      det =
          new DetectionReport(
              r.iouThreshold(),
              r.minGtHeight(),
              r.mAP(),
              minInstances,
              r.mAP(minInstances),
              classes(r),
              bySize);
    }
    SegmentationReport seg = null;
    if (heads.contains(Head.SEGMENTATION)) {
      Map<String, Double> iou = new LinkedHashMap<>();
      List<String> names = Head.SEGMENTATION.labels();
      for (int c = 0; c < names.size(); c++) {
        iou.put(names.get(c), segmentation.iou(c));
      }
      seg =
          new SegmentationReport(
              grid,
              iou,
              segmentation.meanIoU(1, 2),
              segmentation.iou(3),
              segmentation.pixelAccuracy());
    }
    return new Report(cls.isEmpty() ? null : cls, det, seg);
  }

  private static List<ClassAp> classes(DetectionEvaluator.Result r) {
    List<ClassAp> classes = new ArrayList<>();
    for (DetectionEvaluator.ClassResult c : r.classes()) {
      classes.add(
          new ClassAp(c.category(), c.ap(), c.instances(), c.ignoredInstances(), c.detections()));
    }
    return classes;
  }

  /**
   * Every metric of a model on a split; field names are those of {@code eval --json}.
   *
   * @param classification per attribute head id (null without attribute heads)
   * @param detection detection metrics (null without a detection head)
   * @param segmentation segmentation metrics (null without a segmentation head)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      Map<String, AttributeReport> classification,
      DetectionReport detection,
      SegmentationReport segmentation) {

    /** The headline figures (the training log's and the card's validation entry). */
    public Headline headline() {
      return new Headline(
          accuracy(Head.WEATHER),
          accuracy(Head.TIMEOFDAY),
          accuracy(Head.SCENE),
          detection == null ? null : detection.map50(),
          detection == null ? null : detection.ap(Taxonomy.CAR),
          segmentation == null ? null : segmentation.drivableMiou(),
          segmentation == null ? null : segmentation.laneIou());
    }

    private Double accuracy(Head h) {
      AttributeReport a = classification == null ? null : classification.get(h.id());
      return a == null ? null : a.accuracy();
    }
  }

  /**
   * Accuracy of one attribute head, the frames it counted, its calibration and truth → predicted
   * counts.
   *
   * @param ece expected calibration error of the predicted label's probability ({@link
   *     ClassificationEvaluator#ECE_BINS} bins)
   * @param meanConfidence mean probability of the predicted label
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AttributeReport(
      double accuracy,
      int count,
      double ece,
      double meanConfidence,
      Map<String, Map<String, Integer>> confusion) {}

  /**
   * DetectedObject metrics.
   *
   * @param iouThreshold matching threshold
   * @param minGtHeight ground truth lower than this was ignored
   * @param map50 mean AP over classes with at least one instance
   * @param minInstances the class-size floor of {@code map50MinInstances}
   * @param map50MinInstances mean AP over classes with at least {@code minInstances} instances
   * @param classes per class, in label order
   * @param sizes the same per COCO size bucket (small, medium, large), by box area in the pixels
   *     scored (frame pixels in {@code eval})
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DetectionReport(
      double iouThreshold,
      double minGtHeight,
      double map50,
      int minInstances,
      double map50MinInstances,
      List<ClassAp> classes,
      Map<String, SizeReport> sizes) {

    /** AP@0.5 of {@code category}. */
    public double ap(String category) {
      for (ClassAp c : classes) {
        if (c.category().equals(category)) {
          return c.ap50();
        }
      }
      throw new IllegalArgumentException("no detection class " + category);
    }
  }

  /**
   * Detection metrics of one COCO size bucket: ground truth and unmatched detections of other sizes
   * are ignored.
   *
   * @param minArea smallest box area of the bucket, square pixels
   * @param maxArea areas from here on are outside (null: no bound)
   * @param map50 mean AP over classes with at least one instance of this size
   * @param map50MinInstances mean AP over classes with at least the report's minimum instances
   * @param classes per class
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SizeReport(
      double minArea,
      Double maxArea,
      double map50,
      double map50MinInstances,
      List<ClassAp> classes) {}

  /** AP@0.5 of one class with its counted and ignored instances and its detections. */
  public record ClassAp(String category, double ap50, int instances, int ignored, int detections) {}

  /**
   * Segmentation metrics on the model's grid.
   *
   * @param grid grid size, {@code WxH}
   * @param iou per class
   * @param drivableMiou mean IoU of the two drivable classes
   * @param laneIou IoU of lane marking
   * @param pixelAccuracy fraction of counted cells classified right
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SegmentationReport(
      String grid,
      Map<String, Double> iou,
      double drivableMiou,
      double laneIou,
      double pixelAccuracy) {}

  /**
   * The headline figures of a model; a head the model lacks is null.
   *
   * @param weatherAcc weather accuracy
   * @param timeofdayAcc time of day accuracy
   * @param sceneAcc scene accuracy
   * @param map50 detection mAP@0.5
   * @param carAp50 car AP@0.5
   * @param drivableMiou drivable mIoU
   * @param laneIou lane IoU
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Headline(
      Double weatherAcc,
      Double timeofdayAcc,
      Double sceneAcc,
      Double map50,
      Double carAp50,
      Double drivableMiou,
      Double laneIou) {

    /** The figures by their JSON names, in declaration order, without the missing ones. */
    public Map<String, Double> asMap() {
      Map<String, Double> m = new LinkedHashMap<>();
      put(m, "weather_acc", weatherAcc);
      put(m, "timeofday_acc", timeofdayAcc);
      put(m, "scene_acc", sceneAcc);
      put(m, "map50", map50);
      put(m, "car_ap50", carAp50);
      put(m, "drivable_miou", drivableMiou);
      put(m, "lane_iou", laneIou);
      return m;
    }

    private static void put(Map<String, Double> m, String k, Double v) {
      if (v != null) {
        m.put(k, v);
      }
    }
  }
}
