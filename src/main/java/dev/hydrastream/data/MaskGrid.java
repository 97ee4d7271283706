package dev.hydrastream.data;

import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Taxonomy;
import java.util.Arrays;

/**
 * BDD100K drivable and lane masks reduced to a model's segmentation grid, the one definition shared
 * by training targets and evaluation. Classes follow {@link Taxonomy#SEGMENTATION}: drivable
 * classes are sampled at each cell centre, a cell is "lane marking" when it covers any lane pixel
 * (markings are thinner than a cell), and letterbox padding is {@link #IGNORE}.
 */
public final class MaskGrid {

  /** Grid value of cells that do not count (padding, unlabelled). */
  public static final int IGNORE = 255;

  private MaskGrid() {}

  /**
   * The class grid of {@code sample} ({@code gridW x gridH}, each cell {@code stride} input pixels)
   * for a frame of {@code srcW x srcH} letterboxed by {@code lb}. All cells are ignored when the
   * sample has no drivable mask.
   */
  public static byte[] target(
      Sample sample, Letterbox lb, int srcW, int srcH, int gridW, int gridH, double stride) {
    byte[] out = new byte[gridH * gridW];
    Arrays.fill(out, (byte) IGNORE);
    if (sample.drivableMask() == null) {
      return out;
    }
    int[] drivable = Bdd100kReader.readMask(sample.drivableMask(), srcW, srcH);
    int[] lane =
        sample.laneMask() == null ? null : Bdd100kReader.readMask(sample.laneMask(), srcW, srcH);
    for (int gy = 0; gy < gridH; gy++) {
      for (int gx = 0; gx < gridW; gx++) {
        double fx0 = (gx * stride - lb.padX()) / lb.scale();
        double fy0 = (gy * stride - lb.padY()) / lb.scale();
        double fx1 = ((gx + 1) * stride - lb.padX()) / lb.scale();
        double fy1 = ((gy + 1) * stride - lb.padY()) / lb.scale();
        double cx = (fx0 + fx1) / 2;
        double cy = (fy0 + fy1) / 2;
        if (cx < 0 || cy < 0 || cx >= srcW || cy >= srcH) {
          continue;
        }
        int dv = drivable[(int) cy * srcW + (int) cx];
        int cls =
            dv == Taxonomy.DRIVABLE_DIRECT
                ? 1
                : dv == Taxonomy.DRIVABLE_ALTERNATIVE ? 2 : dv == Taxonomy.IGNORE ? IGNORE : 0;
        if (lane != null && anyLane(lane, srcW, srcH, fx0, fy0, fx1, fy1)) {
          cls = 3;
        }
        out[gy * gridW + gx] = (byte) cls;
      }
    }
    return out;
  }

  private static boolean anyLane(
      int[] lane, int srcW, int srcH, double fx0, double fy0, double fx1, double fy1) {
    int x0 = Math.max(0, (int) Math.floor(fx0));
    int x1 = Math.min(srcW - 1, (int) Math.ceil(fx1) - 1);
    int y0 = Math.max(0, (int) Math.floor(fy0));
    int y1 = Math.min(srcH - 1, (int) Math.ceil(fy1) - 1);
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        if (lane[y * srcW + x] != Taxonomy.LANE_BACKGROUND) {
          return true;
        }
      }
    }
    return false;
  }
}
