package dev.hydrastream.data.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Three aligned buffers drawn in lock step: the colour image, an id buffer that records which
 * element owns each pixel (labels are read from it), and a lane-marking buffer. Antialiasing is off
 * everywhere so that every pixel belongs to exactly one element in all buffers.
 *
 * <p>In flat mode (used by tests) every element is painted with a colour equal to its id and
 * colour-only effects are skipped, so label truth can be checked against the colour pixels.
 */
final class Canvas {
  /** Id of sky / nothing. */
  static final int SKY = 0;

  static final int ROAD_DIRECT = 1;
  static final int ROAD_ALT = 2;

  /** Non-drivable paved surface: sidewalks, shoulders, parking stalls. */
  static final int PAVEMENT = 3;

  static final int TERRAIN = 4;

  /** Video: pixels of a lamp drawn in depth order; they emit light, so lighting skips them. */
  static final int EMISSIVE = 5;

  static final int FIRST_SCENERY = 16;
  static final int FIRST_OBJECT = 4096;
  static final int MAX_ID = 1 << 16;

  /** Flat-mode colour of lane markings (never an id). */
  static final int LANE_FLAT_COLOR = 0xFF0000;

  /** How a pixel's depth is found for an element id. */
  enum DepthKind {
    /** One depth for the whole element. */
    FIXED,
    /** Ground plane: from the image row. */
    GROUND,
    /** Vertical plane parallel to the road at lateral x = param: from the image column. */
    PLANE_X,
    /** Horizontal plane at height param (ceilings): from the image row. */
    PLANE_Y,
    /** Sky: infinitely far. */
    INFINITE
  }

  final int width;
  final int height;
  final boolean flat;
  final BufferedImage rgbImage;
  final int[] rgb;
  final BufferedImage idImage;
  final int[] ids;
  final BufferedImage laneImage;
  final byte[] lane;
  final Graphics2D g;
  final Graphics2D gi;
  final Graphics2D gl;
  final DepthKind[] depthKind = new DepthKind[MAX_ID];
  final float[] depthParam = new float[MAX_ID];
  private final AffineTransform transform;
  private int nextScenery = FIRST_SCENERY;

  /** Video: subtracted from FIXED scenery depths so they are camera depths (0 for datasets). */
  double depthShift;

  Canvas(int width, int height, double roll, boolean flat) {
    this(width, height, roll, flat, true);
  }

  /**
   * @param laneBuffer false for video frames, which need no lane mask: markings then paint the
   *     colour image only
   */
  Canvas(int width, int height, double roll, boolean flat, boolean laneBuffer) {
    this.width = width;
    this.height = height;
    this.flat = flat;
    rgbImage = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    rgb = ((DataBufferInt) rgbImage.getRaster().getDataBuffer()).getData();
    idImage = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    ids = ((DataBufferInt) idImage.getRaster().getDataBuffer()).getData();
    laneImage = laneBuffer ? new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY) : null;
    lane = laneBuffer ? ((DataBufferByte) laneImage.getRaster().getDataBuffer()).getData() : null;
    transform = AffineTransform.getRotateInstance(roll, width / 2.0, height / 2.0);
    g = prepare(rgbImage.createGraphics());
    gi = prepare(idImage.createGraphics());
    gl = laneBuffer ? prepare(laneImage.createGraphics()) : null;
    depthKind[SKY] = DepthKind.INFINITE;
    depthKind[ROAD_DIRECT] = DepthKind.GROUND;
    depthKind[ROAD_ALT] = DepthKind.GROUND;
    depthKind[PAVEMENT] = DepthKind.GROUND;
    depthKind[TERRAIN] = DepthKind.GROUND;
  }

  private Graphics2D prepare(Graphics2D graphics) {
    hints(graphics);
    graphics.setTransform(transform);
    return graphics;
  }

  /** The rendering hints every buffer uses, so that all of them rasterise a shape alike. */
  static void hints(Graphics2D graphics) {
    graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
    graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }

  AffineTransform transform() {
    return transform;
  }

  /**
   * Video: makes the canvas ready for the next frame of the same clip; the caller restores the
   * pixels (sky and terrain) itself. Element ids are handed out afresh; depths of ids that no pixel
   * carries any more are never read.
   */
  void reset() {
    nextScenery = FIRST_SCENERY;
    depthShift = 0;
  }

  /** Allocates an id for a scenery element with the given depth model. */
  int scenery(DepthKind kind, double param) {
    int id = nextScenery++;
    if (id >= FIRST_OBJECT) {
      throw new IllegalStateException("too many scenery elements");
    }
    depthKind[id] = kind;
    depthParam[id] = (float) (kind == DepthKind.FIXED ? param - depthShift : param);
    return id;
  }

  void objectDepth(int id, double depth) {
    depthKind[id] = DepthKind.FIXED;
    depthParam[id] = (float) depth;
  }

  /** Paints {@code shape} in the colour image and claims its pixels for {@code id}. */
  void fill(Shape shape, Paint paint, int id) {
    g.setPaint(flat ? new Color(id) : paint);
    g.fill(shape);
    gi.setColor(new Color(id));
    gi.fill(shape);
  }

  /** Paints the colour image only: shading, lights, weather; never changes labels. */
  void colourOnly(Shape shape, Paint paint) {
    if (!flat) {
      g.setPaint(paint);
      g.fill(shape);
    }
  }

  /** Paints a lane marking: colour image and lane buffer; the road keeps owning the pixels. */
  void laneMarking(Shape shape, Paint paint) {
    g.setPaint(flat ? new Color(LANE_FLAT_COLOR) : paint);
    g.fill(shape);
    if (gl != null) {
      gl.setColor(Color.WHITE);
      gl.fill(shape);
    }
  }

  /** Device-space bounds of a shape after the roll transform, clipped to nothing. */
  Rectangle deviceBounds(Shape shape) {
    return transform.createTransformedShape(shape).getBounds();
  }

  void dispose() {
    g.dispose();
    gi.dispose();
    if (gl != null) {
      gl.dispose();
    }
  }
}
