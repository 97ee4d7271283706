package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;

/** Paints the sky (colour only: the sky owns no label) for the weather and time of day. */
final class Sky {
  private Sky() {}

  static Color[] colours(String weather, String tod) {
    int t =
        switch (tod) {
          case "night" -> 2;
          case "dawn/dusk" -> 1;
          default -> 0;
        };
    int[][][] table =
        switch (weather) {
          case "clear" ->
              new int[][][] {
                {{55, 115, 210}, {170, 205, 240}},
                {{60, 60, 130}, {250, 155, 85}},
                {{4, 7, 20}, {22, 28, 50}}
              };
          case "partly cloudy" ->
              new int[][][] {
                {{70, 130, 215}, {180, 210, 238}},
                {{80, 70, 135}, {245, 165, 110}},
                {{10, 12, 24}, {32, 34, 52}}
              };
          case "overcast" ->
              new int[][][] {
                {{165, 170, 178}, {200, 203, 208}},
                {{120, 110, 120}, {190, 150, 130}},
                {{22, 22, 28}, {45, 42, 48}}
              };
          case "rainy" ->
              new int[][][] {
                {{95, 100, 110}, {135, 140, 146}},
                {{75, 72, 85}, {135, 115, 112}},
                {{14, 14, 19}, {34, 34, 40}}
              };
          case "snowy" ->
              new int[][][] {
                {{192, 198, 208}, {222, 225, 230}},
                {{150, 145, 160}, {212, 182, 172}},
                {{42, 42, 50}, {72, 72, 80}}
              };
          default ->
              new int[][][] {
                {{188, 190, 194}, {206, 208, 211}},
                {{160, 150, 150}, {200, 180, 165}},
                {{46, 46, 50}, {62, 62, 66}}
              };
        };
    int[][] c = table[t];
    return new Color[] {new Color(c[0][0], c[0][1], c[0][2]), new Color(c[1][0], c[1][1], c[1][2])};
  }

  static void paint(Canvas canvas, SceneSpec spec, Rectangle2D.Double area, Rng rng) {
    Color[] c = colours(spec.weather, spec.timeofday);
    float top = (float) Math.max(0, spec.camera.horizon - spec.camera.height * 0.55);
    if (spec.dr == null) {
      canvas.colourOnly(
          area, new GradientPaint(0, top, c[0], 0, (float) spec.camera.horizon, c[1]));
    } else {
      c = randomized(c, spec.dr);
      canvas.colourOnly(area, gradient(c, spec.dr, top, (float) spec.camera.horizon));
    }
    boolean night = spec.timeofday.equals("night");
    int w = spec.camera.width;
    double hz = spec.camera.horizon;
    switch (spec.weather) {
      case "partly cloudy" ->
          clouds(
              canvas,
              rng,
              w,
              hz,
              rng.range(5, 12),
              night
                  ? new Color(55, 55, 65)
                  : spec.timeofday.equals("dawn/dusk")
                      ? new Color(235, 190, 175)
                      : new Color(245, 246, 250),
              0.45,
              1.0);
      case "overcast", "rainy" ->
          clouds(canvas, rng, w, hz, rng.range(6, 12), Shapes.shade(c[0], 0.85), 0.8, 2.2);
      case "clear" -> {
        if (night) {
          for (int i = 0; i < 60; i++) {
            double x = rng.uniform(0, w);
            double y = rng.uniform(0, hz * 0.8);
            canvas.colourOnly(new Rectangle2D.Double(x, y, 1.5, 1.5), new Color(200, 200, 210));
          }
        }
      }
      default -> {}
    }
  }

  /** The sky's two colours turned in hue and scaled in saturation and brightness. */
  private static Color[] randomized(Color[] c, Randomization dr) {
    Color[] out = new Color[c.length];
    for (int i = 0; i < c.length; i++) {
      float[] hsb = Color.RGBtoHSB(c[i].getRed(), c[i].getGreen(), c[i].getBlue(), null);
      float hue = (float) (hsb[0] + dr.skyHue);
      float sat = (float) Math.min(1, hsb[1] * dr.skySaturation);
      float bri = (float) Math.min(1, hsb[2] * dr.skyBrightness);
      out[i] = Color.getHSBColor(hue, sat, bri);
    }
    return out;
  }

  /** Zenith to horizon through a middle stop, with a paler haze band just above the horizon. */
  private static java.awt.Paint gradient(Color[] c, Randomization dr, float top, float horizon) {
    Color mid = Shapes.mix(c[0], c[1], 0.55);
    Color haze = Shapes.mix(c[1], new Color(235, 235, 232), dr.haze * (c[1].getRed() / 255.0));
    if (horizon - top < 4) {
      return c[1];
    }
    return new java.awt.LinearGradientPaint(
        0, top, 0, horizon, new float[] {0f, 0.6f, 0.93f, 1f}, new Color[] {c[0], mid, c[1], haze});
  }

  private static void clouds(
      Canvas canvas,
      Rng rng,
      int w,
      double hz,
      int n,
      Color colour,
      double minScale,
      double maxScale) {
    for (int i = 0; i < n; i++) {
      double cx = rng.uniform(-0.1 * w, 1.1 * w);
      double cy = rng.uniform(hz * 0.05, hz * 0.8);
      double s = rng.uniform(minScale, maxScale) * w * 0.08;
      int puffs = rng.range(3, 6);
      for (int p = 0; p < puffs; p++) {
        double px = cx + rng.uniform(-1.2, 1.2) * s;
        double py = cy + rng.uniform(-0.3, 0.3) * s;
        double rw = s * rng.uniform(0.6, 1.2);
        double rh = rw * rng.uniform(0.35, 0.6);
        Color shade = Shapes.shade(colour, rng.uniform(0.9, 1.03));
        canvas.colourOnly(
            new Ellipse2D.Double(px - rw, py - rh, 2 * rw, 2 * rh),
            new Color(shade.getRed(), shade.getGreen(), shade.getBlue(), 210));
      }
    }
  }
}
