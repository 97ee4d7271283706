package dev.hydrastream.model;

import dev.hydrastream.model.Net.Act;
import dev.hydrastream.model.Net.Feat;
import dev.hydrastream.model.TfjsGraphModel.Node;
import dev.hydrastream.model.TfjsGraphModel.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Rebuilds the convolutional part of an imported TF.js graph with our own {@link Net} layers: every
 * float weight becomes a variable of ours (named {@code PREFIX + constant name}, started from the
 * imported value, trainable unless frozen), every op is mapped to the same TensorFlow op. The
 * network is fully convolutional, so it is rebuilt for any input size: the fixed sizes the graph
 * was exported with (the upsampling targets) are recomputed from the feature maps.
 *
 * <p>Supported: the ops of a MobileNetV3 + CenterNet graph ({@code _FusedConv2D}, {@code
 * FusedDepthwiseConv2dNative}, {@code Conv2D}, {@code DepthwiseConv2dNative}, {@code Add}, {@code
 * Sub}, {@code Mul}, {@code Relu}, {@code Relu6}, {@code Sigmoid}, {@code Mean}, {@code ConcatV2},
 * {@code ResizeBilinear}, {@code Identity}). Anything else is refused naming the node.
 */
final class TfjsNet {

  /** Variable name prefix of imported weights. */
  static final String PREFIX = "pre/";

  private final Net net;
  private final TfjsGraphModel model;
  private final Map<String, Feat> built = new HashMap<>();
  private final Map<String, Float> scalars = new HashMap<>();

  private TfjsNet(Net net, TfjsGraphModel model) {
    this.net = net;
    this.model = model;
  }

  /** The imported float weights under the names {@link #build} gives their variables. */
  static Map<String, float[]> initialValues(TfjsGraphModel model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Tensor t : model.weights().values()) {
      if (t.floats() != null && t.shape().length > 0) {
        out.put(PREFIX + t.name(), t.floats());
      }
    }
    return out;
  }

  /**
   * Builds the nodes that {@code outputs} depend on, with {@code input} (float pixels as the graph
   * expects them) standing for the graph's placeholder {@code inputNode}.
   */
  static Map<String, Feat> build(
      Net net, TfjsGraphModel model, String inputNode, Feat input, List<String> outputs) {
    return build(net, model, inputNode, input, outputs, Map.of());
  }

  /**
   * Like {@link #build}, every node first looked up in {@code given} (node name to feature), and
   * returning every node built or taken, outputs included.
   */
  static Map<String, Feat> build(
      Net net,
      TfjsGraphModel model,
      String inputNode,
      Feat input,
      List<String> outputs,
      Map<String, Feat> given) {
    TfjsNet b = new TfjsNet(net, model);
    b.built.putAll(given);
    b.built.put(inputNode, input);
    for (String o : outputs) {
      b.feat(o);
    }
    return b.built;
  }

  /**
   * The nodes of {@code built} (a build by {@code net}) that no training can change: every weight
   * below them is frozen in {@code net}. A frozen copy of the graph takes these as they are.
   */
  static Map<String, Feat> fixedNodes(
      Net net, TfjsGraphModel model, String inputNode, Map<String, Feat> built) {
    Map<String, Boolean> memo = new HashMap<>();
    memo.put(inputNode, true);
    Map<String, Feat> out = new LinkedHashMap<>();
    built.forEach(
        (name, f) -> {
          if (fixed(net, model, name, memo)) {
            out.put(name, f);
          }
        });
    return out;
  }

  private static boolean fixed(
      Net net, TfjsGraphModel model, String ref, Map<String, Boolean> memo) {
    String name = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
    Boolean known = memo.get(name);
    if (known != null) {
      return known;
    }
    Node n = model.node(name);
    boolean fixed;
    if (n.op().equals("Const")) {
      Net.VarSpec v = net.specs().get(PREFIX + name);
      fixed = v == null || !v.trainable();
    } else {
      fixed = true;
      for (String in : n.inputs()) {
        fixed &= fixed(net, model, in, memo);
      }
    }
    memo.put(name, fixed);
    return fixed;
  }

  private Feat feat(String ref) {
    String name = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
    Feat f = built.get(name);
    if (f != null) {
      return f;
    }
    f = make(model.node(name));
    built.put(name, f);
    return f;
  }

  private boolean isConst(String ref) {
    return model.node(ref).op().equals("Const");
  }

  private float scalar(String ref) {
    return scalars.computeIfAbsent(
        ref,
        r -> {
          Tensor t = model.constant(r);
          if (t.floats() == null || t.size() != 1) {
            throw new IllegalArgumentException(
                model.manifest() + ": constant " + r + " is not a float scalar");
          }
          return t.floats()[0];
        });
  }

  private Feat make(Node n) {
    Ops tf = net.tf;
    List<String> in = n.inputs();
    switch (n.op()) {
      case "_FusedConv2D", "FusedDepthwiseConv2dNative", "Conv2D", "DepthwiseConv2dNative" -> {
        return conv(n);
      }
      case "Add", "Sub", "Mul" -> {
        boolean c0 = isConst(in.get(0));
        boolean c1 = isConst(in.get(1));
        if (c0 && c1) {
          throw unsupported(n, "both inputs constant");
        }
        Operand<TFloat32> a = operand(in.get(0));
        Operand<TFloat32> b = operand(in.get(1));
        Operand<TFloat32> y =
            switch (n.op()) {
              case "Add" -> tf.math.add(a, b);
              case "Sub" -> tf.math.sub(a, b);
              default -> tf.math.mul(a, b);
            };
        // broadcasting (SE scales [N,1,1,C] against [N,H,W,C]): keep the larger map's size
        Feat other =
            c0 ? feat(in.get(1)) : c1 ? feat(in.get(0)) : bigger(feat(in.get(0)), feat(in.get(1)));
        return new Feat(y, other.h(), other.w(), other.c());
      }
      case "Relu" -> {
        Feat x = feat(in.get(0));
        return new Feat(tf.nn.relu(x.x()), x.h(), x.w(), x.c());
      }
      case "Relu6" -> {
        Feat x = feat(in.get(0));
        return new Feat(tf.nn.relu6(x.x()), x.h(), x.w(), x.c());
      }
      case "Sigmoid" -> {
        Feat x = feat(in.get(0));
        return new Feat(tf.math.sigmoid(x.x()), x.h(), x.w(), x.c());
      }
      case "Identity" -> {
        return feat(in.get(0));
      }
      case "Mean" -> {
        Feat x = feat(in.get(0));
        int[] axes = model.constant(in.get(1)).ints();
        if (axes == null
            || axes.length != 2
            || axes[0] != 1
            || axes[1] != 2
            || !n.bool("keep_dims")) {
          throw unsupported(n, "only a spatial mean with keep_dims");
        }
        return new Feat(
            tf.math.mean(
                x.x(), tf.constant(new int[] {1, 2}), org.tensorflow.op.math.Mean.keepDims(true)),
            1,
            1,
            x.c());
      }
      case "ConcatV2" -> {
        int axis = model.constant(in.get(in.size() - 1)).ints()[0];
        if (axis != 3 && axis != -1) {
          throw unsupported(n, "concatenation on axis " + axis);
        }
        List<Operand<TFloat32>> parts = new ArrayList<>();
        int c = 0;
        Feat first = null;
        for (String i : in.subList(0, in.size() - 1)) {
          Feat f = feat(i);
          first = first == null ? f : first;
          parts.add(f.x());
          c += f.c();
        }
        return new Feat(tf.concat(parts, tf.constant(3)), first.h(), first.w(), c);
      }
      case "ResizeBilinear" -> {
        Feat x = feat(in.get(0));
        int[] size = model.constant(in.get(1)).ints();
        // The exported size is fixed for the export input; it is always twice the input map here
        // (a 2x upsampling), so it is recomputed for the input size being built.
        if (n.bool("align_corners") || n.bool("half_pixel_centers")) {
          throw unsupported(n, "align_corners / half_pixel_centers");
        }
        if (size == null
            || size.length != 2
            || size[0] != size[1] && size[0] * x.w() != size[1] * x.h()) {
          throw unsupported(n, "a resize that is not a uniform upsampling");
        }
        int h = x.h() * 2;
        int w = x.w() * 2;
        return new Feat(tf.image.resizeBilinear(x.x(), tf.constant(new int[] {h, w})), h, w, x.c());
      }
      default -> throw unsupported(n, "op " + n.op());
    }
  }

  /** A scalar constant as an operand, or the feature map a node computes. */
  private Operand<TFloat32> operand(String ref) {
    return isConst(ref) ? net.tf.constant(scalar(ref)) : feat(ref).x();
  }

  private static Feat bigger(Feat a, Feat b) {
    return (long) a.h() * a.w() >= (long) b.h() * b.w() ? a : b;
  }

  private Feat conv(Node n) {
    List<String> in = n.inputs();
    Feat x = feat(in.get(0));
    Tensor w = model.constant(in.get(1));
    boolean depthwise = n.op().contains("Depthwise");
    boolean fused = n.op().startsWith("_Fused") || n.op().startsWith("Fused");
    List<String> ops = fused ? n.strings("fused_ops") : List.of();
    boolean bias = ops.contains("BiasAdd");
    if (fused && !bias) {
      throw unsupported(n, "fused ops " + ops + " without BiasAdd");
    }
    Act act = Act.NONE;
    if (ops.contains("Relu")) {
      act = Act.RELU;
    } else if (ops.contains("Relu6")) {
      act = Act.RELU6;
    }
    for (String op : ops) {
      if (!List.of("BiasAdd", "Relu", "Relu6").contains(op)) {
        throw unsupported(n, "fused op " + op);
      }
    }
    long[] strides = n.ints("strides");
    long[] dil = n.ints("dilations");
    if (dil != null && (dil[1] != 1 || dil[2] != 1)) {
      throw unsupported(n, "dilation");
    }
    if (strides[1] != strides[2] || w.shape()[0] != w.shape()[1]) {
      throw unsupported(n, "non-square kernel or stride");
    }
    if (depthwise && w.shape()[3] != 1) {
      throw unsupported(n, "depth multiplier " + w.shape()[3]);
    }
    Feat y =
        net.convBias(
            PREFIX + in.get(1),
            bias ? PREFIX + in.get(2) : null,
            x,
            (int) w.shape()[0],
            (int) w.shape()[3],
            (int) strides[1],
            n.string("padding"),
            depthwise,
            act);
    return y;
  }

  private IllegalArgumentException unsupported(Node n, String what) {
    return new IllegalArgumentException(
        model.manifest()
            + ": node "
            + n.name()
            + " ("
            + n.op()
            + "): "
            + what
            + " is not supported");
  }
}
