package dev.hydrastream.data.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Dataset and video frames share one light model and one sensor model, evaluated in two precisions
 * ({@link Lighting.Precision}); this keeps the evaluations from drifting apart: from the same drawn
 * canvas they may differ by rounding only. (Each evaluation's exact output is pinned by {@link
 * RenderPinTest}.)
 */
class PrecisionTest {
  private static final int W = 320;
  private static final int H = 180;
  private static final int FRAMES = 120;

  /** Per-channel differences between two images: the largest and how many differ at all. */
  private record Diff(int worst, long differing, long channels) {
    static Diff of(int[] a, int[] b) {
      int worst = 0;
      long differing = 0;
      for (int p = 0; p < a.length; p++) {
        for (int shift = 0; shift <= 16; shift += 8) {
          int d = Math.abs(((a[p] >> shift) & 255) - ((b[p] >> shift) & 255));
          worst = Math.max(worst, d);
          differing += d > 0 ? 1 : 0;
        }
      }
      return new Diff(worst, differing, 3L * a.length);
    }

    Diff plus(Diff o) {
      return new Diff(Math.max(worst, o.worst), differing + o.differing, channels + o.channels);
    }
  }

  @Test
  void fastLightingAgreesWithExactUpToRounding() {
    SceneRenderer renderer = new SceneRenderer(W, H, false);
    Set<String> seen = new TreeSet<>();
    Diff diff = new Diff(0, 0, 0);
    for (int i = 0; i < FRAMES; i++) {
      SceneRenderer.Drawn d = renderer.draw(21, i, false, -1);
      SceneSpec spec = d.spec();
      seen.add(spec.weather + ", " + spec.timeofday);
      if (spec.scene.equals("tunnel")) {
        seen.add("tunnel, " + spec.timeofday);
      }
      int[] rgb = d.canvas().rgb;
      int[] drawn = rgb.clone();
      Lighting lighting = new Lighting(spec);
      lighting.apply(d.canvas(), Lighting.Precision.EXACT);
      int[] exact = rgb.clone();
      System.arraycopy(drawn, 0, rgb, 0, rgb.length);
      lighting.apply(d.canvas(), Lighting.Precision.FAST);
      diff = diff.plus(Diff.of(exact, rgb));
      d.canvas().dispose();
    }
    // every weather at every time of day, and tunnels (their own light) at every time of day
    assertThat(seen).hasSize(6 * 3 + 3);
    assertThat(diff.worst()).as("largest difference, %s", diff).isLessThanOrEqualTo(1);
    // today a few dozen channels in 20 million
    assertThat(diff.differing())
        .as("channels that differ, %s", diff)
        .isLessThan(diff.channels() / 10_000);
  }

  @Test
  void fastExposureAgreesWithExactUpToRounding() {
    SceneRenderer renderer = new SceneRenderer(W, H, false);
    for (int i = 0; i < 6; i++) {
      SceneRenderer.Drawn d = renderer.draw(21, i, false, -1);
      SceneSpec spec = d.spec();
      // without noise, the two evaluations differ only in rounding the exposed level
      spec.noise = 0;
      Sensor sensor = new Sensor(spec, d.canvas(), new Rng(1, i));
      byte[] exact = sensor.expose(new byte[W * H * 3], Lighting.Precision.EXACT);
      byte[] fast = sensor.expose(new byte[W * H * 3], Lighting.Precision.FAST);
      for (int k = 0; k < exact.length; k++) {
        assertThat(Math.abs((exact[k] & 255) - (fast[k] & 255)))
            .as("frame %d byte %d", i, k)
            .isLessThanOrEqualTo(1);
      }
      d.canvas().dispose();
    }
  }
}
