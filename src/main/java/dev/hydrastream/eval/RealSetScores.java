package dev.hydrastream.eval;

import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The figures of the real dev set's bar (road patch drivable, vehicle recall and precision), with
 * the definitions of the Kafka check that scores the service's published results ({@code
 * realset_kafka_check.py}), so that {@code eval} and that check agree frame by frame:
 *
 * <ul>
 *   <li>a road patch is drivable when at least half of its cells are drivable (direct or
 *       alternative) on the mask as the service publishes it (a frame-aligned grid as wide as the
 *       model mask, see {@link #publishedGrid}), the patch mapped to that grid by truncation;
 *   <li>labelled vehicles are cars and trucks/buses at least {@value #MIN_LABEL_HEIGHT} px tall;
 *       detections counted are car, truck or bus with score at least {@value #MIN_SCORE} and at
 *       least {@value #MIN_DETECTION_HEIGHT} px tall; each labelled box in label order (cars first)
 *       takes the unused counted detection of highest IoU, whatever its class, when that IoU is at
 *       least {@value #MIN_IOU} (greedy, class-agnostic); unmatched counted detections are false
 *       positives. Heights and IoU are those of the script: {@code y2 - y1}, continuous areas.
 * </ul>
 */
public final class RealSetScores {

  /** Labelled vehicles lower than this (label pixels, {@code y2 - y1}) are not scored. */
  public static final double MIN_LABEL_HEIGHT = 50;

  /** Detections lower than this (frame pixels, {@code y2 - y1}) are not counted. */
  public static final double MIN_DETECTION_HEIGHT = 40;

  /**
   * Detections below this score are not counted (the service's default {@code model.min.score}).
   */
  public static final double MIN_SCORE = 0.3;

  /** IoU at which a detection finds a labelled vehicle. */
  public static final double MIN_IOU = 0.5;

  /** Share of a road patch's cells that must be drivable for the patch to count as drivable. */
  public static final double PATCH_DRIVABLE = 0.5;

  /** Detection classes that count as vehicles. */
  public static final Set<String> VEHICLES = Set.of("car", "truck", "bus");

  private static final int DRIVABLE_DIRECT = Head.SEGMENTATION.labels().indexOf("drivable direct");
  private static final int DRIVABLE_ALTERNATIVE =
      Head.SEGMENTATION.labels().indexOf("drivable alternative");

  private RealSetScores() {}

  /**
   * Vehicles of one frame.
   *
   * @param matched labelled vehicles found
   * @param labelled labelled vehicles scored (tall enough)
   * @param counted detections counted (vehicle class, score and height)
   */
  public record Match(int matched, int labelled, int counted) {

    /** Counted detections that found no labelled vehicle. */
    public int falsePositives() {
      return counted - matched;
    }
  }

  /**
   * IoU of two {@code [x1, y1, x2, y2]} boxes with continuous areas ({@code (x2 - x1) * (y2 -
   * y1)}), as the Kafka check computes it; 0 when the union is empty.
   */
  static double iou(double[] a, double[] b) {
    double ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    double iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    double i = ix * iy;
    double u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i;
    return u > 0 ? i / u : 0;
  }

  /**
   * Matches the labelled vehicles of one frame ({@code [x1, y1, x2, y2]}, cars then trucks/buses)
   * with its detections (in published order, best first); see the class comment for the rules.
   */
  public static Match matchVehicles(List<double[]> labelled, List<DetectedObject> detections) {
    List<double[]> gts = new ArrayList<>();
    for (double[] g : labelled) {
      if (g[3] - g[1] >= MIN_LABEL_HEIGHT) {
        gts.add(g);
      }
    }
    List<double[]> dets = new ArrayList<>();
    for (DetectedObject d : detections) {
      double[] box = published(d.box());
      if (VEHICLES.contains(d.category())
          && d.score() >= MIN_SCORE
          && box[3] - box[1] >= MIN_DETECTION_HEIGHT) {
        dets.add(box);
      }
    }
    boolean[] used = new boolean[dets.size()];
    int hit = 0;
    for (double[] g : gts) {
      double best = 0;
      int bestJ = -1;
      for (int j = 0; j < dets.size(); j++) {
        double v = iou(g, dets.get(j));
        // >=: on a tie the later detection wins, as Python's max over (iou, index) does
        if (!used[j] && v >= best) {
          best = v;
          bestJ = j;
        }
      }
      if (bestJ >= 0 && best >= MIN_IOU) {
        used[bestJ] = true;
        hit++;
      }
    }
    return new Match(hit, gts.size(), dets.size());
  }

  /** A box as the service publishes it: float coordinates ({@code Box2d}). */
  private static double[] published(Box b) {
    return new double[] {(float) b.x1(), (float) b.y1(), (float) b.x2(), (float) b.y2()};
  }

  /**
   * Width and height of the segmentation grid the service publishes for a frame: as wide as the
   * model mask (at most the frame width), with the frame's aspect ratio (see {@code
   * ResultRecords.mask}).
   */
  public static int[] publishedGrid(Letterbox lb, int maskWidth) {
    int w = Math.min(maskWidth, lb.srcWidth());
    int h = Math.max(1, (int) Math.round(w * (double) lb.srcHeight() / lb.srcWidth()));
    return new int[] {w, h};
  }

  /** Share of the road patch {@code [x1, y1, x2, y2]} (frame pixels) predicted drivable. */
  public static double patchDrivable(double[] patch, Perception.Segmentation seg) {
    int[] wh = publishedGrid(seg.letterbox(), seg.width());
    byte[] grid = seg.toFrameGrid(wh[0], wh[1]);
    return patchDrivable(
        patch, grid, wh[0], wh[1], seg.letterbox().srcWidth(), seg.letterbox().srcHeight());
  }

  /**
   * Share of the road patch {@code [x1, y1, x2, y2]} (frame pixels) whose cells on a frame-aligned
   * {@code w x h} class grid are drivable: rows {@code int(y1 * sy)} up to {@code max(int(y2 * sy),
   * int(y1 * sy) + 1)} (exclusive, clipped to the grid), likewise the columns, with {@code sy = h /
   * frameHeight}; 0 when that leaves no cell (the check's NaN, which is not drivable either).
   */
  static double patchDrivable(
      double[] patch, byte[] grid, int w, int h, int frameWidth, int frameHeight) {
    double sx = w / (double) frameWidth;
    double sy = h / (double) frameHeight;
    int c0 = (int) (patch[0] * sx);
    int r0 = (int) (patch[1] * sy);
    int c1 = Math.max((int) (patch[2] * sx), c0 + 1);
    int r1 = Math.max((int) (patch[3] * sy), r0 + 1);
    c0 = Math.max(0, c0);
    r0 = Math.max(0, r0);
    c1 = Math.min(w, c1);
    r1 = Math.min(h, r1);
    int cells = 0;
    int drivable = 0;
    for (int y = r0; y < r1; y++) {
      for (int x = c0; x < c1; x++) {
        int c = grid[y * w + x] & 255;
        cells++;
        drivable += c == DRIVABLE_DIRECT || c == DRIVABLE_ALTERNATIVE ? 1 : 0;
      }
    }
    return cells == 0 ? 0 : drivable / (double) cells;
  }
}
