package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.runtime.TensorFlowRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Each loss on hand-made targets, and the in-graph detection decoder against plain Java. */
class LossesAndDecodingTest {

  @BeforeAll
  static void natives() {
    TensorFlowRuntime.load();
  }

  private static float run(java.util.function.Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Operand<TFloat32> out = build.apply(Ops.create(g));
      try (Result r = s.runner().fetch(out).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  private static Operand<TFloat32> c(Ops tf, float[] v, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(v, true, false));
  }

  @Test
  void weightedCrossEntropySkipsUnknownRows() {
    float[] logits = {2, 0, 0, /**/ 0, 1, 0, /**/ 5, 5, 5};
    float[] onehot = {1, 0, 0, /**/ 0, 0, 1, /**/ 1, 0, 0};
    float[] weight = {1, 1, 0};
    // row 0: -log(e^2/(e^2+2)); row 1: -log(1/(2+e)); row 2 has weight 0
    double r0 = -Math.log(Math.exp(2) / (Math.exp(2) + 2));
    double r1 = -Math.log(1 / (2 + Math.E));
    float got =
        run(
            tf ->
                Losses.weightedSoftmaxCe(
                    tf, c(tf, logits, 3, 3), c(tf, onehot, 3, 3), c(tf, weight, 3)));
    assertThat((double) got).isCloseTo((r0 + r1) / 2, within(1e-5));
  }

  @Test
  void focalLossMatchesTheFormulaOnAHandMadeHeatMap() {
    // one image, 2x2 cells, 1 class: a peak (1.0), a Gaussian shoulder (0.5) and two zeros
    float[] target = {1f, 0.5f, 0f, 0f};
    float[] logits = {0.5f, -1f, 2f, -3f};
    double expected = 0;
    for (int i = 0; i < 4; i++) {
      double p = 1 / (1 + Math.exp(-logits[i]));
      if (target[i] == 1f) {
        expected += -Math.pow(1 - p, 2) * Math.log(p);
      } else {
        expected += -Math.pow(1 - target[i], 4) * p * p * Math.log(1 - p);
      }
    }
    expected /= 1; // one positive
    double want = expected;
    float got = run(tf -> Losses.focal(tf, c(tf, logits, 1, 2, 2, 1), c(tf, target, 1, 2, 2, 1)));
    assertThat((double) got).isCloseTo(want, within(1e-5));
  }

  @Test
  void giouLossMatchesAHandComputedBox() {
    // 1x2 grid at stride 4: cell centres (2,2) and (6,2). Cell 0 regresses distances 4 (log 1
    // stride) on every side: box (-2,-2,6,6) against target (0,0,8,8). Cell 1 has weight 0.
    float[] raw = {0, 0, 0, 0, /**/ 3, 3, 3, 3};
    float[] target = {0, 0, 8, 8, /**/ 0, 0, 1, 1};
    float[] weight = {2, 0};
    double inter = 6 * 6;
    double union = 64 + 64 - inter;
    double enclosing = 10 * 10;
    double giou = inter / union - (enclosing - union) / enclosing;
    float got =
        run(
            tf ->
                Losses.giou(
                    tf,
                    c(tf, raw, 1, 1, 2, 4),
                    c(tf, target, 1, 1, 2, 4),
                    c(tf, weight, 1, 1, 2, 1),
                    1,
                    2,
                    4f,
                    MultiTaskNet.BoxCoding.OURS));
    assertThat((double) got).isCloseTo(1 - giou, within(1e-5));
  }

  @Test
  void inGraphDecodingMatchesAPlainJavaReference() {
    int h = 6;
    int w = 8;
    int c = 3;
    int k = 7;
    Random rnd = new Random(3);
    float[] hm = new float[2 * h * w * c];
    float[] reg = new float[2 * h * w * 4];
    for (int i = 0; i < hm.length; i++) {
      hm[i] = (float) (rnd.nextGaussian() * 2);
    }
    for (int i = 0; i < reg.length; i++) {
      reg[i] = (float) rnd.nextGaussian();
    }
    // the decoder takes its grid from the heat map; only top-k and stride come from the config
    ModelConfig cfg = ModelConfig.builder().optTopK(k).build();
    Map<String, Operand<?>> outputs = new LinkedHashMap<>();
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      MultiTaskNet.decodeDetections(
          tf,
          cfg,
          new Net.Feat(c(tf, hm, 2, h, w, c), h, w, c),
          new Net.Feat(c(tf, reg, 2, h, w, 4), h, w, 4),
          outputs);
      try (Result r = MultiTaskNet.Detections.fetch(s.runner(), outputs).run()) {
        MultiTaskNet.Detections d = MultiTaskNet.Detections.of(r);
        for (int n = 0; n < 2; n++) {
          List<float[]> ref = reference(hm, reg, n, h, w, c, k);
          for (int j = 0; j < k; j++) {
            float[] e = ref.get(j);
            assertThat(d.scores().getFloat(n, j))
                .as("score %d/%d", n, j)
                .isCloseTo(e[0], within(1e-5f));
            assertThat(d.classes().getInt(n, j)).as("class %d/%d", n, j).isEqualTo((int) e[1]);
            for (int q = 0; q < 4; q++) {
              assertThat(d.boxes().getFloat(n, j, q))
                  .as("box %d/%d/%d", n, j, q)
                  .isCloseTo(e[2 + q], within(1e-3f));
            }
          }
        }
      }
    }
  }

  /** Sigmoid, 3x3 peak test (SAME padding), top-k by score, boxes from log edge distances. */
  private static List<float[]> reference(
      float[] hm, float[] reg, int n, int h, int w, int c, int k) {
    List<float[]> peaks = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          double v = sig(hm[((n * h + y) * w + x) * c + ch]);
          boolean max = true;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int yy = y + dy;
              int xx = x + dx;
              if (yy >= 0
                  && yy < h
                  && xx >= 0
                  && xx < w
                  && sig(hm[((n * h + yy) * w + xx) * c + ch]) > v) {
                max = false;
              }
            }
          }
          double score = max ? v : 0;
          int o = ((n * h + y) * w + x) * 4;
          double ax = (x + 0.5) * 4;
          double ay = (y + 0.5) * 4;
          double[] d = new double[4];
          for (int q = 0; q < 4; q++) {
            d[q] = Math.exp(Math.max(-4, Math.min(6, reg[o + q]))) * 4;
          }
          peaks.add(
              new float[] {
                (float) score,
                ch,
                (float) (ax - d[0]),
                (float) (ay - d[1]),
                (float) (ax + d[2]),
                (float) (ay + d[3]),
                (y * w + x) * c + ch
              });
        }
      }
    }
    peaks.sort((a, b) -> a[0] != b[0] ? Float.compare(b[0], a[0]) : Float.compare(a[6], b[6]));
    return peaks.subList(0, k);
  }

  private static double sig(float x) {
    return 1 / (1 + Math.exp(-x));
  }
}
