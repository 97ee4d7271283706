package dev.hydrastream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.eval.MetricSet;
import dev.hydrastream.inference.PerceptionTranslator;
import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The trainer's validation: prepared frames through the inference copy of the training graph, the
 * serving decoder ({@link PerceptionTranslator}) and the one metric set ({@link MetricSet}); the
 * classification heads' logits are kept for temperature scaling ({@link Calibration}).
 */
final class Validation {

  /**
   * @param headline the headline metrics
   * @param logits per attribute head, the validation logits and labels
   */
  record Result(MetricSet.Headline headline, Map<Head, Calibration.Collected> logits) {}

  private Validation() {}

  /**
   * Validates on prepared frames through the serving decoder ({@link PerceptionTranslator}, on the
   * in-graph inference outputs) and the one metric set ({@link MetricSet}). Frames are at the model
   * input size, so their letterbox is the identity and boxes stay in input pixels.
   */
  static Result validate(TrainGraph g, Session session, List<TrainingData.Prepared> val) {
    ModelConfig cfg = g.cfg;
    MetricSet metrics = new MetricSet(cfg.tasks(), 0);
    Map<Head, Calibration.Collected> logits = new EnumMap<>(Head.class);
    if (val.isEmpty()) {
      return new Result(metrics.report(0).headline(), logits);
    }
    List<Head> attributes = new ArrayList<>();
    for (Head head : Head.ATTRIBUTES) {
      if (cfg.has(head)) {
        attributes.add(head);
        logits.put(head, new Calibration.Collected());
      }
    }
    int h = cfg.inputHeight();
    int w = cfg.inputWidth();
    Letterbox identity = Letterbox.of(w, h, w, h);
    PerceptionTranslator decoder = new PerceptionTranslator(cfg.servingCard(), 0.01);
    Map<String, org.tensorflow.Operand<?>> outs = g.inferHeads.outputs();
    List<String> names = new ArrayList<>(outs.keySet());
    int bs = 16;
    try (NDManager manager = NDManager.newBaseManager(TensorFlowRuntime.ENGINE)) {
      for (int start = 0; start < val.size(); start += bs) {
        List<TrainingData.Prepared> items = val.subList(start, Math.min(val.size(), start + bs));
        int n = items.size();
        List<Perception> results;
        try (TUint8 in = TrainingData.imageBatch(items, h, w);
            NDManager batch = manager.newSubManager()) {
          Session.Runner r = session.runner().feed(g.image, in);
          names.forEach(k -> r.fetch(outs.get(k)));
          attributes.forEach(head -> r.fetch(g.inferHeads.logits().get(head.id())));
          try (org.tensorflow.Result res = r.run()) {
            NDList outputs = new NDList();
            for (int i = 0; i < names.size(); i++) {
              outputs.add(toNd(batch, names.get(i), res.get(i)));
            }
            results = decoder.decodeBatch(outputs, Collections.nCopies(n, identity));
            for (int k = 0; k < attributes.size(); k++) {
              collect(
                  (TFloat32) res.get(names.size() + k),
                  attributes.get(k),
                  items,
                  logits.get(attributes.get(k)));
            }
          }
        }
        for (int i = 0; i < n; i++) {
          metrics.add(truth(items.get(i)), results.get(i));
        }
      }
    }
    return new Result(metrics.report(0).headline(), logits);
  }

  /** Adds a batch's logits of one head with the frames' labels. */
  private static void collect(
      TFloat32 t, Head head, List<TrainingData.Prepared> items, Calibration.Collected into) {
    int k = head.labels().size();
    float[] all = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(all, false, false));
    for (int i = 0; i < items.size(); i++) {
      TrainingData.Prepared p = items.get(i);
      int label =
          switch (head) {
            case WEATHER -> p.weather();
            case TIMEOFDAY -> p.timeofday();
            default -> p.scene();
          };
      into.add(java.util.Arrays.copyOfRange(all, i * k, (i + 1) * k), label);
    }
  }

  /** A TensorFlow output as a named DJL array (the decoder's input type). */
  private static NDArray toNd(NDManager m, String name, Tensor t) {
    long[] dims = t.shape().asArray();
    ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(dims);
    NDArray a;
    if (t instanceof TFloat32 f) {
      float[] v = new float[(int) f.size()];
      f.copyTo(DataBuffers.of(v, false, false));
      a = m.create(v, shape);
    } else if (t instanceof TInt32 i32) {
      int[] v = new int[(int) i32.size()];
      i32.copyTo(DataBuffers.of(v, false, false));
      a = m.create(v, shape);
    } else if (t instanceof TUint8 u8) {
      byte[] v = new byte[(int) u8.size()];
      u8.copyTo(DataBuffers.of(v, false, false));
      a = m.create(java.nio.ByteBuffer.wrap(v), shape, DataType.UINT8);
    } else {
      throw new IllegalStateException("output " + name + " has unexpected type " + t.dataType());
    }
    a.setName(name);
    return a;
  }

  /** Ground truth of a prepared frame, in input pixels. */
  private static MetricSet.Truth truth(TrainingData.Prepared p) {
    Map<Head, String> attributes = new EnumMap<>(Head.class);
    attributes.put(Head.WEATHER, label(Head.WEATHER, p.weather()));
    attributes.put(Head.TIMEOFDAY, label(Head.TIMEOFDAY, p.timeofday()));
    attributes.put(Head.SCENE, label(Head.SCENE, p.scene()));
    List<DetLabel> boxes = new ArrayList<>();
    for (int k = 0; k < p.boxes().length; k++) {
      float[] b = p.boxes()[k];
      boxes.add(
          new DetLabel(
              k,
              Head.DETECTION.label(p.classes()[k]),
              new Box(b[0], b[1], Math.max(b[0], b[2] - 1), Math.max(b[1], b[3] - 1)),
              false,
              false,
              null));
    }
    int[] grid = new int[p.seg().length];
    for (int c = 0; c < grid.length; c++) {
      grid[c] = p.seg()[c] & 255;
    }
    return new MetricSet.Truth(attributes, boxes, grid);
  }

  private static String label(Head head, int index) {
    return index < 0 ? null : head.label(index);
  }
}
