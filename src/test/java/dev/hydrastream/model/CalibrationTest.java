package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.spec.Head;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Temperature scaling: the fit recovers a known over-confidence, and the export divides by T. */
class CalibrationTest {

  /**
   * Labels drawn from softmax(z) are calibrated for logits z; a head that outputs 3z is over-
   * confident by a temperature of 3.
   */
  private static Calibration.Collected overconfident(double factor, int n, long seed) {
    Random r = new Random(seed);
    Calibration.Collected c = new Calibration.Collected();
    for (int i = 0; i < n; i++) {
      double[] z = new double[6];
      double norm = 0;
      for (int k = 0; k < 6; k++) {
        z[k] = r.nextGaussian() * 2;
        norm += Math.exp(z[k]);
      }
      double u = r.nextDouble() * norm;
      int label = 5;
      for (int k = 0; k < 6; k++) {
        u -= Math.exp(z[k]);
        if (u < 0) {
          label = k;
          break;
        }
      }
      float[] logits = new float[6];
      for (int k = 0; k < 6; k++) {
        logits[k] = (float) (z[k] * factor);
      }
      c.add(logits, label);
    }
    return c;
  }

  @Test
  void fitRecoversTheTemperatureAndLowersNllAndCalibrationError() {
    Map<Head, Calibration.Collected> collected = new LinkedHashMap<>();
    collected.put(Head.WEATHER, overconfident(3, 20000, 1));
    collected.put(Head.SCENE, overconfident(1, 19, 2)); // too few frames: not fitted
    Map<Head, Calibration.Fit> fits = Calibration.fit(collected);
    assertThat(fits).containsOnlyKeys(Head.WEATHER);
    Calibration.Fit f = fits.get(Head.WEATHER);
    assertThat(f.temperature()).isCloseTo(3, Offset.offset(0.15));
    assertThat(f.nllAfter()).isLessThan(f.nllBefore());
    assertThat(f.eceBefore()).isGreaterThan(0.1);
    assertThat(f.eceAfter()).isLessThan(0.02);
  }

  @Test
  void exportedLastLayerIsDividedByTheTemperature() {
    Map<String, Weights.Value> w = new LinkedHashMap<>();
    w.put("weather/fc2/w", new Weights.Value(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    w.put("weather/fc2/b", new Weights.Value(new long[] {3}, new float[] {3, 6, 9}));
    w.put("weather/fc1/w", new Weights.Value(new long[] {1}, new float[] {7}));
    Map<String, Weights.Value> out =
        Calibration.apply(w, Map.of(Head.WEATHER, new Calibration.Fit(3, 100, 1, 1, 0, 0)));
    assertThat(out.get("weather/fc2/w").data())
        .containsExactly(1 / 3f, 2 / 3f, 1, 4 / 3f, 5 / 3f, 2);
    assertThat(out.get("weather/fc2/b").data()).containsExactly(1, 2, 3);
    assertThat(out.get("weather/fc1/w").data()).containsExactly(7);
    assertThat(w.get("weather/fc2/b").data()).containsExactly(3, 6, 9);
  }
}
