package dev.hydrastream.data.render;

/**
 * Base of the helpers that place one kind of thing into a {@link SceneBuild} (road surface,
 * traffic, people, street furniture, scenery): the build's shared state, at hand.
 */
abstract class Placer {
  final SceneBuild b;
  final SceneSpec spec;
  final Rng rng;
  final Camera cam;
  final Canvas canvas;
  final Road road;

  /** Whether lamps and lights are on: at night and at dusk. */
  final boolean lit;

  Placer(SceneBuild b) {
    this.b = b;
    this.spec = b.spec;
    this.rng = b.rng;
    this.cam = b.cam;
    this.canvas = b.canvas;
    this.road = b.road;
    this.lit = b.lit;
  }
}
