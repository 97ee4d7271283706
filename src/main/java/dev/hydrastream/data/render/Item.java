package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.Paint;
import java.awt.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Something drawn in the scene: scenery or a labelled object, as a list of filled parts in drawing
 * order plus the lights it emits. Items are drawn far to near (painter's order).
 */
final class Item {

  /** How a part is drawn. */
  enum Mode {
    /** Colour and id buffers. */
    FILL,
    /** Colour only (shading, decals that are not labels). */
    COLOUR,
    /** Colour and lane buffer (road markings). */
    LANE
  }

  /** One filled shape. */
  record Part(Shape shape, Paint paint, int id, Mode mode) {}

  /**
   * A light drawn after the lighting pass at full brightness.
   *
   * @param shape the lamp itself (already part of the item's geometry)
   * @param color lamp colour
   * @param glowRadius radius of the glow in pixels (0 for none)
   * @param depth distance in metres, for fog attenuation
   * @param nightOnly drawn only at night and dusk (headlights, windows); else always (signals)
   * @param reflect true if it leaves a streak on a wet road
   */
  record Light(
      Shape shape,
      Color color,
      double glowRadius,
      double depth,
      boolean nightOnly,
      boolean reflect) {}

  /** Depth for painter's order and fog; local to the road section for video frames. */
  double depth;

  /**
   * Video only: the depth the builder placed the item at, before any motion; it decides which road
   * section owns the item (a walker that wanders past a section's end still belongs to it).
   */
  final double anchor;

  /**
   * Video only: the section's shift; {@code depth - shift} is the camera depth (0 for datasets).
   */
  double shift;

  /**
   * Video only: built solely from polygons that the camera clips (walls, facades, houses), so it
   * may reach past the camera; other items are dropped once their depth is behind the near plane.
   */
  boolean extended;

  /** Object id for labelled objects, or -1 for scenery. */
  final int objectId;

  /** det_20 category, or null for scenery. */
  final String category;

  /** Traffic-light colour for traffic lights, else null. */
  String lightColor;

  final List<Part> parts = new ArrayList<>();
  final List<Light> lights = new ArrayList<>();

  Item(double depth, int objectId, String category) {
    this.depth = depth;
    this.anchor = depth;
    this.objectId = objectId;
    this.category = category;
  }

  static Item scenery(double depth) {
    return new Item(depth, -1, null);
  }

  /** Depth from the camera (video); equals {@link #depth} for datasets. */
  double viewDepth() {
    return depth - shift;
  }

  boolean isObject() {
    return objectId >= 0;
  }

  Item fill(Shape s, Paint p, int id) {
    parts.add(new Part(s, p, id, Mode.FILL));
    return this;
  }

  Item colour(Shape s, Paint p) {
    parts.add(new Part(s, p, -1, Mode.COLOUR));
    return this;
  }

  Item lane(Shape s, Paint p) {
    parts.add(new Part(s, p, -1, Mode.LANE));
    return this;
  }

  void draw(Canvas c) {
    for (Part p : parts) {
      switch (p.mode()) {
        case FILL -> c.fill(p.shape(), p.paint(), p.id());
        case COLOUR -> c.colourOnly(p.shape(), p.paint());
        case LANE -> c.laneMarking(p.shape(), p.paint());
      }
    }
  }
}
