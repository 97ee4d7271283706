package dev.hydrastream.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.data.labels.FrameLabels;
import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.spec.Head;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Writes rendered frames as a dataset in BDD100K layout ({@link DatasetLayout}): JPEG frames,
 * per-image label JSON, drivable and lane masks, and {@code splits.json}. Frame {@code i} of seed
 * {@code s} is the same on every run and thread count, so the same seed gives identical files.
 */
public final class SyntheticDataset {

  /** Split names and their shares when a dataset is split by ratio. */
  public static final Map<String, Double> DEFAULT_SPLITS =
      orderedMap("train", 0.8, "val", 0.1, "test", 0.1);

  private final SceneRenderer renderer;
  private final DatasetLayout layout;
  private final long seed;

  private final boolean randomized;

  /** A writer of domain-randomized frames (the default). */
  public SyntheticDataset(Path out, long seed, int width, int height) {
    this(out, seed, width, height, true);
  }

  /**
   * @param randomized domain randomization on, or the plain frames of datasets made before it (see
   *     {@link SceneRenderer#SceneRenderer(int, int, boolean)})
   */
  public SyntheticDataset(Path out, long seed, int width, int height, boolean randomized) {
    this.renderer = new SceneRenderer(width, height, randomized);
    this.layout = new DatasetLayout(out);
    this.seed = seed;
    this.randomized = randomized;
  }

  /**
   * What was written.
   *
   * @param count frames written
   * @param seconds wall time
   * @param splits frames per split
   * @param scene frames per scene type
   * @param weather frames per weather
   * @param timeofday frames per time of day
   * @param categories boxes per det_20 class
   * @param occluded boxes flagged occluded
   * @param truncated boxes flagged truncated
   */
  public record Summary(
      int count,
      double seconds,
      Map<String, Integer> splits,
      Map<String, Integer> scene,
      Map<String, Integer> weather,
      Map<String, Integer> timeofday,
      Map<String, Integer> categories,
      int occluded,
      int truncated) {

    public double framesPerSecond() {
      return count / Math.max(1e-9, seconds);
    }
  }

  /** The frame file name of index {@code i}. */
  public String frameName(int i) {
    return String.format("syn%d-%07d.jpg", seed, i);
  }

  /**
   * Chooses the split of frame {@code i}: a fixed split name, or by ratio from a hash of the seed
   * and index (stable when {@code count} changes).
   */
  public String splitOf(int i, String fixedSplit, Map<String, Double> ratios) {
    if (fixedSplit != null) {
      return fixedSplit;
    }
    long h = (seed * 0x9E3779B97F4A7C15L) ^ (i * 0xBF58476D1CE4E5B9L);
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    h ^= h >>> 29;
    double u = (h >>> 11) / (double) (1L << 53);
    double acc = 0;
    String last = null;
    for (Map.Entry<String, Double> e : ratios.entrySet()) {
      acc += e.getValue();
      last = e.getKey();
      if (u < acc) {
        return last;
      }
    }
    return last;
  }

  /**
   * Renders and writes {@code count} frames with {@code threads} workers.
   *
   * @param fixedSplit put every frame in this split, or null to split by {@code ratios}
   * @param progress called with the number of frames done so far (from worker threads)
   */
  public Summary generate(
      int count, int threads, String fixedSplit, Map<String, Double> ratios, IntConsumer progress)
      throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(layout.root());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    List<Future<FrameLabels>> futures = new ArrayList<>(count);
    String[] splits = new String[count];
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      for (int i = 0; i < count; i++) {
        final int index = i;
        splits[i] = splitOf(i, fixedSplit, ratios);
        futures.add(
            pool.submit(
                () -> {
                  FrameLabels labels = writeFrame(index, splits[index]);
                  progress.accept(done.incrementAndGet());
                  return labels;
                }));
      }
      Map<String, Integer> splitCounts = new TreeMap<>();
      Map<String, Integer> scene = counter(Head.SCENE.labels());
      Map<String, Integer> weather = counter(Head.WEATHER.labels());
      Map<String, Integer> tod = counter(Head.TIMEOFDAY.labels());
      Map<String, Integer> cats = counter(Head.DETECTION.labels());
      int occluded = 0;
      int truncated = 0;
      Map<String, List<String>> names = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        FrameLabels f = futures.get(i).get();
        splitCounts.merge(splits[i], 1, Integer::sum);
        names.computeIfAbsent(splits[i], k -> new ArrayList<>()).add(f.name());
        scene.merge(f.scene(), 1, Integer::sum);
        weather.merge(f.weather(), 1, Integer::sum);
        tod.merge(f.timeofday(), 1, Integer::sum);
        for (DetLabel l : f.labels()) {
          cats.merge(l.category(), 1, Integer::sum);
          occluded += l.occluded() ? 1 : 0;
          truncated += l.truncated() ? 1 : 0;
        }
      }
      writeManifest(count, names);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Summary(
          count, seconds, splitCounts, scene, weather, tod, cats, occluded, truncated);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, Integer> counter(List<String> keys) {
    Map<String, Integer> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, 0));
    return m;
  }

  /** Renders frame {@code i} and writes its image, masks and label file. */
  FrameLabels writeFrame(int i, String split) throws IOException {
    RenderedFrame frame = renderer.render(seed, i);
    String name = frameName(i);
    FrameLabels labels =
        new FrameLabels(
            name,
            frame.labels().weather(),
            frame.labels().scene(),
            frame.labels().timeofday(),
            frame.labels().labels());
    Path image = layout.image(split, name);
    Files.createDirectories(image.getParent());
    writeJpeg(frame, image);
    writeMask(frame.drivable(), frame.width(), frame.height(), layout.drivableMask(split, name));
    writeMask(frame.lane(), frame.width(), frame.height(), layout.laneMask(split, name));
    Path json = layout.perImageLabel(split, name);
    Files.createDirectories(json.getParent());
    Files.writeString(json, Json.MAPPER.writeValueAsString(toJson(labels)) + "\n");
    return labels;
  }

  /** The Scalabel/BDD100K JSON of one frame, with keys in a fixed order. */
  public static ObjectNode toJson(FrameLabels f) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("name", f.name());
    ObjectNode attrs = root.putObject("attributes");
    attrs.put("weather", f.weather() == null ? "undefined" : f.weather());
    attrs.put("scene", f.scene() == null ? "undefined" : f.scene());
    attrs.put("timeofday", f.timeofday() == null ? "undefined" : f.timeofday());
    ArrayNode labels = root.putArray("labels");
    for (DetLabel l : f.labels()) {
      ObjectNode o = labels.addObject();
      o.put("id", String.valueOf(l.id()));
      o.put("category", l.category());
      ObjectNode a = o.putObject("attributes");
      a.put("occluded", l.occluded());
      a.put("truncated", l.truncated());
      if (l.trafficLightColor() != null) {
        a.put("trafficLightColor", l.trafficLightColor());
      }
      ObjectNode b = o.putObject("box2d");
      b.put("x1", l.box().x1());
      b.put("y1", l.box().y1());
      b.put("x2", l.box().x2());
      b.put("y2", l.box().y2());
    }
    return root;
  }

  private static void writeJpeg(RenderedFrame frame, Path path) throws IOException {
    try (Mat mat = new Mat(frame.height(), frame.width(), CV_8UC3);
        IntPointer params =
            new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, frame.jpegQuality())) {
      mat.data().put(frame.bgr());
      if (frame.blurSigma() > 0) {
        opencv_imgproc.GaussianBlur(mat, mat, new Size(0, 0), frame.blurSigma());
      }
      if (frame.motionBlur() > 0) {
        opencv_imgproc.blur(mat, mat, new Size(frame.motionBlur(), 1));
      }
      if (!opencv_imgcodecs.imwrite(path.toString(), mat, params)) {
        throw new IOException(path + ": OpenCV could not write the JPEG");
      }
    }
  }

  static void writeMask(byte[] values, int width, int height, Path path) throws IOException {
    Files.createDirectories(path.getParent());
    try (Mat mat = new Mat(height, width, CV_8UC1)) {
      mat.data().put(values);
      if (!opencv_imgcodecs.imwrite(path.toString(), mat)) {
        throw new IOException(path + ": OpenCV could not write the PNG");
      }
    }
  }

  private void writeManifest(int count, Map<String, List<String>> names) throws IOException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("generator", "hydrastream dataset");
    root.put("seed", seed);
    root.put("count", count);
    root.put("width", renderer.width());
    root.put("height", renderer.height());
    root.put("randomized", randomized);
    ObjectNode splits = root.putObject("splits");
    names.forEach(
        (split, list) -> {
          ArrayNode a = splits.putArray(split);
          list.forEach(a::add);
        });
    Files.writeString(layout.manifest(), Json.MAPPER.writeValueAsString(root) + "\n");
  }

  private static Map<String, Double> orderedMap(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
