package dev.hydrastream.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Named float arrays moved in and out of graph variables: checkpoints, batch-norm folding and
 * loading trained values into the export graph all go through it.
 */
final class Weights {

  /** One variable's value. */
  record Value(long[] shape, float[] data) {}

  private Weights() {}

  /** Reads every variable's current value from the session. */
  static Map<String, Value> read(Session session, Map<String, Variable<TFloat32>> vars) {
    Map<String, Value> out = new LinkedHashMap<>();
    List<String> names = List.copyOf(vars.keySet());
    int chunk = 64;
    for (int start = 0; start < names.size(); start += chunk) {
      Session.Runner r = session.runner();
      List<String> part = names.subList(start, Math.min(names.size(), start + chunk));
      part.forEach(n -> r.fetch(vars.get(n)));
      try (org.tensorflow.Result res = r.run()) {
        for (int i = 0; i < part.size(); i++) {
          TFloat32 t = (TFloat32) res.get(i);
          float[] data = new float[(int) t.shape().size()];
          t.copyTo(DataBuffers.of(data, false, false));
          out.put(part.get(i), new Value(t.shape().asArray(), data));
        }
      }
    }
    return out;
  }

  /** Assigns values to variables by name; names without a value are an error. */
  static void assign(
      Ops tf, Session session, Map<String, Variable<TFloat32>> vars, Map<String, Value> values) {
    Session.Runner r = session.runner();
    List<Tensor> tensors = new java.util.ArrayList<>();
    try {
      for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
        Value v = values.get(e.getKey());
        if (v == null) {
          throw new IllegalStateException(
              "no value for variable "
                  + e.getKey()
                  + ": the weights were saved from a network with other heads or blocks (--tasks,"
                  + " --seg-decoder)");
        }
        Placeholder<TFloat32> p =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(v.shape())));
        Op assign = tf.assign(e.getValue(), p);
        TFloat32 t = TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(v.data(), true, false));
        tensors.add(t);
        r.feed(p, t).addTarget(assign);
      }
      r.run();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  static void write(Path file, Map<String, Value> values) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      out.writeInt(values.size());
      for (Map.Entry<String, Value> e : values.entrySet()) {
        out.writeUTF(e.getKey());
        long[] shape = e.getValue().shape();
        out.writeInt(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        float[] data = e.getValue().data();
        out.writeInt(data.length);
        for (float f : data) {
          out.writeFloat(f);
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static Map<String, Value> load(Path file) throws IOException {
    Map<String, Value> out = new LinkedHashMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        long[] shape = new long[in.readInt()];
        for (int k = 0; k < shape.length; k++) {
          shape[k] = in.readLong();
        }
        float[] data = new float[in.readInt()];
        for (int k = 0; k < data.length; k++) {
          data[k] = in.readFloat();
        }
        out.put(name, new Value(shape, data));
      }
    }
    return out;
  }

  /**
   * Folds batch norm into the preceding convolution: {@code w' = w * gamma / sqrt(var + eps)} per
   * output channel and {@code b = beta - mean * gamma / sqrt(var + eps)}. Everything else is
   * copied. The result holds exactly the variables of an {@link Net.Mode#EXPORT} graph.
   */
  static Map<String, Value> foldBatchNorm(Map<String, Value> trained) {
    Map<String, Value> out = new LinkedHashMap<>();
    for (Map.Entry<String, Value> e : trained.entrySet()) {
      String name = e.getKey();
      if (name.endsWith("/adam_m")
          || name.endsWith("/adam_v")
          || name.endsWith("/gamma")
          || name.endsWith("/beta")
          || name.endsWith("/mean")
          || name.endsWith("/var")) {
        continue;
      }
      String base = name.endsWith("/w") ? name.substring(0, name.length() - 2) : null;
      Value gamma = base == null ? null : trained.get(base + "/gamma");
      if (gamma == null) {
        out.put(name, e.getValue());
        continue;
      }
      float[] g = gamma.data();
      float[] beta = trained.get(base + "/beta").data();
      float[] mean = trained.get(base + "/mean").data();
      float[] var = trained.get(base + "/var").data();
      int c = g.length;
      float[] scale = new float[c];
      float[] bias = new float[c];
      for (int k = 0; k < c; k++) {
        scale[k] = (float) (g[k] / Math.sqrt(var[k] + Net.BN_EPSILON));
        bias[k] = beta[k] - mean[k] * scale[k];
      }
      Value w = e.getValue();
      float[] folded = w.data().clone();
      long[] shape = w.shape();
      // conv HWIO: channel = last dim; depthwise HWC1: channel = dim 2 with multiplier 1
      boolean depthwise = shape.length == 4 && shape[3] == 1 && shape[2] == c;
      for (int i = 0; i < folded.length; i++) {
        int ch = depthwise ? (int) (i % shape[2]) : (int) (i % shape[3]);
        folded[i] *= scale[ch];
      }
      out.put(name, new Value(shape, folded));
      out.put(base + "/b", new Value(new long[] {c}, bias));
    }
    return out;
  }
}
