package dev.hydrastream.model;

import dev.hydrastream.runtime.TensorFlowRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Starts training from an exported model of the same architecture ({@code train --init DIR}), whose
 * batch norm is folded into its convolutions. Each folded layer {@code y + b} (convolution output
 * y, bias b) is split back into a convolution and a batch norm that compute the same thing on data
 * like the training frames: a forward pass over a few of them measures the per-channel mean μ and
 * variance σ² of y, and the norm gets moving statistics (μ, σ²), {@code gamma = sqrt(σ² + eps)} and
 * {@code beta = μ + b}, so {@code gamma (y - μ) / sqrt(σ² + eps) + beta = y + b}. In training mode
 * the norm then normalises by batch statistics close to those, and the network starts where the
 * exported model was.
 */
final class WarmStart {
  private WarmStart() {}

  /** Frames used to measure the statistics. */
  static final int CALIBRATION_FRAMES = 64;

  /**
   * Assigns the weights of the model in {@code dir} to the training graph's variables and
   * calibrates its batch norms on {@code frames}.
   */
  static void apply(TrainGraph g, Session session, Path dir, List<TrainingData.Prepared> frames)
      throws IOException {
    Map<String, Weights.Value> folded = readExported(dir, g.cfg);
    Map<String, org.tensorflow.op.core.Variable<TFloat32>> model = new LinkedHashMap<>();
    Map<String, Weights.Value> values = new LinkedHashMap<>();
    for (Net.VarSpec spec : g.train.specs().values()) {
      String name = spec.name();
      model.put(name, g.train.variables().get(name));
      values.put(name, unfolded(name, spec.shape(), folded, dir));
    }
    Weights.assign(g.tf, session, model, values);
    calibrate(g, session, folded, frames);
  }

  /** A training variable's value before calibration: the identity norm over the folded layer. */
  private static Weights.Value unfolded(
      String name, long[] shape, Map<String, Weights.Value> folded, Path dir) {
    int slash = name.lastIndexOf('/');
    String base = name.substring(0, slash);
    String kind = name.substring(slash + 1);
    int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] data = new float[n];
    switch (kind) {
      case "gamma" -> java.util.Arrays.fill(data, 1f);
      case "var" -> java.util.Arrays.fill(data, 1f - Net.BN_EPSILON);
      case "mean" -> {}
      case "beta" -> data = need(folded, base + "/b", dir).data().clone();
      default -> data = need(folded, name, dir).data().clone();
    }
    if (data.length != n) {
      throw new IllegalArgumentException(
          dir + ": variable " + name + " has " + data.length + " values, this network " + n);
    }
    return new Weights.Value(shape, data);
  }

  private static Weights.Value need(Map<String, Weights.Value> m, String name, Path dir) {
    Weights.Value v = m.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          dir + " has no variable " + name + ": --init needs a model of the same architecture");
    }
    return v;
  }

  /** Measures every batch norm's input on the frames and sets statistics, gamma and beta. */
  private static void calibrate(
      TrainGraph g,
      Session session,
      Map<String, Weights.Value> folded,
      List<TrainingData.Prepared> frames) {
    Ops tf = g.tf;
    Map<String, Operand<TFloat32>> inputs = g.infer.bnInputs();
    List<String> names = new ArrayList<>(inputs.keySet());
    Operand<org.tensorflow.types.TInt32> axes = tf.constant(new int[] {0, 1, 2});
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    for (String n : names) {
      Operand<TFloat32> y = inputs.get(n);
      fetches.add(tf.math.mean(y, axes));
      fetches.add(tf.math.mean(tf.math.square(y), axes));
    }
    int h = g.cfg.inputHeight();
    int w = g.cfg.inputWidth();
    int count = Math.min(CALIBRATION_FRAMES, frames.size());
    Map<String, double[]> sum = new LinkedHashMap<>();
    Map<String, double[]> sumSq = new LinkedHashMap<>();
    int batches = 0;
    for (int start = 0; start < count; start += 16) {
      int m = Math.min(16, count - start);
      try (TUint8 in = TrainingData.imageBatch(frames.subList(start, start + m), h, w)) {
        Session.Runner r = session.runner().feed(g.image, in);
        fetches.forEach(r::fetch);
        try (org.tensorflow.Result res = r.run()) {
          for (int k = 0; k < names.size(); k++) {
            accumulate(sum, names.get(k), (TFloat32) res.get(2 * k));
            accumulate(sumSq, names.get(k), (TFloat32) res.get(2 * k + 1));
          }
        }
      }
      batches++;
    }
    Map<String, org.tensorflow.op.core.Variable<TFloat32>> vars = new LinkedHashMap<>();
    Map<String, Weights.Value> values = new LinkedHashMap<>();
    for (String n : names) {
      double[] mu = sum.get(n);
      double[] sq = sumSq.get(n);
      float[] bias = folded.get(n + "/b").data();
      int c = mu.length;
      float[] mean = new float[c];
      float[] var = new float[c];
      float[] gamma = new float[c];
      float[] beta = new float[c];
      for (int k = 0; k < c; k++) {
        double m = mu[k] / batches;
        double v = Math.max(1e-6, sq[k] / batches - m * m);
        mean[k] = (float) m;
        var[k] = (float) v;
        gamma[k] = (float) Math.sqrt(v + Net.BN_EPSILON);
        beta[k] = (float) (m + bias[k]);
      }
      long[] shape = {c};
      put(g, vars, values, n + "/mean", new Weights.Value(shape, mean));
      put(g, vars, values, n + "/var", new Weights.Value(shape, var));
      put(g, vars, values, n + "/gamma", new Weights.Value(shape, gamma));
      put(g, vars, values, n + "/beta", new Weights.Value(shape, beta));
    }
    Weights.assign(tf, session, vars, values);
  }

  private static void put(
      TrainGraph g,
      Map<String, org.tensorflow.op.core.Variable<TFloat32>> vars,
      Map<String, Weights.Value> values,
      String name,
      Weights.Value v) {
    vars.put(name, g.train.variables().get(name));
    values.put(name, v);
  }

  private static void accumulate(Map<String, double[]> into, String name, TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(v, false, false));
    double[] acc = into.computeIfAbsent(name, k -> new double[v.length]);
    for (int i = 0; i < v.length; i++) {
      acc[i] += v[i];
    }
  }

  /** The folded variables of an exported model, by their names in the network code. */
  static Map<String, Weights.Value> readExported(Path dir, ModelConfig cfg) throws IOException {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IOException(dir + ": no saved_model.pb (--init needs an exported model directory)");
    }
    TensorFlowRuntime.load();
    List<String> names;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TUint8> image = MultiTaskNet.imageInput(tf, cfg);
      Net net = new Net(tf, Net.Mode.EXPORT, 0, null);
      MultiTaskNet.build(net, cfg, image);
      names = new ArrayList<>(net.variables().keySet());
    }
    Map<String, Weights.Value> out = new LinkedHashMap<>();
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      Session s = bundle.session();
      for (int start = 0; start < names.size(); start += 64) {
        List<String> part = names.subList(start, Math.min(names.size(), start + 64));
        Session.Runner r = s.runner();
        part.forEach(n -> r.fetch(n.replace('/', '_')));
        try (org.tensorflow.Result res = r.run()) {
          for (int i = 0; i < part.size(); i++) {
            TFloat32 t = (TFloat32) res.get(i);
            float[] data = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(data, false, false));
            out.put(part.get(i), new Weights.Value(t.shape().asArray(), data));
          }
        }
      }
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new IOException(
          dir + ": cannot read its weights as a model of this architecture: " + e.getMessage(), e);
    }
    return out;
  }
}
