package dev.hydrastream.model;

import dev.hydrastream.spec.Head;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The training graph: placeholders for a batch and its targets, the network in training mode, the
 * per-task losses and their weighted sum, gradients clipped by global norm and one Adam step per
 * variable. A second copy of the network in inference mode shares the variables, for validation
 * during training.
 */
public final class TrainGraph {

  /** Loss weights per task (the joint loss is their weighted sum). */
  public record LossWeights(
      double weather, double timeofday, double scene, double heatmap, double box, double seg) {
    /**
     * TTFNet weighs the GIoU box loss 5 against the heat map. Segmentation weighs 10: its
     * pixel-averaged cross-entropy is an order of magnitude smaller than the heat-map loss, and at
     * weight 1 the shared backbone learned it too slowly. On a common 6-epoch schedule against the
     * segmentation-only and detection-only models, drivable mIoU trailed by 15.1 points at weight
     * 1, 2.8 at 8 and 1.7 at 10, with detection 1.7-1.8 points behind throughout; at 12 and 16
     * drivable came within 1.3 and 1.0 points but detection fell 3 points behind. See the README,
     * "Sharing: accuracy".
     */
    public static LossWeights defaults() {
      return new LossWeights(1, 1, 1, 1, 5, 10);
    }

    /**
     * Parses {@code name=value,...} over the defaults, e.g. {@code seg=3,heatmap=2}. Names:
     * weather, timeofday, scene, heatmap, box, seg.
     */
    public static LossWeights parse(String spec) {
      java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
      LossWeights d = defaults();
      m.put("weather", d.weather());
      m.put("timeofday", d.timeofday());
      m.put("scene", d.scene());
      m.put("heatmap", d.heatmap());
      m.put("box", d.box());
      m.put("seg", d.seg());
      if (spec != null && !spec.isBlank()) {
        for (String part : spec.split(",")) {
          String[] kv = part.split("=", 2);
          if (kv.length != 2 || !m.containsKey(kv[0].trim())) {
            throw new IllegalArgumentException(
                "--loss-weights: '"
                    + part
                    + "' is not name=value"
                    + " with a name in "
                    + m.keySet());
          }
          double v;
          try {
            v = Double.parseDouble(kv[1].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--loss-weights: '" + part + "' has no number");
          }
          if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(
                "--loss-weights: "
                    + kv[0].trim()
                    + " must be a finite number >= 0, got "
                    + kv[1].trim());
          }
          m.put(kv[0].trim(), v);
        }
      }
      return new LossWeights(
          m.get("weather"),
          m.get("timeofday"),
          m.get("scene"),
          m.get("heatmap"),
          m.get("box"),
          m.get("seg"));
    }
  }

  final Graph graph;
  final Ops tf;
  final ModelConfig cfg;
  final Net train;

  /** The inference copy of the network, sharing {@link #train}'s variables. */
  final Net infer;

  final MultiTaskNet.Heads heads;
  final MultiTaskNet.Heads inferHeads;
  final Placeholder<TUint8> image;
  final Map<String, Placeholder<TFloat32>> targets = new LinkedHashMap<>();
  final Placeholder<TFloat32> lr;
  final Placeholder<TFloat32> beta1Power;
  final Placeholder<TFloat32> beta2Power;

  /** Losses by name, including "total". */
  final Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();

  final Operand<TFloat32> gradNorm;
  final Op step;

  /** Every variable (model and optimizer state) by name, for checkpoints. */
  final Map<String, Variable<TFloat32>> allVariables = new LinkedHashMap<>();

  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;

  /** Label smoothing of the classification targets. */
  private final double labelSmoothing;

  TrainGraph(ModelConfig cfg, long seed, LossWeights w, double clipNorm) {
    this(cfg, seed, w, clipNorm, 0);
  }

  /**
   * @param labelSmoothing share of each classification target spread evenly over its classes
   *     ({@code y (1 - e) + e / K}): the heads stop chasing certainty on synthetic frames
   */
  TrainGraph(ModelConfig cfg, long seed, LossWeights w, double clipNorm, double labelSmoothing) {
    this(cfg, seed, w, clipNorm, labelSmoothing, Trainer.Transfer.none());
  }

  /**
   * @param transfer which imported layers stay fixed and how strongly the imported detector is
   *     distilled (learning without forgetting); only for a pretrained backbone
   */
  TrainGraph(
      ModelConfig cfg,
      long seed,
      LossWeights w,
      double clipNorm,
      double labelSmoothing,
      Trainer.Transfer transfer) {
    this.labelSmoothing = labelSmoothing;
    this.cfg = cfg;
    graph = new Graph();
    tf = Ops.create(graph);
    image = MultiTaskNet.imageInput(tf.withName("image"), cfg);
    train = new Net(tf, Net.Mode.TRAIN, seed, null);
    train.freeze(transfer.frozen());
    heads = MultiTaskNet.build(train, cfg, image);
    infer = new Net(tf.withSubScope("infer"), Net.Mode.INFER, seed, train.variables());
    inferHeads = MultiTaskNet.build(infer, cfg, image);

    List<Operand<TFloat32>> weighted = new ArrayList<>();
    classification(Head.WEATHER, "weather", Head.WEATHER.labels().size(), w.weather(), weighted);
    classification(
        Head.TIMEOFDAY, "timeofday", Head.TIMEOFDAY.labels().size(), w.timeofday(), weighted);
    classification(Head.SCENE, "scene", Head.SCENE.labels().size(), w.scene(), weighted);
    if (cfg.has(Head.DETECTION)) {
      detection(w, weighted);
    }
    if (cfg.has(Head.SEGMENTATION)) {
      segmentation(w.seg(), weighted);
    }
    if (transfer.distill() > 0 && heads.logits().containsKey("teacher_heatmap")) {
      Operand<TFloat32> d =
          Losses.distillDetection(
              tf,
              heads.logits().get("heatmap"),
              heads.logits().get("teacher_heatmap"),
              heads.logits().get("regression"),
              heads.logits().get("teacher_regression"),
              cfg.detStride());
      losses.put("distill", d);
      weighted.add(tf.math.mul(d, tf.constant((float) transfer.distill())));
    }
    Operand<TFloat32> total = weighted.size() == 1 ? weighted.get(0) : tf.math.addN(weighted);
    losses.put("total", total);

    lr = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

    List<Variable<TFloat32>> trainable = new ArrayList<>();
    train
        .specs()
        .values()
        .forEach(
            spec -> {
              Variable<TFloat32> v = train.variables().get(spec.name());
              allVariables.put(spec.name(), v);
              if (spec.trainable()) {
                trainable.add(v);
              }
            });
    List<Operand<?>> dx = new ArrayList<>(trainable);
    org.tensorflow.op.core.Gradients grads = tf.gradients(total, dx);
    List<Operand<TFloat32>> squares = new ArrayList<>();
    List<Operand<TFloat32>> g = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      Operand<TFloat32> gi = grads.dy(i);
      g.add(gi);
      squares.add(tf.reduceSum(tf.math.square(gi), allAxes(trainable.get(i))));
    }
    gradNorm = tf.math.sqrt(tf.math.addN(squares));
    Operand<TFloat32> clip = tf.constant((float) clipNorm);
    Operand<TFloat32> scale = tf.math.div(clip, tf.math.maximum(gradNorm, clip));
    List<Op> updates = new ArrayList<>(train.bnUpdates());
    for (int i = 0; i < trainable.size(); i++) {
      Variable<TFloat32> v = trainable.get(i);
      String name =
          train.specs().keySet().stream()
              .filter(n -> train.variables().get(n) == v)
              .findFirst()
              .orElseThrow();
      Variable<TFloat32> m = slot(name + "/adam_m", v);
      Variable<TFloat32> s = slot(name + "/adam_v", v);
      updates.add(
          tf.train.applyAdam(
              v,
              m,
              s,
              beta1Power,
              beta2Power,
              lr,
              tf.constant(BETA1),
              tf.constant(BETA2),
              tf.constant(1e-7f),
              tf.math.mul(g.get(i), scale)));
    }
    step = tf.withControlDependencies(updates).noOp();
  }

  private Operand<org.tensorflow.types.TInt32> allAxes(Variable<TFloat32> v) {
    int rank = v.shape().numDimensions();
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }

  private Variable<TFloat32> slot(String name, Variable<TFloat32> like) {
    Variable<TFloat32> v =
        tf.withInitScope().withName(name.replace('/', '_')).variable(tf.zerosLike(like));
    allVariables.put(name, v);
    return v;
  }

  private Placeholder<TFloat32> target(String name, Shape shape) {
    Placeholder<TFloat32> p =
        tf.withName("target_" + name).placeholder(TFloat32.class, Placeholder.shape(shape));
    targets.put(name, p);
    return p;
  }

  private void classification(
      Head task, String name, int classes, double weight, List<Operand<TFloat32>> weighted) {
    if (!cfg.has(task)) {
      return;
    }
    Placeholder<TFloat32> onehot = target(name, Shape.of(-1, classes));
    Placeholder<TFloat32> known = target(name + "_known", Shape.of(-1));
    Operand<TFloat32> target = onehot;
    if (labelSmoothing > 0) {
      target =
          tf.math.add(
              tf.math.mul(onehot, tf.constant((float) (1 - labelSmoothing))),
              tf.constant((float) (labelSmoothing / classes)));
    }
    Operand<TFloat32> loss = Losses.weightedSoftmaxCe(tf, heads.logits().get(name), target, known);
    losses.put(name, loss);
    weighted.add(tf.math.mul(loss, tf.constant((float) weight)));
  }

  /** Penalty-reduced focal loss on the heat map and dense GIoU on boxes (TTFNet). */
  private void detection(LossWeights w, List<Operand<TFloat32>> weighted) {
    int h = heads.detH();
    int wd = heads.detW();
    Placeholder<TFloat32> gt = target("heatmap", Shape.of(-1, h, wd, MultiTaskNet.DET_CLASSES));
    Placeholder<TFloat32> boxes = target("box", Shape.of(-1, h, wd, 4));
    Placeholder<TFloat32> weight = target("box_weight", Shape.of(-1, h, wd, 1));
    Operand<TFloat32> heat = Losses.focal(tf, heads.logits().get("heatmap"), gt);
    Operand<TFloat32> box =
        Losses.giou(
            tf,
            heads.logits().get("regression"),
            boxes,
            weight,
            h,
            wd,
            cfg.detStride(),
            cfg.backbone() == ModelConfig.Backbone.CENTERNET_MNV3
                ? MultiTaskNet.BoxCoding.PACKAGE
                : MultiTaskNet.BoxCoding.OURS);
    losses.put("heatmap", heat);
    losses.put("box", box);
    weighted.add(tf.math.mul(heat, tf.constant((float) w.heatmap())));
    weighted.add(tf.math.mul(box, tf.constant((float) w.box())));
  }

  /** Pixel-wise softmax cross-entropy with per-pixel weights (class balance, ignore = 0). */
  private void segmentation(double weight, List<Operand<TFloat32>> weighted) {
    int h = heads.segH();
    int w = heads.segW();
    int k = MultiTaskNet.SEG_CLASSES;
    Placeholder<TFloat32> onehot = target("seg", Shape.of(-1, h, w, k));
    Placeholder<TFloat32> pixelWeight = target("seg_weight", Shape.of(-1, h, w));
    Operand<TFloat32> loss =
        Losses.weightedSoftmaxCe(
            tf,
            tf.reshape(heads.logits().get("seg"), tf.constant(new int[] {-1, k})),
            tf.reshape(onehot, tf.constant(new int[] {-1, k})),
            tf.reshape(pixelWeight, tf.constant(new int[] {-1})));
    losses.put("seg", loss);
    weighted.add(tf.math.mul(loss, tf.constant((float) weight)));
  }
}
