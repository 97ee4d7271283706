package dev.hydrastream.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Fits the out-of-distribution score's statistics on training frames: per-channel mean and spread
 * of the pooled features, then the scale that puts the frames' 95th-percentile score at 1. A frame
 * scoring above 1 looks less like the training data than 95% of it did.
 */
final class OodStats {

  static final String CENTRE = "ood/centre";
  static final String INV_SPREAD = "ood/inv_spread";
  static final String NORM = "ood/norm";

  /** Share of training frames scoring at most 1. */
  static final double PERCENTILE = 0.95;

  /** The fitted values and a summary for the card. */
  record Fit(Map<String, Weights.Value> values, Map<String, Object> card) {}

  private OodStats() {}

  /** Fits on up to {@code max} of {@code frames} (in order) through the inference graph. */
  static Fit fit(TrainGraph g, Session session, List<TrainingData.Prepared> frames, int max) {
    var features = g.inferHeads.logits().get(MultiTaskNet.OOD_FEATURES);
    int h = g.cfg.inputHeight();
    int w = g.cfg.inputWidth();
    List<float[]> rows = new ArrayList<>();
    int n = Math.min(max, frames.size());
    int bs = 16;
    for (int start = 0; start < n; start += bs) {
      List<TrainingData.Prepared> items = frames.subList(start, Math.min(n, start + bs));
      try (TUint8 in = TrainingData.imageBatch(items, h, w);
          org.tensorflow.Result r = session.runner().feed(g.image, in).fetch(features).run()) {
        TFloat32 f = (TFloat32) r.get(0);
        int c = (int) f.shape().get(1);
        for (int i = 0; i < items.size(); i++) {
          float[] row = new float[c];
          for (int k = 0; k < c; k++) {
            row[k] = f.getFloat(i, k);
          }
          rows.add(row);
        }
      }
    }
    int c = rows.get(0).length;
    float[] mean = new float[c];
    float[] inv = new float[c];
    for (int k = 0; k < c; k++) {
      double s = 0;
      double s2 = 0;
      for (float[] r : rows) {
        s += r[k];
        s2 += (double) r[k] * r[k];
      }
      double m = s / rows.size();
      double var = Math.max(s2 / rows.size() - m * m, 0);
      mean[k] = (float) m;
      // a floor on the spread: channels that never vary in training must not explode the score
      inv[k] = (float) (1 / Math.sqrt(var + 1e-4));
    }
    double[] scores = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      double z2 = 0;
      for (int k = 0; k < c; k++) {
        double z = (rows.get(i)[k] - mean[k]) * inv[k];
        z2 += z * z;
      }
      scores[i] = z2 / c;
    }
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double p = sorted[(int) Math.min(sorted.length - 1, Math.floor(PERCENTILE * sorted.length))];
    float norm = (float) (1 / p);
    Map<String, Weights.Value> values = new LinkedHashMap<>();
    values.put(CENTRE, new Weights.Value(new long[] {c}, mean));
    values.put(INV_SPREAD, new Weights.Value(new long[] {c}, inv));
    values.put(NORM, new Weights.Value(new long[] {1}, new float[] {norm}));
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("output", MultiTaskNet.OOD);
    card.put(
        "method",
        "mean squared z-score of the pooled stride-32 and stride-4 features against the training"
            + " frames' per-channel mean and spread");
    card.put("threshold", 1.0);
    card.put("threshold_meaning", "95th percentile of the training frames' scores");
    card.put("fitted_on_frames", rows.size());
    card.put("channels", c);
    return new Fit(values, card);
  }
}
