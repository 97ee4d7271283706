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
 */
final class Effects {
  private final Canvas canvas;
  private final Lighting.Precision precision;
  private final Lighting lighting;
  private final Lamps lamps;
  private final Weather weather;
  private final Sensor sensor;

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
    lighting.apply(canvas, precision);
    lamps.glow(items);
    weather.draw();
    return sensor.expose(bgr, precision);
  }
}
