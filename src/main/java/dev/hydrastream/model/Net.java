package dev.hydrastream.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Layer builder over TensorFlow graph ops with a variable registry. The same architecture code
 * builds three graphs: {@link Mode#TRAIN} (batch statistics, moving averages updated by {@link
 * #bnUpdates()}), {@link Mode#INFER} (moving averages, sharing the training variables) and {@link
 * Mode#EXPORT} (batch norm folded into convolution weights and biases, for serving). It also counts
 * the multiply-adds of every layer, so FLOPs come from the graph itself.
 */
final class Net {

  /** Which graph is being built. */
  enum Mode {
    TRAIN,
    INFER,
    EXPORT
  }

  /** Activation after a layer. */
  enum Act {
    NONE,
    RELU,
    RELU6
  }

  /** A feature map with its static spatial size and channels. */
  record Feat(Operand<TFloat32> x, int h, int w, int c) {}

  /** A variable's shape and role, in creation order. */
  record VarSpec(String name, long[] shape, boolean trainable, boolean bnStat) {}

  static final float BN_EPSILON = 1e-3f;
  static final float BN_MOMENTUM = 0.99f;

  final Ops tf;
  final Mode mode;
  private final long seed;
  private final Map<String, Variable<TFloat32>> vars;
  private final Map<String, VarSpec> specs = new LinkedHashMap<>();
  private final List<Op> bnUpdates = new ArrayList<>();

  /** {@link Mode#INFER}: the input of every batch norm by layer name, for {@link WarmStart}. */
  private final Map<String, Operand<TFloat32>> bnInputs = new LinkedHashMap<>();

  private long macs;

  /** Starting values by variable name (imported weights); others start random or constant. */
  private Map<String, float[]> initial = Map.of();

  /** Variables that are built but not trained (imported stages kept as they are). */
  private java.util.function.Predicate<String> frozen = name -> false;

  /**
   * @param shared variables of an earlier build in the same graph to reuse (by name), or null
   */
  Net(Ops tf, Mode mode, long seed, Map<String, Variable<TFloat32>> shared) {
    this.tf = tf;
    this.mode = mode;
    this.seed = seed;
    this.vars = shared != null ? shared : new LinkedHashMap<>();
  }

  Map<String, Variable<TFloat32>> variables() {
    return vars;
  }

  Map<String, VarSpec> specs() {
    return specs;
  }

  List<Op> bnUpdates() {
    return bnUpdates;
  }

  Map<String, Operand<TFloat32>> bnInputs() {
    return bnInputs;
  }

  /** An untrained statistic (filled in after training), e.g. feature means. */
  Variable<TFloat32> stat(String name, long[] shape, float constant) {
    return var(name, shape, 0, constant, false, false);
  }

  /** Variables named here start from these values instead of random ones. */
  void initFrom(Map<String, float[]> values) {
    Map<String, float[]> m = new LinkedHashMap<>(initial);
    m.putAll(values);
    initial = m;
  }

  /** Variables whose name matches are created untrainable. */
  void freeze(java.util.function.Predicate<String> which) {
    frozen = which;
  }

  /** Multiply-adds of one image through everything built so far. */
  long macs() {
    return macs;
  }

  // ---------------------------------------------------------------- variables

  private Variable<TFloat32> var(
      String name, long[] shape, float std, float constant, boolean trainable, boolean bnStat) {
    specs.putIfAbsent(name, new VarSpec(name, shape, trainable && !frozen.test(name), bnStat));
    Variable<TFloat32> v = vars.get(name);
    if (v != null) {
      return v;
    }
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] init = new float[n];
    float[] given = initial.get(name);
    if (given != null && given.length != n) {
      throw new IllegalArgumentException(
          "starting value of " + name + " has " + given.length + " elements, the layer needs " + n);
    }
    if (mode != Mode.EXPORT) {
      if (given != null) {
        init = given.clone();
      } else if (std > 0) {
        Random r = new Random(seed * 31 + name.hashCode());
        for (int i = 0; i < n; i++) {
          init[i] = (float) (r.nextGaussian() * std);
        }
      } else {
        Arrays.fill(init, constant);
      }
    }
    // Export graphs start from zeros computed by an op (not a constant blob, which would store
    // a second copy of every weight in saved_model.pb); trained values are assigned afterwards.
    Operand<TFloat32> value =
        mode == Mode.EXPORT
            ? tf.zeros(tf.constant(shape), TFloat32.class)
            : tf.constant(Shape.of(shape), DataBuffers.of(init, true, false));
    v = tf.withInitScope().withName(name.replace('/', '_')).variable(value);
    vars.put(name, v);
    return v;
  }

  // ---------------------------------------------------------------- layers

  /** Convolution + batch norm + activation. */
  Feat conv(String name, Feat x, int k, int cout, int stride, Act act) {
    long[] shape = {k, k, x.c(), cout};
    Operand<TFloat32> w =
        var(name + "/w", shape, (float) Math.sqrt(2.0 / (k * k * x.c())), 0, true, false);
    Operand<TFloat32> y =
        tf.nn.conv2d(x.x(), w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    int h = (x.h() + stride - 1) / stride;
    int wd = (x.w() + stride - 1) / stride;
    macs += (long) k * k * x.c() * cout * h * wd;
    return new Feat(activate(norm(name, y, cout), act), h, wd, cout);
  }

  /** Depthwise convolution + batch norm + activation. */
  Feat dw(String name, Feat x, int k, int stride, Act act) {
    long[] shape = {k, k, x.c(), 1};
    Operand<TFloat32> w = var(name + "/w", shape, (float) Math.sqrt(2.0 / (k * k)), 0, true, false);
    Operand<TFloat32> y =
        tf.nn.depthwiseConv2dNative(
            x.x(), w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    int h = (x.h() + stride - 1) / stride;
    int wd = (x.w() + stride - 1) / stride;
    macs += (long) k * k * x.c() * h * wd;
    return new Feat(activate(norm(name, y, x.c()), act), h, wd, x.c());
  }

  /** Depthwise-separable block: 3x3 depthwise then 1x1 pointwise, both normalised. */
  Feat sep(String name, Feat x, int cout, int stride) {
    Feat d = dw(name + "/dw", x, 3, stride, Act.RELU6);
    return conv(name + "/pw", d, 1, cout, 1, Act.RELU6);
  }

  /** A 1x1 convolution with bias and no normalisation: the last layer of a head. */
  Feat project(String name, Feat x, int cout, float biasInit) {
    Operand<TFloat32> w =
        var(
            name + "/w",
            new long[] {1, 1, x.c(), cout},
            (float) Math.sqrt(1.0 / x.c()) * 0.5f,
            0,
            true,
            false);
    Operand<TFloat32> b = var(name + "/b", new long[] {cout}, 0, biasInit, true, false);
    Operand<TFloat32> y = tf.nn.biasAdd(tf.nn.conv2d(x.x(), w, List.of(1L, 1L, 1L, 1L), "SAME"), b);
    macs += (long) x.c() * cout * x.h() * x.w();
    return new Feat(y, x.h(), x.w(), cout);
  }

  /** Fully connected layer on a [N, cin] operand. */
  Operand<TFloat32> dense(String name, Operand<TFloat32> x, int cin, int cout, Act act) {
    Operand<TFloat32> w =
        var(name + "/w", new long[] {cin, cout}, (float) Math.sqrt(2.0 / cin), 0, true, false);
    Operand<TFloat32> b = var(name + "/b", new long[] {cout}, 0, 0f, true, false);
    macs += (long) cin * cout;
    return activate(tf.nn.biasAdd(tf.linalg.matMul(x, w), b), act);
  }

  /**
   * A convolution with an optional bias and no normalisation, as an imported graph has it (batch
   * norm already folded), its variables named explicitly (imported layers keep their own): {@code
   * biasName} null for none, {@code padding} "SAME" or "VALID", {@code depthwise} a channel
   * multiplier of 1.
   */
  Feat convBias(
      String weightName,
      String biasName,
      Feat x,
      int k,
      int cout,
      int stride,
      String padding,
      boolean depthwise,
      Act act) {
    long[] shape = depthwise ? new long[] {k, k, x.c(), 1} : new long[] {k, k, x.c(), cout};
    int fanIn = depthwise ? k * k : k * k * x.c();
    Operand<TFloat32> w = var(weightName, shape, (float) Math.sqrt(2.0 / fanIn), 0, true, false);
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    Operand<TFloat32> y =
        depthwise
            ? tf.nn.depthwiseConv2dNative(x.x(), w, strides, padding)
            : tf.nn.conv2d(x.x(), w, strides, padding);
    int c = depthwise ? x.c() : cout;
    int h;
    int wd;
    if (padding.equals("VALID")) {
      h = (x.h() - k) / stride + 1;
      wd = (x.w() - k) / stride + 1;
    } else {
      h = (x.h() + stride - 1) / stride;
      wd = (x.w() + stride - 1) / stride;
    }
    macs += (long) k * k * (depthwise ? 1 : x.c()) * c * h * wd;
    if (biasName != null) {
      y = tf.nn.biasAdd(y, var(biasName, new long[] {c}, 0, 0f, true, false));
    }
    return new Feat(activate(y, act), h, wd, c);
  }

  Feat add(Feat a, Feat b) {
    return new Feat(tf.math.add(a.x(), b.x()), a.h(), a.w(), a.c());
  }

  /** Bilinear 2x upsampling. */
  Feat up2(Feat x) {
    Operand<TFloat32> y =
        tf.image.resizeBilinear(x.x(), tf.constant(new int[] {x.h() * 2, x.w() * 2}));
    return new Feat(y, x.h() * 2, x.w() * 2, x.c());
  }

  /** Global average pool to [N, C]. */
  Operand<TFloat32> pool(Feat x) {
    return tf.math.mean(x.x(), tf.constant(new int[] {1, 2}));
  }

  private Operand<TFloat32> activate(Operand<TFloat32> y, Act act) {
    return switch (act) {
      case RELU -> tf.nn.relu(y);
      case RELU6 -> tf.nn.relu6(y);
      case NONE -> y;
    };
  }

  /** Batch norm as the mode requires; in EXPORT mode a bias folded from it. */
  private Operand<TFloat32> norm(String name, Operand<TFloat32> y, int c) {
    long[] shape = {c};
    if (mode == Mode.EXPORT) {
      Operand<TFloat32> b = var(name + "/b", shape, 0, 0f, true, false);
      return tf.nn.biasAdd(y, b);
    }
    Variable<TFloat32> gamma = var(name + "/gamma", shape, 0, 1f, true, false);
    Variable<TFloat32> beta = var(name + "/beta", shape, 0, 0f, true, false);
    Variable<TFloat32> mean = var(name + "/mean", shape, 0, 0f, false, true);
    Variable<TFloat32> variance = var(name + "/var", shape, 0, 1f, false, true);
    if (mode == Mode.INFER) {
      bnInputs.put(name, y);
      return tf.nn
          .fusedBatchNorm(
              y,
              gamma,
              beta,
              mean,
              variance,
              FusedBatchNorm.isTraining(false),
              FusedBatchNorm.epsilon(BN_EPSILON))
          .y();
    }
    Operand<TFloat32> empty = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> bn =
        tf.nn.fusedBatchNorm(
            y,
            gamma,
            beta,
            empty,
            empty,
            FusedBatchNorm.isTraining(true),
            FusedBatchNorm.epsilon(BN_EPSILON));
    Operand<TFloat32> m = tf.constant(BN_MOMENTUM);
    Operand<TFloat32> one = tf.constant(1f - BN_MOMENTUM);
    bnUpdates.add(
        tf.assign(
            mean,
            tf.math.add(tf.math.mul(mean, m), tf.math.mul(tf.stopGradient(bn.batchMean()), one))));
    bnUpdates.add(
        tf.assign(
            variance,
            tf.math.add(
                tf.math.mul(variance, m), tf.math.mul(tf.stopGradient(bn.batchVariance()), one))));
    return bn.y();
  }
}
