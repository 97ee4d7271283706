package dev.hydrastream.data.render;

import dev.hydrastream.spec.Head;
import java.awt.Color;

/** The sampled parameters of one frame: what it shows, from where, and through what sensor. */
final class SceneSpec {
  String scene;
  String weather;
  String timeofday;
  Camera camera;
  int lanes;
  int opposing;
  int egoLane;
  double laneWidth;
  double egoCentre;
  double curvature;
  boolean intersection;
  boolean crosswalk;
  boolean markings;
  boolean edgeLines;
  boolean doubleCentre;
  double dashPhase;
  double hood;
  boolean sodium;
  Palette palette;
  int jpegQuality;
  double blurSigma;
  int motionBlur;
  double exposure;
  double noise;
  double fogVisibility;

  /** Domain randomization of a dataset frame, or null (plain frames, video). */
  Randomization dr;

  /** Tunnel scenes: depth of the exit and its image area (where weather is visible). */
  double tunnelExit;

  java.awt.Rectangle exitArea = new java.awt.Rectangle();

  boolean night() {
    return timeofday.equals("night");
  }

  boolean dusk() {
    return timeofday.equals("dawn/dusk");
  }

  /** Whether lamps and lights are on: at night and at dusk. */
  boolean lit() {
    return night() || dusk();
  }

  /** Surface colours of a scene. */
  record Palette(Color asphalt, Color sidewalk, Color terrain, Color paint) {}

  static SceneSpec sample(Rng r, int width, int height) {
    SceneSpec s = new SceneSpec();
    s.scene = Head.SCENE.labels().get(r.range(0, Head.SCENE.labels().size() - 1));
    s.weather = Head.WEATHER.labels().get(r.range(0, Head.WEATHER.labels().size() - 1));
    s.timeofday = Head.TIMEOFDAY.labels().get(r.weighted(0.45, 0.25, 0.30));

    double camHeight = r.chance(0.15) ? r.uniform(2.0, 2.6) : r.uniform(1.2, 1.65);
    double focal = width * r.uniform(0.6, 0.85);
    double horizon = height * r.uniform(0.38, 0.56);
    double roll = Math.max(-0.035, Math.min(0.035, r.gaussian() * 0.012));
    s.camera = new Camera(width, height, focal, horizon, camHeight, roll);

    switch (s.scene) {
      case "highway" -> {
        s.lanes = r.range(3, 5);
        s.opposing = 0;
        s.laneWidth = r.uniform(3.5, 3.8);
        s.curvature = r.gaussian() * 0.00025;
        s.intersection = false;
      }
      case "city street" -> {
        s.lanes = r.range(2, 4);
        s.opposing = r.chance(0.7) ? Math.max(1, s.lanes / 2) : 0;
        s.laneWidth = r.uniform(3.0, 3.4);
        s.curvature = r.gaussian() * 0.0004;
        s.intersection = r.chance(0.6);
      }
      case "residential" -> {
        s.lanes = r.range(1, 2);
        s.opposing = s.lanes == 2 ? 1 : 0;
        s.laneWidth = r.uniform(2.9, 3.4);
        s.curvature = r.gaussian() * 0.0008;
        s.intersection = r.chance(0.35);
      }
      case "tunnel" -> {
        s.lanes = 2;
        s.opposing = r.chance(0.3) ? 1 : 0;
        s.laneWidth = r.uniform(3.4, 3.7);
        s.curvature = r.gaussian() * 0.0003;
      }
      case "gas stations" -> {
        s.lanes = r.range(1, 3);
        s.opposing = s.lanes >= 2 ? 1 : 0;
        s.laneWidth = r.uniform(3.0, 3.5);
        s.curvature = r.gaussian() * 0.0002;
      }
      default -> {
        // parking lot: lanes are aisles, laid out by ParkingLotScene
        s.lanes = 1;
        s.opposing = 0;
        s.laneWidth = 6.5;
        s.curvature = 0;
      }
    }
    s.egoLane = r.range(s.opposing, s.lanes - 1);
    s.egoCentre = r.uniform(-0.35, 0.35);
    s.crosswalk = r.chance(0.7);
    s.markings = !s.scene.equals("residential") || r.chance(0.55);
    s.edgeLines = s.scene.equals("highway") || s.scene.equals("tunnel") || r.chance(0.4);
    s.doubleCentre = r.chance(0.6);
    s.dashPhase = r.uniform(0, 9);
    s.hood = r.chance(0.4) ? r.uniform(0.05, 0.13) : 0;
    s.sodium = r.chance(0.5);

    boolean snowy = s.weather.equals("snowy");
    boolean wet = s.weather.equals("rainy");
    Color asphalt = Shapes.shade(new Color(88, 88, 92), r.uniform(0.75, 1.2));
    if (wet) {
      asphalt = Shapes.shade(asphalt, 0.7);
    }
    Color sidewalk = Shapes.shade(new Color(165, 160, 150), r.uniform(0.85, 1.1));
    Color terrain =
        s.scene.equals("highway") || s.scene.equals("residential") || s.scene.equals("gas stations")
            ? Shapes.mix(new Color(80, 120, 50), new Color(140, 130, 80), r.uniform(0, 0.6))
            : Shapes.shade(new Color(120, 115, 105), r.uniform(0.8, 1.1));
    if (snowy) {
      terrain = new Color(225, 230, 238);
      sidewalk = Shapes.mix(sidewalk, new Color(230, 235, 240), 0.75);
      asphalt = Shapes.mix(asphalt, new Color(200, 205, 210), 0.25);
    }
    Color paint = Shapes.shade(new Color(235, 235, 230), r.uniform(0.85, 1.0));
    s.palette = new Palette(asphalt, sidewalk, terrain, paint);

    s.jpegQuality = r.range(60, 95);
    s.blurSigma = r.chance(0.4) ? r.uniform(0.4, 1.4) : 0;
    s.motionBlur = r.chance(0.15) ? r.range(3, 9) : 0;
    s.exposure = r.uniform(0.85, 1.15);
    s.noise = s.timeofday.equals("night") ? r.uniform(4, 10) : r.uniform(1, 5);
    s.fogVisibility =
        switch (s.weather) {
          case "foggy" -> r.uniform(22, 60);
          case "rainy" -> r.uniform(300, 600);
          case "snowy" -> r.uniform(260, 500);
          case "overcast" -> r.uniform(400, 700);
          default -> r.uniform(900, 1600);
        };
    return s;
  }
}
