package dev.hydrastream.model;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.hydrastream.model.TrainingData.Prepared;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Label-preserving augmentation of prepared frames, drawn from a seeded stream per sample.
 *
 * <p>{@link Recipe#BASIC} is the recipe of models trained before domain randomization: horizontal
 * flip, scale ±12% and a small shift (boxes and masks move with the pixels, boxes mostly outside
 * are dropped), mild brightness and contrast. {@link Recipe#STRONG} widens the scale to 0.8–1.35
 * (zooming in shows small objects bigger), adds saturation and gamma jitter, sensor noise, blur,
 * random erasing (rectangles of noise or flat colour; segmentation cells under them are ignored and
 * a rectangle that would hide half of an object is not drawn) and mosaic: four frames cut at one
 * point, each keeping its pixels where they were, so boxes and masks stay exact while the frame's
 * weather, time of day and scene become unknown (those losses skip it). Colour changes stay mild:
 * weather and time of day must remain recognisable, and the renderer already randomizes colour.
 */
public final class Augmenter {

  /** An augmentation recipe. */
  public enum Recipe {
    BASIC,
    STRONG
  }

  /** Share of STRONG batches' samples that are mosaics. */
  static final double MOSAIC = 0.25;

  private final ModelConfig cfg;
  private final Recipe recipe;
  private final int segW;
  private final int segH;

  Augmenter(ModelConfig cfg, Recipe recipe) {
    this.cfg = cfg;
    this.recipe = recipe;
    this.segW = cfg.inputWidth() / cfg.segStride();
    this.segH = cfg.inputHeight() / cfg.segStride();
  }

  Recipe recipe() {
    return recipe;
  }

  /**
   * The random stream of sample {@code index} of batch {@code batch} in {@code epoch}. The parts
   * are mixed (SplitMix64's finaliser) before they seed {@link Random}: the first draw of {@code
   * Random}s whose seeds differ by a little differs by little, so with seeds one apart each batch
   * was all mosaics or none (a quarter of the steps taught the attribute heads nothing).
   */
  static Random sampleRandom(long seed, int epoch, int batch, int index) {
    long z = seed;
    for (long part : new long[] {epoch, batch, index}) {
      z = mix(z * 0x9E3779B97F4A7C15L + part);
    }
    return new Random(z);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Augments {@code p}; with the STRONG recipe a share {@link #MOSAIC} of samples become mosaics
   * with three frames taken from {@code pool} at random.
   */
  Prepared augment(Prepared p, List<Prepared> pool, Random rnd) {
    if (recipe == Recipe.STRONG && pool.size() > 3 && rnd.nextDouble() < MOSAIC) {
      List<Prepared> four = new ArrayList<>(4);
      four.add(single(p, rnd));
      for (int i = 0; i < 3; i++) {
        four.add(single(pool.get(rnd.nextInt(pool.size())), rnd));
      }
      return mosaic(four, rnd);
    }
    return single(p, rnd);
  }

  /** One frame: flip, scale and shift, colour, and for STRONG noise, blur and erasing. */
  Prepared single(Prepared p, Random rnd) {
    int h = cfg.inputHeight();
    int w = cfg.inputWidth();
    boolean strong = recipe == Recipe.STRONG;
    boolean flip = rnd.nextBoolean();
    double s =
        strong
            ? Math.exp(Math.log(0.8) + rnd.nextDouble() * (Math.log(1.35) - Math.log(0.8)))
            : 1 + (rnd.nextDouble() * 2 - 1) * 0.12;
    double tx = (rnd.nextDouble() * 2 - 1) * (strong ? 0.08 : 0.06) * w;
    double ty = (rnd.nextDouble() * 2 - 1) * (strong ? 0.06 : 0.04) * h;
    // input -> output: x' = a*x + b about the centre
    double a = flip ? -s : s;
    double bx = w / 2.0 - a * w / 2.0 + tx;
    double by = h / 2.0 - s * h / 2.0 + ty;
    byte[] rgb = warp(p.rgb(), w, h, 3, a, s, bx, by, opencv_imgproc.INTER_LINEAR, 0);
    double gs = cfg.segStride();
    byte[] seg =
        warp(
            p.seg(),
            segW,
            segH,
            1,
            a,
            s,
            bx / gs,
            by / gs,
            opencv_imgproc.INTER_NEAREST,
            TrainingData.SEG_IGNORE);
    List<float[]> boxes = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    for (int i = 0; i < p.boxes().length; i++) {
      float[] b = p.boxes()[i];
      float[] moved =
          clip(
              new double[] {a * b[0] + bx, s * b[1] + by, a * b[2] + bx, s * b[3] + by},
              0,
              0,
              w,
              h);
      if (moved != null) {
        boxes.add(moved);
        classes.add(p.classes()[i]);
      }
    }
    colour(rgb, rnd, strong);
    if (strong) {
      sensor(rgb, w, h, rnd);
      erase(rgb, seg, boxes, w, h, rnd);
    }
    return new Prepared(
        p.name(),
        rgb,
        seg,
        boxes.toArray(new float[0][]),
        classes.stream().mapToInt(Integer::intValue).toArray(),
        p.weather(),
        p.timeofday(),
        p.scene());
  }

  /**
   * A box {x1, y1, x2, y2} (x1 may exceed x2 after a flip) clipped to the rectangle, or null if
   * less than 40% of it or less than a pixel each way remains.
   */
  private static float[] clip(double[] b, double x0, double y0, double x1, double y1) {
    double lx = Math.min(b[0], b[2]);
    double rx = Math.max(b[0], b[2]);
    double area = (rx - lx) * (b[3] - b[1]);
    double cx1 = Math.max(x0, lx);
    double cx2 = Math.min(x1, rx);
    double cy1 = Math.max(y0, b[1]);
    double cy2 = Math.min(y1, b[3]);
    if (cx2 - cx1 < 1 || cy2 - cy1 < 1 || (cx2 - cx1) * (cy2 - cy1) < 0.4 * area) {
      return null;
    }
    return new float[] {(float) cx1, (float) cy1, (float) cx2, (float) cy2};
  }

  /** Brightness and contrast (both recipes); saturation and gamma (STRONG). */
  private static void colour(byte[] rgb, Random rnd, boolean strong) {
    double brightness = 1 + (rnd.nextDouble() * 2 - 1) * (strong ? 0.15 : 0.12);
    double contrast = 1 + (rnd.nextDouble() * 2 - 1) * (strong ? 0.15 : 0.12);
    double saturation = strong ? 0.7 + rnd.nextDouble() * 0.6 : 1;
    double gamma = strong ? 0.85 + rnd.nextDouble() * 0.3 : 1;
    double mean = 0;
    for (int i = 0; i < rgb.length; i += 7) {
      mean += rgb[i] & 255;
    }
    mean /= (rgb.length + 6) / 7;
    int[] lut = new int[256];
    for (int v = 0; v < 256; v++) {
      double x = ((v - mean) * contrast + mean) * brightness;
      x = 255 * Math.pow(Math.max(0, Math.min(255, x)) / 255, gamma);
      lut[v] = (int) Math.round(x);
    }
    for (int i = 0; i < rgb.length; i += 3) {
      int r = lut[rgb[i] & 255];
      int g = lut[rgb[i + 1] & 255];
      int b = lut[rgb[i + 2] & 255];
      if (saturation != 1) {
        double y = 0.299 * r + 0.587 * g + 0.114 * b;
        r = (int) Math.round(y + (r - y) * saturation);
        g = (int) Math.round(y + (g - y) * saturation);
        b = (int) Math.round(y + (b - y) * saturation);
      }
      rgb[i] = (byte) Math.max(0, Math.min(255, r));
      rgb[i + 1] = (byte) Math.max(0, Math.min(255, g));
      rgb[i + 2] = (byte) Math.max(0, Math.min(255, b));
    }
  }

  /** Sensor noise (30% of frames) and a slight blur (20%). */
  private static void sensor(byte[] rgb, int w, int h, Random rnd) {
    if (rnd.nextDouble() < 0.2) {
      try (Mat m = new Mat(h, w, CV_8UC3)) {
        m.data().put(rgb);
        opencv_imgproc.GaussianBlur(m, m, new Size(0, 0), 0.5 + rnd.nextDouble() * 0.7);
        m.data().get(rgb);
      }
    }
    if (rnd.nextDouble() < 0.3) {
      double sigma = 2 + rnd.nextDouble() * 6;
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) Math.max(0, Math.min(255, (rgb[i] & 255) + rnd.nextGaussian() * sigma));
      }
    }
  }

  /**
   * Random erasing: up to three rectangles of 1–6% of the frame, filled with noise or a flat
   * colour, on half of the frames. Segmentation cells under a rectangle become ignored; a rectangle
   * covering more than half of any box is not drawn, so no label loses its object.
   */
  private void erase(byte[] rgb, byte[] seg, List<float[]> boxes, int w, int h, Random rnd) {
    if (rnd.nextDouble() >= 0.5) {
      return;
    }
    int n = 1 + rnd.nextInt(3);
    for (int k = 0; k < n; k++) {
      double area = (0.01 + rnd.nextDouble() * 0.05) * w * h;
      double aspect = Math.exp((rnd.nextDouble() * 2 - 1) * Math.log(3));
      int ew = (int) Math.min(w - 1, Math.sqrt(area * aspect));
      int eh = (int) Math.min(h - 1, Math.sqrt(area / aspect));
      int x0 = rnd.nextInt(w - ew);
      int y0 = rnd.nextInt(h - eh);
      boolean hides = false;
      for (float[] b : boxes) {
        double iw = Math.min(b[2], x0 + ew) - Math.max(b[0], x0);
        double ih = Math.min(b[3], y0 + eh) - Math.max(b[1], y0);
        double boxArea = (b[2] - b[0]) * (b[3] - b[1]);
        if (iw > 0 && ih > 0 && iw * ih > 0.5 * boxArea) {
          hides = true;
          break;
        }
      }
      if (hides) {
        continue;
      }
      boolean noise = rnd.nextBoolean();
      int[] flat = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
      for (int y = y0; y < y0 + eh; y++) {
        for (int x = x0; x < x0 + ew; x++) {
          int i = 3 * (y * w + x);
          for (int c = 0; c < 3; c++) {
            rgb[i + c] = (byte) (noise ? rnd.nextInt(256) : flat[c]);
          }
        }
      }
      int gs = cfg.segStride();
      for (int y = y0 / gs; y < Math.min(segH, (y0 + eh + gs - 1) / gs); y++) {
        for (int x = x0 / gs; x < Math.min(segW, (x0 + ew + gs - 1) / gs); x++) {
          seg[y * segW + x] = (byte) TrainingData.SEG_IGNORE;
        }
      }
    }
  }

  /**
   * Four augmented frames cut at one random point, each quadrant keeping its own frame's pixels in
   * place; boxes clipped to their quadrant (dropped below 40% of their area), masks copied, image
   * attributes unknown.
   */
  Prepared mosaic(List<Prepared> four, Random rnd) {
    int h = cfg.inputHeight();
    int w = cfg.inputWidth();
    int gs = cfg.segStride();
    int cx = (int) Math.round(w * (0.3 + 0.4 * rnd.nextDouble()) / gs) * gs;
    int cy = (int) Math.round(h * (0.3 + 0.4 * rnd.nextDouble()) / gs) * gs;
    byte[] rgb = new byte[w * h * 3];
    byte[] seg = new byte[segW * segH];
    List<float[]> boxes = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    int[][] quads = {{0, 0, cx, cy}, {cx, 0, w, cy}, {0, cy, cx, h}, {cx, cy, w, h}};
    for (int q = 0; q < 4; q++) {
      Prepared p = four.get(q);
      int[] r = quads[q];
      for (int y = r[1]; y < r[3]; y++) {
        int from = 3 * (y * w + r[0]);
        System.arraycopy(p.rgb(), from, rgb, from, 3 * (r[2] - r[0]));
      }
      for (int y = r[1] / gs; y < r[3] / gs; y++) {
        int from = y * segW + r[0] / gs;
        System.arraycopy(p.seg(), from, seg, from, (r[2] - r[0]) / gs);
      }
      for (int i = 0; i < p.boxes().length; i++) {
        float[] b = p.boxes()[i];
        float[] c = clip(new double[] {b[0], b[1], b[2], b[3]}, r[0], r[1], r[2], r[3]);
        if (c != null) {
          boxes.add(c);
          classes.add(p.classes()[i]);
        }
      }
    }
    return new Prepared(
        four.get(0).name() + "+mosaic",
        rgb,
        seg,
        boxes.toArray(new float[0][]),
        classes.stream().mapToInt(Integer::intValue).toArray(),
        -1,
        -1,
        -1);
  }

  /**
   * {@code src} ({@code w x h}, {@code ch} channels) moved by {@code x' = a x + bx, y' = s y + by}
   * in continuous coordinates, where pixel {@code i} spans {@code [i, i + 1)}: the coordinates
   * boxes and the mask grid's cell centres use. OpenCV maps pixel indices (pixel {@code i} centred
   * at {@code i}), so the offset gains {@code (a - 1) / 2}: without it a flip moved the pixels one
   * pixel (the mask one cell) right of their boxes.
   */
  static byte[] warp(
      byte[] src,
      int w,
      int h,
      int ch,
      double a,
      double s,
      double bx,
      double by,
      int interpolation,
      int border) {
    int type = ch == 3 ? CV_8UC3 : CV_8UC1;
    try (Mat in = new Mat(h, w, type);
        Mat out = new Mat(h, w, type);
        Mat m = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F)) {
      in.data().put(src);
      java.nio.DoubleBuffer db = m.createBuffer();
      db.put(new double[] {a, 0, bx + (a - 1) / 2, 0, s, by + (s - 1) / 2});
      opencv_imgproc.warpAffine(
          in,
          out,
          m,
          new Size(w, h),
          interpolation,
          org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT,
          new Scalar(border, border, border, 0));
      byte[] dst = new byte[src.length];
      out.data().get(dst);
      return dst;
    }
  }
}
