package dev.hydrastream.data.render;

import java.awt.Color;

/**
 * The domain-randomization knobs of one dataset frame, drawn from a stream of their own (so the
 * scene a seed gives is the same with and without them): surface textures, surface colours, sky,
 * sun and glare, precipitation density, the ego's hood or dashboard, and the lens and sensor (white
 * balance, gamma, saturation, vignetting, chromatic aberration, rolling exposure bands, directional
 * motion blur). None of them changes a label: they paint colour only, or draw unlabelled scenery
 * through the id buffer like everything else.
 *
 * <p>Ranges keep weather and time of day recognisable (a night stays dark, a clear day keeps its
 * contrast); within them the model cannot rely on a flat colour, a clean edge or a fixed sky.
 */
final class Randomization {
  /** Salt of the randomization stream ({@link Rng#independent}). */
  static final long SALT = 0x5EEDD0A1L;

  /** Seed of the frame's procedural textures. */
  final long textureSeed;

  /** Overall texture contrast: 0 flat, 1 strong. */
  final double texture;

  /** Seed of placements made for randomization (decals, distractors, extra objects). */
  final Rng rng;

  // ---- sky and sun
  /** Hue turn (fraction of the colour wheel), saturation and brightness factors of the sky. */
  final double skyHue;

  final double skySaturation;
  final double skyBrightness;

  /** Whiteness of the haze band just above the horizon, 0..1. */
  final double haze;

  /** Sun position in image pixels (may lie outside the frame) and the strength of its glare. */
  final double sunX;

  final double sunY;
  final double glare;

  /** Share of the sampled rain streaks, windshield drops and snow flakes that are drawn. */
  final double precipitation;

  // ---- ego vehicle
  /** What of the ego vehicle the camera sees. */
  enum Ego {
    NONE,
    HOOD,
    DASHBOARD
  }

  final Ego ego;

  // ---- lens and sensor
  final double[] whiteBalance;
  final double gamma;
  final double saturation;
  final double contrast;
  final double vignette;

  /** Lateral colour: red and blue scaled about the centre by 1 +- this (fraction of the radius). */
  final double aberration;

  /** Rolling exposure: amplitude, period (rows) and phase of bright and dark bands. */
  final double banding;

  final double bandPeriod;
  final double bandPhase;

  /** Directional motion blur length (pixels, 0 for none) and angle (radians). */
  final double blurLength;

  final double blurAngle;

  private Randomization(SceneSpec spec, Rng r) {
    int w = spec.camera.width;
    int h = spec.camera.height;
    double px = w / 1280.0;
    textureSeed = r.nextLong();
    texture = r.uniform(0.25, 1.0);
    rng = Rng.independent(r.nextLong(), 0, SALT);
    skyHue = r.gaussian() * 0.03;
    skySaturation = r.uniform(0.6, 1.35);
    skyBrightness = r.uniform(0.88, 1.12);
    haze = r.uniform(0, 0.6);
    boolean sunny =
        (spec.weather.equals("clear") || spec.weather.equals("partly cloudy")) && !spec.night();
    sunX = r.uniform(-0.3, 1.3) * w;
    sunY = spec.camera.horizon - r.uniform(-0.05, 0.9) * spec.camera.horizon;
    glare = sunny && r.chance(0.55) ? r.uniform(0.15, spec.dusk() ? 0.6 : 0.9) : 0;
    precipitation = r.chance(0.3) ? 1 : r.uniform(0.05, 1);
    ego =
        switch (r.weighted(0.5, 0.3, 0.2)) {
          case 1 -> Ego.HOOD;
          case 2 -> Ego.DASHBOARD;
          default -> Ego.NONE;
        };
    whiteBalance =
        new double[] {r.uniform(0.92, 1.08), r.uniform(0.96, 1.04), r.uniform(0.92, 1.08)};
    gamma = r.uniform(0.8, 1.25);
    saturation = r.uniform(0.55, 1.35);
    contrast = r.uniform(0.85, 1.15);
    vignette = r.chance(0.6) ? r.uniform(0.05, 0.45) : 0;
    aberration = r.chance(0.4) ? r.uniform(0.6, 2.5) * px / (0.5 * Math.hypot(w, h)) : 0;
    banding = r.chance(0.15) ? r.uniform(0.02, 0.07) : 0;
    bandPeriod = r.uniform(0.05, 0.4) * h;
    bandPhase = r.uniform(0, 2 * Math.PI);
    blurLength = r.chance(0.15) ? r.uniform(3, 12) * px : 0;
    blurAngle = r.gaussian() * 0.4;
  }

  /**
   * Samples the knobs of a frame and re-draws its surface colours over a wider range than the plain
   * renderer's (any grey or tinted asphalt, sidewalks of any paving, terrain from green to brown),
   * keeping snow white.
   */
  static Randomization sample(SceneSpec spec, Rng r) {
    Randomization d = new Randomization(spec, r);
    Color asphalt = Shapes.shade(tint(r, 95, 0.12), r.uniform(0.55, 1.3));
    if (spec.weather.equals("rainy")) {
      asphalt = Shapes.shade(asphalt, 0.75);
    }
    Color sidewalk =
        r.chance(0.25)
            ? Shapes.shade(new Color(150, 85, 70), r.uniform(0.7, 1.2))
            : Shapes.shade(tint(r, 150, 0.1), r.uniform(0.55, 1.3));
    Color terrain =
        Shapes.mix(
            new Color(70, 115, 45), new Color(150, 130, 90), r.uniform(0, 1)); // grass to dirt
    terrain = Shapes.shade(terrain, r.uniform(0.7, 1.2));
    if (spec.scene.equals("city street") || spec.scene.equals("parking lot") || r.chance(0.2)) {
      terrain = Shapes.shade(tint(r, 115, 0.08), r.uniform(0.7, 1.25));
    }
    // worn paint, but at least ~50 grey levels over the lightest asphalt
    Color paint = Shapes.shade(new Color(235, 235, 228), r.uniform(0.75, 1.0));
    if (spec.weather.equals("snowy")) {
      terrain = spec.palette.terrain();
      sidewalk = Shapes.mix(sidewalk, new Color(230, 235, 240), 0.75);
      asphalt = Shapes.mix(asphalt, new Color(200, 205, 210), 0.25);
    }
    spec.palette = new SceneSpec.Palette(asphalt, sidewalk, terrain, paint);
    return d;
  }

  /** A grey of level {@code level} with a random tint of up to {@code amount}. */
  private static Color tint(Rng r, int level, double amount) {
    double t = r.uniform(-amount, amount);
    double u = r.uniform(-amount, amount);
    return new Color(
        clamp(level * (1 + t)), clamp(level * (1 + u * 0.5)), clamp(level * (1 - t * 0.7 + u)));
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
