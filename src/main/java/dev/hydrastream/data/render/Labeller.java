package dev.hydrastream.data.render;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Taxonomy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a dataset frame's labels back from its pixels: detection boxes from the pixels each object
 * still owns in the id buffer, occlusion and truncation from each object's silhouette drawn alone,
 * and the drivable-area and lane masks from the road ids and the lane buffer.
 */
final class Labeller {
  /** BDD100K lane-mask value the renderer writes for every lane marking. */
  static final int LANE_MARKING = 0x06;

  private final int width;
  private final int height;

  /** In-image and total pixel counts of an object's unoccluded silhouette. */
  record Silhouette(Item item, Rectangle bounds, int inImage, int total) {}

  /** The drivable-area and lane masks of a frame, BDD100K values. */
  record Masks(byte[] drivable, byte[] lane) {}

  Labeller(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** The silhouette of {@code item} as {@code canvas} would draw it, nothing in front. */
  Silhouette silhouette(Canvas canvas, Item item) {
    Rectangle b = null;
    for (Item.Part p : item.parts) {
      if (p.mode() == Item.Mode.FILL) {
        Rectangle r = canvas.deviceBounds(p.shape());
        b = b == null ? r : b.union(r);
      }
    }
    if (b == null || b.width <= 0 || b.height <= 0) {
      return new Silhouette(item, new Rectangle(), 0, 0);
    }
    b.grow(1, 1);
    // bound the scratch buffer; objects are never much larger than the frame
    int w = Math.min(b.width, 4 * width);
    int h = Math.min(b.height, 4 * height);
    BufferedImage scratch = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = scratch.createGraphics();
    Canvas.hints(g);
    AffineTransform t = AffineTransform.getTranslateInstance(-b.x, -b.y);
    t.concatenate(canvas.transform());
    g.setTransform(t);
    g.setColor(Color.WHITE);
    for (Item.Part p : item.parts) {
      if (p.mode() == Item.Mode.FILL) {
        g.fill(p.shape());
      }
    }
    g.dispose();
    byte[] px = ((DataBufferByte) scratch.getRaster().getDataBuffer()).getData();
    int total = 0;
    int inside = 0;
    for (int y = 0; y < h; y++) {
      int gy = y + b.y;
      boolean rowIn = gy >= 0 && gy < height;
      for (int x = 0; x < w; x++) {
        if (px[y * w + x] != 0) {
          total++;
          int gx = x + b.x;
          if (rowIn && gx >= 0 && gx < width) {
            inside++;
          }
        }
      }
    }
    return new Silhouette(item, b, inside, total);
  }

  /** A label for every object that is visible enough, in object id order. */
  List<DetLabel> labels(Canvas canvas, List<Silhouette> silhouettes) {
    int n = Canvas.MAX_ID;
    int[] minX = new int[n];
    int[] minY = new int[n];
    int[] maxX = new int[n];
    int[] maxY = new int[n];
    int[] count = new int[n];
    int[] ids = canvas.ids;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int id = ids[y * width + x] & 0xFFFFFF;
        if (id < Canvas.FIRST_OBJECT) {
          continue;
        }
        if (count[id]++ == 0) {
          minX[id] = x;
          maxX[id] = x;
          minY[id] = y;
          maxY[id] = y;
        } else {
          minX[id] = Math.min(minX[id], x);
          maxX[id] = Math.max(maxX[id], x);
          minY[id] = Math.min(minY[id], y);
          maxY[id] = Math.max(maxY[id], y);
        }
      }
    }
    List<DetLabel> labels = new ArrayList<>();
    silhouettes.sort(Comparator.comparingInt(s -> s.item().objectId));
    for (Silhouette s : silhouettes) {
      int id = s.item().objectId;
      int visible = count[id];
      if (visible < SceneRenderer.MIN_VISIBLE_PIXELS
          || maxX[id] - minX[id] + 1 < SceneRenderer.MIN_BOX_SIDE
          || maxY[id] - minY[id] + 1 < SceneRenderer.MIN_BOX_SIDE) {
        continue;
      }
      boolean occluded = visible < s.inImage() * (1 - SceneRenderer.OCCLUSION_FRACTION);
      boolean truncated = s.inImage() < s.total();
      labels.add(
          new DetLabel(
              id,
              s.item().category,
              new Box(minX[id], minY[id], maxX[id], maxY[id]),
              occluded,
              truncated,
              s.item().lightColor));
    }
    return labels;
  }

  /** Drivable area from the road ids; lane markings where the lane buffer marks road pixels. */
  Masks masks(Canvas canvas) {
    byte[] drivable = new byte[width * height];
    byte[] lane = new byte[width * height];
    int[] ids = canvas.ids;
    for (int p = 0; p < ids.length; p++) {
      int id = ids[p] & 0xFFFFFF;
      drivable[p] =
          (byte)
              (id == Canvas.ROAD_DIRECT
                  ? Taxonomy.DRIVABLE_DIRECT
                  : id == Canvas.ROAD_ALT
                      ? Taxonomy.DRIVABLE_ALTERNATIVE
                      : Taxonomy.DRIVABLE_BACKGROUND);
      boolean road = id == Canvas.ROAD_DIRECT || id == Canvas.ROAD_ALT;
      lane[p] = (byte) (road && canvas.lane[p] != 0 ? LANE_MARKING : Taxonomy.LANE_BACKGROUND);
    }
    return new Masks(drivable, lane);
  }
}
