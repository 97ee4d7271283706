package dev.hydrastream.data.render;

import java.util.List;

/**
 * The pass after geometry that turns a drawn canvas into a frame: lighting, then lamps and their
 * glows, then falling weather, then the sensor. None of them touches the id or lane buffers, so
 * labels stay true whatever the weather.
 *
 * <p>Dataset and video frames go through this one sequence and the same models; {@code video} says
 * what differs: video lights and exposes with {@link Lighting.Precision#FAST}, draws lamps in depth
 * order ({@link #emit}), blends rain and snow straight into the pixels, and keeps windshield drops
 * for the whole clip.
 *
 * <p>A randomized dataset frame ({@link Randomization}) is textured before lighting, gets sun glare
 * before the sensor and the camera's processing after it.
 */
final class Effects {
  private final Canvas canvas;
  private final Lighting.Precision precision;
  private final Lighting lighting;
  private final Lamps lamps;
  private final Weather weather;
  private final Sensor sensor;

  /** Randomized frames: textures, glare and the camera's processing; else null. */
  private final Lens lens;

  private final SceneSpec spec;

  /**
   * @param rng the frame's stream: rain, snow and sensor noise
   * @param dropRng windshield drops: the frame's stream for datasets, a clip-wide one for video
   * @param video whether this is a video frame
   */
  Effects(SceneSpec spec, Canvas canvas, Rng rng, Rng dropRng, boolean video) {
    this.canvas = canvas;
    this.precision = video ? Lighting.Precision.FAST : Lighting.Precision.EXACT;
    this.lighting = new Lighting(spec);
    this.lamps = new Lamps(spec, canvas, video);
    this.weather = new Weather(spec, canvas, rng, dropRng, video);
    this.sensor = new Sensor(spec, canvas, rng);
    this.spec = spec;
    this.lens = spec.dr == null ? null : new Lens(spec);
  }

  /** Video: draws an item's lamps right after the item, so that nearer items hide them. */
  void emit(Item item) {
    lamps.emit(item);
  }

  /**
   * Lights the canvas, adds lamps, glows and weather, and exposes it into {@code bgr}.
   *
   * @param items everything drawn, for its lights
   * @param bgr {@code width * height * 3} bytes, interleaved BGR; returned
   */
  byte[] apply(List<Item> items, byte[] bgr) {
    if (lens != null) {
      new Textures(spec, canvas).apply();
    }
    lighting.apply(canvas, precision);
    lamps.glow(items);
    weather.draw();
    if (lens == null) {
      return sensor.expose(bgr, precision);
    }
    lens.glare(canvas);
    sensor.expose(bgr, precision);
    lens.develop(bgr, canvas.width, canvas.height);
    return bgr;
  }
}
