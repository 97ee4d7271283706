package dev.hydrastream.model;

import dev.hydrastream.data.DatasetException;
import dev.hydrastream.data.MaskGrid;
import dev.hydrastream.data.Sample;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Training samples prepared once at the model's input resolution (decoded, letterboxed, masks
 * reduced to the segmentation output grid) and cached, and the target arrays of a batch of them
 * (augmented by {@link Augmenter}).
 */
final class TrainingData {

  /** Segmentation target classes on the output grid; 255 = ignore (letterbox padding). */
  static final int SEG_IGNORE = MaskGrid.IGNORE;

  /** One prepared frame at input resolution. */
  record Prepared(
      String name,
      byte[] rgb,
      byte[] seg,
      float[][] boxes,
      int[] classes,
      int weather,
      int timeofday,
      int scene) {}

  /** A uint8 batch tensor {@code [n, h, w, 3]} of prepared frames' pixels (caller closes it). */
  static org.tensorflow.types.TUint8 imageBatch(List<Prepared> items, int h, int w) {
    byte[] images = new byte[items.size() * h * w * 3];
    for (int i = 0; i < items.size(); i++) {
      byte[] rgb = items.get(i).rgb();
      System.arraycopy(rgb, 0, images, i * rgb.length, rgb.length);
    }
    return org.tensorflow.types.TUint8.tensorOf(
        org.tensorflow.ndarray.Shape.of(items.size(), h, w, 3),
        org.tensorflow.ndarray.buffer.DataBuffers.of(images, true, false));
  }

  /** One batch of inputs and targets, as flat arrays in NHWC order. */
  record Batch(
      int size,
      byte[] images,
      float[] weather,
      float[] weatherKnown,
      float[] timeofday,
      float[] timeofdayKnown,
      float[] scene,
      float[] sceneKnown,
      float[] heatmap,
      float[] regression,
      float[] regressionMask,
      float[] seg,
      float[] segWeight) {}

  /** Relative weight of lane pixels in the segmentation loss (they are few and thin). */
  static final float LANE_WEIGHT = 3f;

  private final ModelConfig cfg;
  private final int segH;
  private final int segW;
  private final int detH;
  private final int detW;
  private final FrameDecoder decoder;

  TrainingData(ModelConfig cfg) {
    this.cfg = cfg;
    this.decoder = new FrameDecoder(cfg.inputWidth(), cfg.inputHeight(), true);
    this.segH = cfg.inputHeight() / cfg.segStride();
    this.segW = cfg.inputWidth() / cfg.segStride();
    this.detH = cfg.inputHeight() / cfg.detStride();
    this.detW = cfg.inputWidth() / cfg.detStride();
  }

  // ---------------------------------------------------------------- preparation

  /** Decodes and reduces every sample with {@code threads} workers. */
  List<Prepared> prepare(List<Sample> samples, int threads, IntConsumer progress)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<Prepared>> futures = new ArrayList<>();
      for (Sample s : samples) {
        futures.add(
            pool.submit(
                () -> {
                  Prepared p = prepare(s);
                  progress.accept(done.incrementAndGet());
                  return p;
                }));
      }
      List<Prepared> out = new ArrayList<>(samples.size());
      for (Future<Prepared> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Like {@link #prepare(List, int, IntConsumer)}, but reuses a cache file under {@code cacheDir}
   * keyed by the input size and every sample's files and labels: datasets are decoded and reduced
   * to the training resolution once, not on every run.
   */
  List<Prepared> prepareCached(
      List<Sample> samples, java.nio.file.Path cacheDir, int threads, IntConsumer progress)
      throws IOException {
    String key = cacheKey(samples);
    java.nio.file.Path file =
        cacheDir.resolve(
            "prepared-"
                + cfg.inputHeight()
                + "x"
                + cfg.inputWidth()
                + "-s"
                + cfg.segStride()
                + "-"
                + key
                + ".bin");
    if (Files.isRegularFile(file)) {
      try {
        return readCache(file, samples.size());
      } catch (IOException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(TrainingData.class)
            .warn("ignoring unreadable cache {}: {}", file, e.toString());
      }
    }
    List<Prepared> out = prepare(samples, threads, progress);
    try {
      Files.createDirectories(cacheDir);
      writeCache(file, out);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(TrainingData.class)
          .warn("cannot write cache {}: {}", file, e.toString());
    }
    return out;
  }

  private static String cacheKey(List<Sample> samples) throws IOException {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (Sample s : samples) {
        md.update(s.labels().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (java.nio.file.Path p :
            new java.nio.file.Path[] {s.image(), s.drivableMask(), s.laneMask()}) {
          if (p != null) {
            md.update(
                (p.toRealPath()
                        + ":"
                        + Files.size(p)
                        + ":"
                        + Files.getLastModifiedTime(p).toMillis())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      }
      return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeCache(java.nio.file.Path file, List<Prepared> items) throws IOException {
    java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (java.io.DataOutputStream out =
        new java.io.DataOutputStream(
            new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
      out.writeInt(items.size());
      for (Prepared p : items) {
        out.writeUTF(p.name());
        out.writeInt(p.rgb().length);
        out.write(p.rgb());
        out.writeInt(p.seg().length);
        out.write(p.seg());
        out.writeInt(p.boxes().length);
        for (int i = 0; i < p.boxes().length; i++) {
          for (float f : p.boxes()[i]) {
            out.writeFloat(f);
          }
          out.writeInt(p.classes()[i]);
        }
        out.writeInt(p.weather());
        out.writeInt(p.timeofday());
        out.writeInt(p.scene());
      }
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<Prepared> readCache(java.nio.file.Path file, int expected)
      throws IOException {
    try (java.io.DataInputStream in =
        new java.io.DataInputStream(
            new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      int n = in.readInt();
      if (n != expected) {
        throw new IOException("holds " + n + " frames, expected " + expected);
      }
      List<Prepared> out = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        String name = in.readUTF();
        byte[] rgb = new byte[in.readInt()];
        in.readFully(rgb);
        byte[] seg = new byte[in.readInt()];
        in.readFully(seg);
        int boxes = in.readInt();
        float[][] b = new float[boxes][4];
        int[] classes = new int[boxes];
        for (int i = 0; i < boxes; i++) {
          for (int j = 0; j < 4; j++) {
            b[i][j] = in.readFloat();
          }
          classes[i] = in.readInt();
        }
        out.add(new Prepared(name, rgb, seg, b, classes, in.readInt(), in.readInt(), in.readInt()));
      }
      return out;
    }
  }

  Prepared prepare(Sample s) throws IOException {
    FrameDecoder.Decoded d;
    try {
      d = decoder.decodeFile(s.image());
    } catch (IllegalArgumentException e) {
      throw new DatasetException(e.getMessage());
    }
    Letterbox lb = d.letterbox();
    byte[] seg = segTarget(s, lb, lb.srcWidth(), lb.srcHeight());
    List<DetLabel> labels = s.labels().labels();
    float[][] boxes = new float[labels.size()][];
    int[] classes = new int[labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      DetLabel l = labels.get(i);
      // inclusive pixel box -> continuous [x1, x2 + 1)
      boxes[i] =
          new float[] {
            (float) lb.toInputX(l.box().x1()),
            (float) lb.toInputY(l.box().y1()),
            (float) lb.toInputX(l.box().x2() + 1),
            (float) lb.toInputY(l.box().y2() + 1)
          };
      classes[i] = Head.DETECTION.labels().indexOf(l.category());
    }
    return new Prepared(
        s.name(),
        d.rgb(),
        seg,
        boxes,
        classes,
        index(Head.WEATHER.labels(), s.labels().weather()),
        index(Head.TIMEOFDAY.labels(), s.labels().timeofday()),
        index(Head.SCENE.labels(), s.labels().scene()));
  }

  private static int index(List<String> values, String v) {
    return v == null ? -1 : values.indexOf(v);
  }

  /** The segmentation target of a sample on this model's output grid (see {@link MaskGrid}). */
  byte[] segTarget(Sample s, Letterbox lb, int srcW, int srcH) {
    return MaskGrid.target(s, lb, srcW, srcH, segW, segH, cfg.segStride());
  }

  // ---------------------------------------------------------------- targets

  /** Builds the batch arrays of {@code items} (already augmented). */
  Batch batch(List<Prepared> items) {
    int n = items.size();
    int h = cfg.inputHeight();
    int w = cfg.inputWidth();
    int nc = MultiTaskNet.DET_CLASSES;
    byte[] images = new byte[n * h * w * 3];
    float[] weather = new float[n * Head.WEATHER.labels().size()];
    float[] weatherKnown = new float[n];
    float[] tod = new float[n * Head.TIMEOFDAY.labels().size()];
    float[] todKnown = new float[n];
    float[] scene = new float[n * Head.SCENE.labels().size()];
    float[] sceneKnown = new float[n];
    float[] heat = new float[n * detH * detW * nc];
    float[] reg = new float[n * detH * detW * 4];
    float[] regMask = new float[n * detH * detW];
    float[] seg = new float[n * segH * segW * 4];
    float[] segWeight = new float[n * segH * segW];
    for (int i = 0; i < n; i++) {
      Prepared p = items.get(i);
      System.arraycopy(p.rgb(), 0, images, i * h * w * 3, h * w * 3);
      oneHot(p.weather(), Head.WEATHER.labels().size(), weather, weatherKnown, i);
      oneHot(p.timeofday(), Head.TIMEOFDAY.labels().size(), tod, todKnown, i);
      oneHot(p.scene(), Head.SCENE.labels().size(), scene, sceneKnown, i);
      detectionTargets(p, heat, reg, regMask, i * detH * detW);
      int base = i * segH * segW;
      for (int c = 0; c < segH * segW; c++) {
        int cls = p.seg()[c] & 255;
        if (cls == SEG_IGNORE) {
          continue;
        }
        seg[(base + c) * 4 + cls] = 1;
        segWeight[base + c] = cls == 3 ? LANE_WEIGHT : 1;
      }
    }
    return new Batch(
        n,
        images,
        weather,
        weatherKnown,
        tod,
        todKnown,
        scene,
        sceneKnown,
        heat,
        reg,
        regMask,
        seg,
        segWeight);
  }

  private static void oneHot(int index, int classes, float[] out, float[] known, int i) {
    if (index >= 0) {
      out[i * classes + index] = 1;
      known[i] = 1;
    }
  }

  /**
   * Detection targets at stride {@link ModelConfig#detStride()}: CenterNet's class heat map (an
   * elliptical Gaussian per object, TTFNet's sigma, exactly 1 at the centre cell) and TTFNet's
   * dense box targets: every cell whose centre lies inside the box (at least the centre cell)
   * regresses the object's box, weighted by the Gaussian normalised over the object and scaled by
   * log(area), so large objects do not drown small ones. Larger objects are written first, so a
   * smaller object overlapping them keeps its own cells.
   */
  void detectionTargets(Prepared p, float[] heat, float[] box, float[] weight, int cellBase) {
    int nc = MultiTaskNet.DET_CLASSES;
    double stride = cfg.detStride();
    Integer[] order = new Integer[p.boxes().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(area(p.boxes()[y]), area(p.boxes()[x])));
    for (int i : order) {
      float[] b = p.boxes()[i];
      int cls = p.classes()[i];
      double cx = (b[0] + b[2]) / 2 / stride;
      double cy = (b[1] + b[3]) / 2 / stride;
      double bw = (b[2] - b[0]) / stride;
      double bh = (b[3] - b[1]) / stride;
      int ix = Math.min(detW - 1, Math.max(0, (int) Math.floor(cx)));
      int iy = Math.min(detH - 1, Math.max(0, (int) Math.floor(cy)));
      // TTFNet's elliptical Gaussian: sigma = alpha * size / 6 with alpha = 0.54
      double sx = Math.max(0.5, 0.54 * bw / 6);
      double sy = Math.max(0.5, 0.54 * bh / 6);
      int rx = (int) Math.ceil(3 * sx);
      int ry = (int) Math.ceil(3 * sy);
      for (int y = Math.max(0, iy - ry); y <= Math.min(detH - 1, iy + ry); y++) {
        for (int x = Math.max(0, ix - rx); x <= Math.min(detW - 1, ix + rx); x++) {
          double dx = x - ix;
          double dy = y - iy;
          float g =
              (x == ix && y == iy)
                  ? 1f
                  : (float) Math.exp(-(dx * dx) / (2 * sx * sx) - (dy * dy) / (2 * sy * sy));
          int k = ((cellBase + y * detW + x) * nc) + cls;
          if (g > heat[k]) {
            heat[k] = g;
          }
        }
      }
      // dense box targets over the cells whose centres fall inside the box
      int x0 = Math.max(0, (int) Math.ceil(b[0] / stride - 0.5));
      int x1 = Math.min(detW - 1, (int) Math.floor(b[2] / stride - 0.5));
      int y0 = Math.max(0, (int) Math.ceil(b[1] / stride - 0.5));
      int y1 = Math.min(detH - 1, (int) Math.floor(b[3] / stride - 0.5));
      if (x1 < x0 || y1 < y0) {
        x0 = x1 = ix;
        y0 = y1 = iy;
      }
      double total = 0;
      double[] g = new double[(x1 - x0 + 1) * (y1 - y0 + 1)];
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          double dx = x + 0.5 - cx;
          double dy = y + 0.5 - cy;
          double v = Math.exp(-(dx * dx) / (2 * sx * sx) - (dy * dy) / (2 * sy * sy));
          g[(y - y0) * (x1 - x0 + 1) + (x - x0)] = v;
          total += v;
        }
      }
      double scale = Math.log(Math.max(Math.E, (b[2] - b[0]) * (b[3] - b[1]))) / total;
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          int cell = cellBase + y * detW + x;
          box[cell * 4] = b[0];
          box[cell * 4 + 1] = b[1];
          box[cell * 4 + 2] = b[2];
          box[cell * 4 + 3] = b[3];
          weight[cell] = (float) (g[(y - y0) * (x1 - x0 + 1) + (x - x0)] * scale);
        }
      }
    }
  }

  private static double area(float[] b) {
    return (b[2] - b[0]) * (b[3] - b[1]);
  }

  int segHeight() {
    return segH;
  }

  int segWidth() {
    return segW;
  }
}
