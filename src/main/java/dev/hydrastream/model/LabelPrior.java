package dev.hydrastream.model;

import dev.hydrastream.spec.Head;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Label-shift correction of the attribute heads (Saerens et al., "Adjusting the outputs of a
 * classifier to new a priori probabilities", 2002): a head trained on frames whose classes are
 * balanced by design (the synthetic renderer draws weather uniformly) answers as if every class
 * were equally likely on the road. On real roads they are not; multiplying the posterior by the
 * ratio of the target prior to the training prior, {@code p(y|x) π_t(y) / π_s(y)}, is the Bayes
 * answer under that shift. It is baked into the exported graph as {@code log(π_t / π_s)} added to
 * the head's last bias, after temperature scaling.
 */
final class LabelPrior {

  /**
   * Approximate class frequencies of BDD100K's 70,000-image training split (its attribute labels,
   * "undefined" left out), in {@link Head} label order: the published label statistics of the
   * dataset whose taxonomy the heads use, standing for real dash-cam driving.
   */
  static final Map<Head, double[]> BDD100K = bdd100k();

  private static Map<Head, double[]> bdd100k() {
    Map<Head, double[]> m = new EnumMap<>(Head.class);
    // clear, overcast, partly cloudy, rainy, snowy, foggy
    m.put(Head.WEATHER, new double[] {37344, 8770, 4881, 5070, 5549, 130});
    // daytime, dawn/dusk, night
    m.put(Head.TIMEOFDAY, new double[] {36728, 5027, 27971});
    // city street, highway, residential, parking lot, tunnel, gas stations
    m.put(Head.SCENE, new double[] {43516, 17379, 8074, 377, 129, 27});
    return m;
  }

  private LabelPrior() {}

  /** Normalised frequencies of labels {@code 0..k-1} (unknown labels, -1, skipped; add-one). */
  static double[] frequencies(List<Integer> labels, int k) {
    double[] f = new double[k];
    java.util.Arrays.fill(f, 1);
    for (int y : labels) {
      if (y >= 0 && y < k) {
        f[y]++;
      }
    }
    return normalise(f);
  }

  static double[] normalise(double[] counts) {
    double s = 0;
    for (double c : counts) {
      s += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] / s;
    }
    return out;
  }

  /** Adds {@code log(target / source)} to each head's last bias ({@code <head>/fc2/b}). */
  static Map<String, Weights.Value> apply(
      Map<String, Weights.Value> weights, Map<Head, double[]> source, Map<Head, double[]> target) {
    Map<String, Weights.Value> out = new LinkedHashMap<>(weights);
    source.forEach(
        (head, s) -> {
          double[] t = normalise(target.get(head));
          String name = head.id() + "/fc2/b";
          Weights.Value b = out.get(name);
          if (b == null) {
            return;
          }
          if (b.data().length != s.length || t.length != s.length) {
            throw new IllegalStateException("prior of " + head.id() + " does not fit " + name);
          }
          float[] shifted = b.data().clone();
          for (int i = 0; i < shifted.length; i++) {
            shifted[i] += (float) Math.log(t[i] / s[i]);
          }
          out.put(name, new Weights.Value(b.shape(), shifted));
        });
    return out;
  }

  /** The card's {@code label_prior} entry. */
  static Map<String, Object> card(Map<Head, double[]> source, Map<Head, double[]> target) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "method",
        "label-shift correction: log(target prior / training prior) added to each attribute head's"
            + " last bias after temperature scaling");
    m.put(
        "target", "BDD100K training split attribute frequencies (approximate, undefined left out)");
    Map<String, Object> heads = new LinkedHashMap<>();
    source.forEach(
        (h, s) -> {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("labels", h.labels());
          e.put("training", s);
          e.put("target", normalise(target.get(h)));
          heads.put(h.id(), e);
        });
    m.put("heads", heads);
    return m;
  }
}
