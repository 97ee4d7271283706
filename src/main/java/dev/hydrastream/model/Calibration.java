package dev.hydrastream.model;

import dev.hydrastream.eval.ClassificationEvaluator;
import dev.hydrastream.spec.Head;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Temperature scaling of the classification heads (Guo et al., "On Calibration of Modern Neural
 * Networks", 2017): one temperature T per head, fitted on validation logits by minimising the
 * negative log-likelihood of softmax(logits / T), then baked into the exported graph by dividing
 * the head's last layer (weights and bias) by T. Every consumer of the SavedModel so gets
 * calibrated probabilities; the card records T with the validation NLL and expected calibration
 * error before and after.
 */
final class Calibration {

  /** Validation logits and labels of one head, collected batch by batch. */
  static final class Collected {
    private final List<float[]> logits = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    void add(float[] row, int label) {
      if (label >= 0) {
        logits.add(row);
        labels.add(label);
      }
    }

    int size() {
      return labels.size();
    }
  }

  /**
   * The fitted temperature of one head and what it changed on the validation frames.
   *
   * @param temperature T (logits are divided by it)
   * @param frames validation frames with a known label
   * @param nllBefore mean negative log-likelihood at T = 1
   * @param nllAfter at the fitted T
   * @param eceBefore expected calibration error at T = 1
   * @param eceAfter at the fitted T
   */
  @com.fasterxml.jackson.databind.annotation.JsonNaming(
      com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Fit(
      double temperature,
      int frames,
      double nllBefore,
      double nllAfter,
      double eceBefore,
      double eceAfter) {}

  private Calibration() {}

  /** A temperature per attribute head with at least 20 labelled validation frames. */
  static Map<Head, Fit> fit(Map<Head, Collected> collected) {
    Map<Head, Fit> out = new EnumMap<>(Head.class);
    collected.forEach(
        (head, c) -> {
          if (c.size() >= 20) {
            out.put(head, fit(head, c));
          }
        });
    return out;
  }

  private static Fit fit(Head head, Collected c) {
    // golden-section search of the NLL over log T in [log 0.05, log 20] (convex in 1/T)
    double lo = Math.log(0.05);
    double hi = Math.log(20);
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = nll(c, Math.exp(a));
    double fb = nll(c, Math.exp(b));
    for (int i = 0; i < 60; i++) {
      if (fa < fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = nll(c, Math.exp(a));
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = nll(c, Math.exp(b));
      }
    }
    double t = Math.exp((lo + hi) / 2);
    return new Fit(t, c.size(), nll(c, 1), nll(c, t), ece(head, c, 1), ece(head, c, t));
  }

  /** Mean negative log-likelihood of the labels under softmax(logits / t). */
  static double nll(Collected c, double t) {
    double sum = 0;
    for (int i = 0; i < c.size(); i++) {
      float[] z = c.logits.get(i);
      double max = Double.NEGATIVE_INFINITY;
      for (float v : z) {
        max = Math.max(max, v / t);
      }
      double norm = 0;
      for (float v : z) {
        norm += Math.exp(v / t - max);
      }
      sum -= z[c.labels.get(i)] / t - max - Math.log(norm);
    }
    return sum / Math.max(1, c.size());
  }

  /** Expected calibration error of softmax(logits / t), as {@code eval} computes it. */
  static double ece(Head head, Collected c, double t) {
    ClassificationEvaluator e = new ClassificationEvaluator();
    for (int i = 0; i < c.size(); i++) {
      float[] z = c.logits.get(i);
      int best = 0;
      double norm = 0;
      for (int k = 0; k < z.length; k++) {
        if (z[k] > z[best]) {
          best = k;
        }
      }
      for (float v : z) {
        norm += Math.exp((v - z[best]) / t);
      }
      e.add(head.label(c.labels.get(i)), head.label(best), 1 / norm);
    }
    return e.expectedCalibrationError();
  }

  /**
   * The exported weights with each head's last layer divided by its temperature: {@code softmax((W
   * x + b) / T) = softmax((W / T) x + b / T)}, so the graph is unchanged.
   */
  static Map<String, Weights.Value> apply(Map<String, Weights.Value> weights, Map<Head, Fit> fits) {
    Map<String, Weights.Value> out = new LinkedHashMap<>(weights);
    fits.forEach(
        (head, fit) -> {
          for (String suffix : new String[] {"/fc2/w", "/fc2/b"}) {
            String name = head.id() + suffix;
            Weights.Value v = out.get(name);
            if (v == null) {
              throw new IllegalStateException("no variable " + name + " to calibrate");
            }
            float[] scaled = v.data().clone();
            for (int i = 0; i < scaled.length; i++) {
              scaled[i] /= (float) fit.temperature();
            }
            out.put(name, new Weights.Value(v.shape(), scaled));
          }
        });
    return out;
  }

  /** The card's {@code calibration} entry. */
  static Map<String, Object> card(Map<Head, Fit> fits) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "method",
        "temperature scaling per head, fitted on the validation split (NLL), baked into the last"
            + " layer of the exported graph");
    fits.forEach((head, fit) -> m.put(head.id(), fit));
    return m;
  }
}
