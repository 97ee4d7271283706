package dev.hydrastream.model;

import dev.hydrastream.model.Net.Act;
import dev.hydrastream.model.Net.Feat;
import dev.hydrastream.spec.Head;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The hydrastream network: one MobileNet-style backbone computed once, a small feature pyramid, and
 * light heads for weather, time of day, scene, detection (anchor-free centre heat map, stride 4)
 * and segmentation (stride 2). Serving outputs are decoded inside the graph: class probabilities,
 * top-K boxes from heat-map peaks, and the arg-max class mask.
 */
final class MultiTaskNet {

  /** Raw head outputs (for losses) and decoded serving outputs, by name. */
  record Heads(
      Map<String, Operand<TFloat32>> logits,
      Map<String, Operand<?>> outputs,
      int detH,
      int detW,
      int segH,
      int segW) {}

  static final int DET_CLASSES = Head.DETECTION.labels().size();
  static final int SEG_CLASSES = Head.SEGMENTATION.labels().size();

  /** Initial heat-map bias: sigmoid(-2.19) = 0.1, the usual focal-loss prior. */
  static final float HEATMAP_PRIOR_BIAS = -2.19f;

  private MultiTaskNet() {}

  static int channels(ModelConfig cfg, int base) {
    return Math.max(8, (int) Math.round(base * cfg.widthMultiplier() / 8.0) * 8);
  }

  /**
   * How the four regression channels become box edges: {@link #OURS} anchors at the cell centre
   * with log distances in strides; {@link #PACKAGE} (the imported CenterNet's) anchors at the
   * cell's corner {@code x * stride} with distances in pixels.
   */
  enum BoxCoding {
    OURS,
    PACKAGE
  }

  /**
   * The network's input: a placeholder for a uint8 RGB image batch {@code [N, H, W, 3]} of {@code
   * cfg}'s input size, named as {@code tf} names its next op.
   */
  static Placeholder<TUint8> imageInput(Ops tf, ModelConfig cfg) {
    return tf.placeholder(
        TUint8.class, Placeholder.shape(Shape.of(-1, cfg.inputHeight(), cfg.inputWidth(), 3)));
  }

  /** Builds the network on a uint8 RGB image batch [N, H, W, 3]. */
  static Heads build(Net net, ModelConfig cfg, Operand<TUint8> image) {
    if (cfg.backbone() == ModelConfig.Backbone.CENTERNET_MNV3) {
      return buildPretrained(net, cfg, image);
    }
    Ops tf = net.tf;
    Operand<TFloat32> x =
        tf.math.sub(
            tf.math.mul(tf.dtypes.cast(image, TFloat32.class), tf.constant(1f / 127.5f)),
            tf.constant(1f));
    Feat in = new Feat(x, cfg.inputHeight(), cfg.inputWidth(), 3);

    // backbone
    Feat s = net.conv("stem", in, 3, channels(cfg, 32), 2, Act.RELU6);
    Feat c1 = net.sep("b1", s, channels(cfg, 64), 1);
    Feat c2 = net.sep("b3", net.sep("b2", c1, channels(cfg, 128), 2), channels(cfg, 128), 1);
    Feat c3 = net.sep("b5", net.sep("b4", c2, channels(cfg, 256), 2), channels(cfg, 256), 1);
    Feat c4 = net.sep("b6", c3, channels(cfg, 512), 2);
    for (int i = 0; i < cfg.extraBlocks(); i++) {
      c4 = net.sep("b6x" + i, c4, channels(cfg, 512), 1);
    }
    Feat c5 = net.sep("b8", net.sep("b7", c4, channels(cfg, 1024), 2), channels(cfg, 1024), 1);

    // feature pyramid down to stride 8
    int n = cfg.neckChannels();
    Feat l5 = net.conv("fpn/l5", c5, 1, n, 1, Act.NONE);
    Feat l4 = net.add(net.conv("fpn/l4", c4, 1, n, 1, Act.NONE), net.up2(l5));
    Feat l3 = net.add(net.conv("fpn/l3", c3, 1, n, 1, Act.NONE), net.up2(l4));
    l3 = net.sep("fpn/p3", l3, n, 1);

    Map<String, Operand<TFloat32>> logits = new LinkedHashMap<>();
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();

    // image-level heads on pooled deep and mid-level features
    boolean anyCls = cfg.has(Head.WEATHER) || cfg.has(Head.TIMEOFDAY) || cfg.has(Head.SCENE);
    if (anyCls) {
      Operand<TFloat32> pooled = tf.concat(List.of(net.pool(c5), net.pool(l3)), tf.constant(1));
      int cin = c5.c() + l3.c();
      classifier(
          net,
          cfg,
          Head.WEATHER,
          "weather",
          pooled,
          cin,
          Head.WEATHER.labels().size(),
          logits,
          outputs);
      classifier(
          net,
          cfg,
          Head.TIMEOFDAY,
          "timeofday",
          pooled,
          cin,
          Head.TIMEOFDAY.labels().size(),
          logits,
          outputs);
      classifier(
          net, cfg, Head.SCENE, "scene", pooled, cin, Head.SCENE.labels().size(), logits, outputs);
    }

    int detH = 0;
    int detW = 0;
    int segH = 0;
    int segW = 0;
    if (cfg.has(Head.DETECTION) || cfg.has(Head.SEGMENTATION)) {
      int m = Math.max(32, n * 2 / 3);
      Feat p2in =
          net.add(
              net.conv("fpn/l2", c2, 1, m, 1, Act.NONE),
              net.up2(net.conv("fpn/l3to2", l3, 1, m, 1, Act.NONE)));
      Feat p2 = net.sep("fpn/p2", p2in, m, 1);
      // --seg-decoder own: segmentation gets its own last stride-4 block next to detection's
      Feat segP2 =
          cfg.segOwnBlock() && cfg.has(Head.DETECTION) && cfg.has(Head.SEGMENTATION)
              ? net.sep("seg/p2block", p2in, m, 1)
              : p2;
      if (cfg.has(Head.DETECTION)) {
        Feat d = net.sep("det/head", p2, m, 1);
        Feat hm = net.project("det/heatmap", d, DET_CLASSES, HEATMAP_PRIOR_BIAS);
        Feat reg = net.project("det/regression", d, 4, 0f);
        logits.put("heatmap", hm.x());
        logits.put("regression", reg.x());
        detH = hm.h();
        detW = hm.w();
        decodeDetections(tf, cfg, hm, reg, outputs);
      }
      if (cfg.has(Head.SEGMENTATION)) {
        int k = Math.max(16, m / 2);
        Feat up = net.up2(net.conv("seg/p2", segP2, 1, k, 1, Act.NONE));
        Feat sk = net.conv("seg/c1", c1, 1, k, 1, Act.NONE);
        Feat sg = net.sep("seg/head", net.add(up, sk), k, 1);
        Feat out = net.project("seg/logits", sg, SEG_CLASSES, 0f);
        segmentationOutputs(tf, out, logits, outputs);
        segH = out.h();
        segW = out.w();
      }
    }
    return new Heads(logits, outputs, detH, detW, segH, segW);
  }

  /**
   * The network on the imported COCO CenterNet ({@link PretrainedCenterNet}): its MobileNetV3
   * backbone and stride-4 pyramid are shared by every head. Detection keeps the package's head
   * (depthwise 3x3 + pointwise), its class rows mapped from COCO; classification pools the
   * stride-32 and stride-4 features; segmentation is a new block on the stride-4 feature, upsampled
   * to stride 2.
   */
  static Heads buildPretrained(Net net, ModelConfig cfg, Operand<TUint8> image) {
    Ops tf = net.tf;
    TfjsGraphModel m = PretrainedCenterNet.model();
    net.initFrom(TfjsNet.initialValues(m));
    Map<String, float[]> detStart = detectionHeadStart(m);
    net.initFrom(detStart);
    Feat pixels = PretrainedCenterNet.pixels(tf, image, cfg.inputHeight(), cfg.inputWidth());
    Map<String, Feat> f =
        TfjsNet.build(
            net,
            m,
            PretrainedCenterNet.INPUT,
            pixels,
            List.of(PretrainedCenterNet.NECK, PretrainedCenterNet.DEEP),
            Map.of());
    Feat neck = f.get(PretrainedCenterNet.NECK);
    Feat deep = f.get(PretrainedCenterNet.DEEP);
    Map<String, Operand<TFloat32>> logits = new LinkedHashMap<>();
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    Operand<TFloat32> pooled = tf.concat(List.of(net.pool(deep), net.pool(neck)), tf.constant(1));
    int cin = deep.c() + neck.c();
    logits.put(OOD_FEATURES, pooled);
    outputs.put(OOD, outOfDistribution(net, pooled, cin));
    if (cfg.has(Head.WEATHER) || cfg.has(Head.TIMEOFDAY) || cfg.has(Head.SCENE)) {
      for (Head h : List.of(Head.WEATHER, Head.TIMEOFDAY, Head.SCENE)) {
        String name = h == Head.WEATHER ? "weather" : h == Head.TIMEOFDAY ? "timeofday" : "scene";
        classifier(net, cfg, h, name, pooled, cin, h.labels().size(), logits, outputs);
      }
    }
    int detH = 0;
    int detW = 0;
    int segH = 0;
    int segW = 0;
    if (cfg.has(Head.DETECTION)) {
      Feat hm = packageHead(net, "det/cls", neck, DET_CLASSES);
      Feat wp = packageHead(net, "det/wh", neck, 4);
      float scale = m.constant(PretrainedCenterNet.WH_SCALE).floats()[0];
      Feat reg = new Feat(tf.math.mul(wp.x(), tf.constant(scale)), wp.h(), wp.w(), 4);
      logits.put("heatmap", hm.x());
      logits.put("regression", reg.x());
      detH = hm.h();
      detW = hm.w();
      decodeDetections(tf, hm, reg, cfg.topK(), cfg.detStride(), BoxCoding.PACKAGE, outputs);
      if (net.mode == Net.Mode.TRAIN) {
        // the imported head as it shipped, fixed, on the imported pyramid as it shipped: the
        // teacher of learning without forgetting
        Feat fixedNeck = teacherNeck(net, m, pixels, f);
        logits.put(
            "teacher_heatmap",
            fixedHead(
                tf,
                fixedNeck,
                detStart,
                "det/cls_dw/w",
                "det/cls_pw/w",
                "det/cls_pw/b",
                DET_CLASSES));
        logits.put(
            "teacher_regression",
            tf.math.mul(
                fixedHead(tf, fixedNeck, detStart, "det/wh_dw/w", "det/wh_pw/w", "det/wh_pw/b", 4),
                tf.constant(scale)));
      }
    }
    if (cfg.has(Head.SEGMENTATION)) {
      // one thin block: the pyramid feature is already fused down to stride 4, and every
      // multiply-add here is paid at 1/16 of the input resolution (bench models: the cost bar)
      Feat s1 = net.sep("seg/head", neck, 48, 1);
      Feat out = net.up2(net.project("seg/logits", s1, SEG_CLASSES, 0f));
      segmentationOutputs(tf, out, logits, outputs);
      segH = out.h();
      segW = out.w();
    }
    return new Heads(logits, outputs, detH, detW, segH, segW);
  }

  /**
   * The imported pyramid feature as the package computes it, whatever training does to {@code
   * net}'s copy: {@code net}'s own where every layer below it is frozen ({@code --freeze
   * pretrained}: no extra cost), else a frozen copy of the layers that train, on {@code net}'s
   * frozen ones. A teacher on the shared, trained pyramid would drift with it, and the detector
   * forget what it knew.
   */
  private static Feat teacherNeck(Net net, TfjsGraphModel m, Feat pixels, Map<String, Feat> built) {
    Map<String, Feat> fixed = TfjsNet.fixedNodes(net, m, PretrainedCenterNet.INPUT, built);
    if (fixed.containsKey(PretrainedCenterNet.NECK)) {
      return fixed.get(PretrainedCenterNet.NECK);
    }
    Net copy = new Net(net.tf.withSubScope("teacher"), Net.Mode.INFER, 0, null);
    copy.initFrom(TfjsNet.initialValues(m));
    copy.freeze(name -> true);
    return TfjsNet.build(
            copy, m, PretrainedCenterNet.INPUT, pixels, List.of(PretrainedCenterNet.NECK), fixed)
        .get(PretrainedCenterNet.NECK);
  }

  /** The segmentation logits (for the loss) and the arg-max class mask (served). */
  private static void segmentationOutputs(
      Ops tf, Feat out, Map<String, Operand<TFloat32>> logits, Map<String, Operand<?>> outputs) {
    logits.put("seg", out.x());
    outputs.put(
        "seg", tf.dtypes.cast(tf.math.argMax(out.x(), tf.constant(3), TInt32.class), TUint8.class));
  }

  /**
   * A detection head as the package has it, trainable: a depthwise 3x3 convolution ({@code
   * prefix_dw}) then a pointwise one with bias ({@code prefix_pw}) to {@code cout} channels.
   */
  private static Feat packageHead(Net net, String prefix, Feat x, int cout) {
    Feat d = net.convBias(prefix + "_dw/w", null, x, 3, 0, 1, "SAME", true, Act.NONE);
    return net.convBias(
        prefix + "_pw/w", prefix + "_pw/b", d, 1, cout, 1, "VALID", false, Act.NONE);
  }

  /**
   * The same head frozen: weights {@code dw}, {@code pw} and bias {@code b} of {@code w} as
   * constants, behind a stop-gradient.
   */
  private static Operand<TFloat32> fixedHead(
      Ops tf, Feat x, Map<String, float[]> w, String dw, String pw, String b, int cout) {
    List<Long> one = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> d =
        tf.nn.depthwiseConv2dNative(x.x(), constant(tf, w.get(dw), 3, 3, x.c(), 1), one, "SAME");
    Operand<TFloat32> p = tf.nn.conv2d(d, constant(tf, w.get(pw), 1, 1, x.c(), cout), one, "VALID");
    return tf.stopGradient(tf.nn.biasAdd(p, constant(tf, w.get(b), cout)));
  }

  private static Operand<TFloat32> constant(Ops tf, float[] v, long... shape) {
    return tf.constant(
        org.tensorflow.ndarray.Shape.of(shape),
        org.tensorflow.ndarray.buffer.DataBuffers.of(v, true, false));
  }

  /**
   * Serving output: a per-frame out-of-distribution score (1 = the 95th percentile of training).
   */
  static final String OOD = "ood";

  /** The pooled features the score is computed on (fitted by {@link OodStats}). */
  static final String OOD_FEATURES = "ood_features";

  /**
   * Mean squared z-score of the pooled backbone and pyramid features against the training frames'
   * per-channel mean and spread, scaled so that the training frames' 95th percentile is 1. The
   * statistics are untrained variables that {@link OodStats} fills in after training.
   */
  private static Operand<TFloat32> outOfDistribution(Net net, Operand<TFloat32> pooled, int c) {
    Ops tf = net.tf;
    Operand<TFloat32> centre = net.stat(OodStats.CENTRE, new long[] {c}, 0f);
    Operand<TFloat32> inv = net.stat(OodStats.INV_SPREAD, new long[] {c}, 1f);
    Operand<TFloat32> norm = net.stat(OodStats.NORM, new long[] {1}, 1f);
    Operand<TFloat32> z = tf.math.mul(tf.math.sub(pooled, centre), inv);
    Operand<TFloat32> m = tf.math.mean(tf.math.square(z), tf.constant(1));
    return tf.math.mul(m, norm);
  }

  /**
   * Starting values of the detection head: the package's class head restricted to our classes
   * ({@link PretrainedCenterNet#COCO_FOR_OURS}) and its box head as it is.
   */
  static Map<String, float[]> detectionHeadStart(TfjsGraphModel m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    out.put("det/cls_dw/w", m.constant(PretrainedCenterNet.CLS_DW).floats());
    float[] pw = m.constant(PretrainedCenterNet.CLS_PW).floats();
    float[] b = m.constant(PretrainedCenterNet.CLS_B).floats();
    int coco = PretrainedCenterNet.COCO_CLASSES;
    int cin = pw.length / coco;
    int k = DET_CLASSES;
    float[] w2 = new float[cin * k];
    float[] b2 = new float[k];
    for (int j = 0; j < k; j++) {
      int src = PretrainedCenterNet.COCO_FOR_OURS[j];
      for (int i = 0; i < cin; i++) {
        w2[i * k + j] = pw[i * coco + src];
      }
      b2[j] = PretrainedCenterNet.SEED_ONLY[j] ? HEATMAP_PRIOR_BIAS * 2 : b[src];
    }
    out.put("det/cls_pw/w", w2);
    out.put("det/cls_pw/b", b2);
    out.put("det/wh_dw/w", m.constant(PretrainedCenterNet.WH_DW).floats());
    out.put("det/wh_pw/w", m.constant(PretrainedCenterNet.WH_PW).floats());
    out.put("det/wh_pw/b", m.constant(PretrainedCenterNet.WH_B).floats());
    return out;
  }

  private static void classifier(
      Net net,
      ModelConfig cfg,
      Head task,
      String name,
      Operand<TFloat32> pooled,
      int cin,
      int classes,
      Map<String, Operand<TFloat32>> logits,
      Map<String, Operand<?>> outputs) {
    if (!cfg.has(task)) {
      return;
    }
    Operand<TFloat32> hidden = net.dense(name + "/fc1", pooled, cin, 128, Act.RELU);
    Operand<TFloat32> out = net.dense(name + "/fc2", hidden, 128, classes, Act.NONE);
    logits.put(name, out);
    outputs.put(name, net.tf.nn.softmax(out));
  }

  /**
   * Peak picking on the class heat maps (3x3 max-pool equality), top-K over all classes and
   * positions, then boxes from the edge distances regressed at each peak. Boxes are {@code [x1, y1,
   * x2, y2]} in input pixels (continuous: x2 - x1 is the width).
   */
  static void decodeDetections(
      Ops tf, ModelConfig cfg, Feat hm, Feat reg, Map<String, Operand<?>> outputs) {
    decodeDetections(tf, hm, reg, cfg.topK(), cfg.detStride(), BoxCoding.OURS, outputs);
  }

  /** {@link #decodeDetections(Ops, ModelConfig, Feat, Feat, Map)} for a given box coding. */
  static void decodeDetections(
      Ops tf,
      Feat hm,
      Feat reg,
      int topK,
      int detStride,
      BoxCoding coding,
      Map<String, Operand<?>> outputs) {
    int h = hm.h();
    int w = hm.w();
    int c = hm.c();
    int k = Math.min(topK, h * w * c);
    float stride = detStride;
    Operand<TFloat32> heat = tf.math.sigmoid(hm.x());
    Operand<TFloat32> pooled =
        tf.nn.maxPool(
            heat, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 1, 1, 1}), "SAME");
    Operand<TFloat32> peaks =
        tf.math.mul(heat, tf.dtypes.cast(tf.math.equal(heat, pooled), TFloat32.class));
    Operand<TFloat32> flat = tf.reshape(peaks, tf.constant(new int[] {-1, h * w * c}));
    TopK<TFloat32, TInt32> top = tf.nn.topK(flat, tf.constant(k), TInt32.class);
    Operand<TInt32> idx = top.indices();
    Operand<TInt32> cls = tf.math.floorMod(idx, tf.constant(c));
    Operand<TInt32> pos = tf.math.floorDiv(idx, tf.constant(c));
    Operand<TFloat32> py = tf.dtypes.cast(tf.math.floorDiv(pos, tf.constant(w)), TFloat32.class);
    Operand<TFloat32> px = tf.dtypes.cast(tf.math.floorMod(pos, tf.constant(w)), TFloat32.class);
    Operand<TFloat32> regFlat = tf.reshape(reg.x(), tf.constant(new int[] {-1, h * w, 4}));
    Operand<TFloat32> r = tf.gather(regFlat, pos, tf.constant(1), Gather.batchDims(1L));
    // regression channels: log distances (in strides) from the cell centre to the left, top,
    // right and bottom box edges (TTFNet-style, trained densely with a GIoU loss)
    Operand<TFloat32> st = tf.constant(stride);
    Operand<TFloat32> half = tf.constant(coding == BoxCoding.OURS ? 0.5f : 0f);
    Operand<TFloat32> ax = tf.math.mul(tf.math.add(px, half), st);
    Operand<TFloat32> ay = tf.math.mul(tf.math.add(py, half), st);
    Operand<TFloat32> dl =
        coding == BoxCoding.OURS ? distance(tf, slice(tf, r, 0), st) : slice(tf, r, 0);
    Operand<TFloat32> dt =
        coding == BoxCoding.OURS ? distance(tf, slice(tf, r, 1), st) : slice(tf, r, 1);
    Operand<TFloat32> dr =
        coding == BoxCoding.OURS ? distance(tf, slice(tf, r, 2), st) : slice(tf, r, 2);
    Operand<TFloat32> db =
        coding == BoxCoding.OURS ? distance(tf, slice(tf, r, 3), st) : slice(tf, r, 3);
    Operand<TFloat32> boxes =
        tf.stack(
            List.of(
                tf.math.sub(ax, dl), tf.math.sub(ay, dt), tf.math.add(ax, dr), tf.math.add(ay, db)),
            org.tensorflow.op.core.Stack.axis(2L));
    outputs.put("det_boxes", boxes);
    outputs.put("det_scores", top.values());
    outputs.put("det_classes", cls);
  }

  /**
   * The decoded detections of a run ({@link #decodeDetections}): boxes {@code [N, K, 4]}, scores
   * and classes {@code [N, K]}.
   */
  record Detections(TFloat32 boxes, TFloat32 scores, TInt32 classes) {

    /** {@code runner} fetching the detections of {@code outputs}, first boxes, scores, classes. */
    static Session.Runner fetch(Session.Runner runner, Map<String, Operand<?>> outputs) {
      return runner
          .fetch(outputs.get("det_boxes"))
          .fetch(outputs.get("det_scores"))
          .fetch(outputs.get("det_classes"));
    }

    /** The detections of a result fetched with {@link #fetch}. */
    static Detections of(Result r) {
      return new Detections((TFloat32) r.get(0), (TFloat32) r.get(1), (TInt32) r.get(2));
    }
  }

  /** Edge distance in pixels from a raw log-distance channel (clamped to a sane range). */
  static Operand<TFloat32> distance(Ops tf, Operand<TFloat32> raw, Operand<TFloat32> stride) {
    return tf.math.mul(tf.math.exp(tf.clipByValue(raw, tf.constant(-4f), tf.constant(6f))), stride);
  }

  private static Operand<TFloat32> slice(Ops tf, Operand<TFloat32> r, int channel) {
    return tf.squeeze(
        tf.gather(r, tf.constant(new int[] {channel}), tf.constant(2)),
        org.tensorflow.op.core.Squeeze.axis(List.of(2L)));
  }
}
