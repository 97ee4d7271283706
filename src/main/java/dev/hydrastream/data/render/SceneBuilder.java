package dev.hydrastream.data.render;

/**
 * One scene type: lays out its road, scenery and objects in a {@link SceneBuild}, composing the
 * shared helpers the build holds (road surface, traffic, people, street furniture, scenery).
 *
 * <p>For video a scene is built in passes (see {@link VideoPass}); a builder makes only what the
 * pass asks for ({@link SceneBuild#roadside}, {@link SceneBuild#anchored}, {@link
 * SceneBuild#moving}). Builders hold no state.
 */
interface SceneBuilder {

  /** Adds the scene's items to {@code b}. */
  void build(SceneBuild b);

  /** The builder of a BDD100K scene type ({@link dev.hydrastream.spec.Taxonomy#SCENE}). */
  static SceneBuilder of(String scene) {
    return switch (scene) {
      case "city street" -> new CityScene();
      case "highway" -> new HighwayScene();
      case "residential" -> new ResidentialScene();
      case "parking lot" -> new ParkingLotScene();
      case "tunnel" -> new TunnelScene();
      default -> new GasStationScene();
    };
  }
}
