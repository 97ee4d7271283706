package dev.hydrastream.metrics;

import dev.hydrastream.schema.AttributePrediction;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SegmentationMask;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * How far two models agree on the same frames, per task, from their fused result records: class
 * agreement per attribute, detection F1 per class at IoU 0.5 (the first model's detections taken as
 * the reference), and the mean IoU of the two segmentation masks. {@code replay --model} prints it
 * for a drive; a shadow model is compared with the incumbent the same way, per frame ({@code
 * perception.shadow}) and running ({@link #addAll}). Not thread-safe.
 */
public final class ModelAgreement {

  /** IoU from which two boxes of the same class are one object. */
  public static final double MATCH_IOU = 0.5;

  private long frames;
  private final Map<String, long[]> attributes = new TreeMap<>(); // {agree, compared}
  private final Map<String, long[]> detections = new TreeMap<>(); // {tp, fp, fn}
  private double maskIouSum;
  private long masks;

  /**
   * The agreement over the frames added.
   *
   * @param frames frame pairs compared
   * @param attributeAgreement per attribute (weather, timeofday, scene): share of frames with the
   *     same top label
   * @param detectionF1 per detection class seen by either model: F1 of the second model's boxes
   *     against the first's at IoU 0.5
   * @param maskIou mean over frames of the IoU of the two masks, averaged over the classes either
   *     mask has (NaN when no frame had both masks)
   */
  public record Report(
      long frames,
      Map<String, Double> attributeAgreement,
      Map<String, Double> detectionF1,
      double maskIou) {}

  /** Adds one frame as the reference model and the candidate saw it. */
  public void add(PerceptionFrame reference, PerceptionFrame candidate) {
    frames++;
    attribute("weather", reference.getWeather(), candidate.getWeather());
    attribute("timeofday", reference.getTimeofday(), candidate.getTimeofday());
    attribute("scene", reference.getScene(), candidate.getScene());
    matchDetections(reference.getDetections(), candidate.getDetections());
    if (reference.getSegmentation() != null && candidate.getSegmentation() != null) {
      maskIouSum += maskIou(reference.getSegmentation(), candidate.getSegmentation());
      masks++;
    }
  }

  /**
   * Adds the frames {@code other} compared, as if each had been added here: a running total takes
   * each frame's own agreement without comparing the frame twice.
   */
  public void addAll(ModelAgreement other) {
    frames += other.frames;
    other.attributes.forEach(
        (k, v) -> {
          long[] c = attributes.computeIfAbsent(k, x -> new long[2]);
          c[0] += v[0];
          c[1] += v[1];
        });
    other.detections.forEach(
        (k, v) -> {
          long[] n = detections.computeIfAbsent(k, x -> new long[3]);
          for (int i = 0; i < 3; i++) {
            n[i] += v[i];
          }
        });
    maskIouSum += other.maskIouSum;
    masks += other.masks;
  }

  /** The agreement so far. */
  public Report report() {
    Map<String, Double> agreement = new LinkedHashMap<>();
    attributes.forEach((k, v) -> agreement.put(k, v[1] == 0 ? Double.NaN : v[0] / (double) v[1]));
    Map<String, Double> f1 = new LinkedHashMap<>();
    detections.forEach((k, v) -> f1.put(k, f1(v[0], v[1], v[2])));
    return new Report(frames, agreement, f1, masks == 0 ? Double.NaN : maskIouSum / masks);
  }

  private void attribute(String name, AttributePrediction a, AttributePrediction b) {
    if (a == null || b == null) {
      return;
    }
    long[] c = attributes.computeIfAbsent(name, k -> new long[2]);
    c[0] += a.getLabel().toString().equals(b.getLabel().toString()) ? 1 : 0;
    c[1]++;
  }

  /** Greedy matching per class, candidates by falling score, each to its best unmatched box. */
  private void matchDetections(List<Detection> reference, List<Detection> candidate) {
    TreeSet<String> classes = new TreeSet<>();
    reference.forEach(d -> classes.add(d.getCategory().toString()));
    candidate.forEach(d -> classes.add(d.getCategory().toString()));
    for (String c : classes) {
      List<Detection> ref = ofClass(reference, c);
      List<Detection> cand = ofClass(candidate, c);
      cand.sort(Comparator.comparingDouble(Detection::getScore).reversed());
      boolean[] taken = new boolean[ref.size()];
      long tp = 0;
      for (Detection d : cand) {
        int best = -1;
        double bestIou = MATCH_IOU;
        for (int i = 0; i < ref.size(); i++) {
          double iou = taken[i] ? -1 : iou(d.getBox(), ref.get(i).getBox());
          if (iou >= bestIou) {
            best = i;
            bestIou = iou;
          }
        }
        if (best >= 0) {
          taken[best] = true;
          tp++;
        }
      }
      long[] n = detections.computeIfAbsent(c, k -> new long[3]);
      n[0] += tp;
      n[1] += cand.size() - tp;
      n[2] += ref.size() - tp;
    }
  }

  private static List<Detection> ofClass(List<Detection> all, String c) {
    List<Detection> out = new ArrayList<>();
    for (Detection d : all) {
      if (d.getCategory().toString().equals(c)) {
        out.add(d);
      }
    }
    return out;
  }

  /** F1 from true positives, false positives and false negatives (1 when both found nothing). */
  static double f1(long tp, long fp, long fn) {
    return tp + fp + fn == 0 ? 1.0 : 2.0 * tp / (2.0 * tp + fp + fn);
  }

  /** IoU of two boxes with inclusive pixel bounds (as the result records write them). */
  public static double iou(Box2d a, Box2d b) {
    double w = Math.min(a.getX2(), b.getX2()) - Math.max(a.getX1(), b.getX1()) + 1;
    double h = Math.min(a.getY2(), b.getY2()) - Math.max(a.getY1(), b.getY1()) + 1;
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = w * h;
    double union = area(a) + area(b) - inter;
    return union <= 0 ? 0 : inter / union;
  }

  private static double area(Box2d b) {
    return Math.max(0, b.getX2() - b.getX1() + 1) * Math.max(0, b.getY2() - b.getY1() + 1);
  }

  /**
   * Mean over the classes present in either mask of their IoU; the masks are compared on the
   * coarser grid when their sizes differ (nearest sampling).
   */
  public static double maskIou(SegmentationMask a, SegmentationMask b) {
    int[] ga = classIds(a);
    int[] gb = classIds(b);
    int w = Math.min(a.getWidth(), b.getWidth());
    int h = Math.min(a.getHeight(), b.getHeight());
    Map<Integer, long[]> counts = new TreeMap<>(); // {intersection, union}
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int ca = ga[(y * a.getHeight() / h) * a.getWidth() + x * a.getWidth() / w];
        int cb = gb[(y * b.getHeight() / h) * b.getWidth() + x * b.getWidth() / w];
        counts.computeIfAbsent(ca, k -> new long[2])[1]++;
        if (ca == cb) {
          counts.get(ca)[0]++;
        } else {
          counts.computeIfAbsent(cb, k -> new long[2])[1]++;
        }
      }
    }
    double sum = 0;
    for (long[] c : counts.values()) {
      sum += c[0] / (double) c[1];
    }
    return counts.isEmpty() ? 1.0 : sum / counts.size();
  }

  private static int[] classIds(SegmentationMask m) {
    ByteBuffer png = m.getPng().duplicate();
    byte[] bytes = new byte[png.remaining()];
    png.get(bytes);
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("segmentation mask PNG unreadable: " + e.getMessage(), e);
    }
    if (img == null || img.getWidth() != m.getWidth() || img.getHeight() != m.getHeight()) {
      throw new IllegalArgumentException(
          "segmentation mask PNG is not the " + m.getWidth() + "x" + m.getHeight() + " it claims");
    }
    return img.getRaster().getPixels(0, 0, m.getWidth(), m.getHeight(), (int[]) null);
  }
}
