package dev.hydrastream.cli;

import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Perception;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Draws a result over its frame: segmentation tint, boxes with labels, attributes banner. */
final class Overlay {
  private static final Color[] SEG = {
    null, new Color(40, 200, 80, 110), new Color(60, 120, 255, 100), new Color(255, 230, 0, 190)
  };

  private Overlay() {}

  static void draw(Path image, Perception r, Path out) throws IOException {
    draw(image, r, out, null);
  }

  /** As {@link #draw(Path, Perception, Path)}, outlining a labelled road polygon if given. */
  static void draw(Path image, Perception r, Path out, int[][] road) throws IOException {
    BufferedImage src = ImageIO.read(image.toFile());
    if (src == null) {
      throw new IOException(image + ": cannot read for the overlay");
    }
    BufferedImage img =
        new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.drawImage(src, 0, 0, null);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    if (r.segmentation() != null) {
      int gw = Math.max(1, img.getWidth() / 4);
      int gh = Math.max(1, img.getHeight() / 4);
      byte[] grid = r.segmentation().toFrameGrid(gw, gh);
      for (int y = 0; y < gh; y++) {
        for (int x = 0; x < gw; x++) {
          int c = grid[y * gw + x] & 255;
          if (c > 0 && c < SEG.length) {
            g.setColor(SEG[c]);
            g.fillRect(x * 4, y * 4, 4, 4);
          }
        }
      }
    }
    float scale = img.getWidth() / 1280f;
    if (road != null) {
      java.awt.Polygon p = new java.awt.Polygon();
      for (int[] pt : road) {
        p.addPoint(pt[0], pt[1]);
      }
      g.setColor(new Color(0, 230, 255));
      g.setStroke(
          new BasicStroke(
              Math.max(2.5f, 3 * scale),
              BasicStroke.CAP_BUTT,
              BasicStroke.JOIN_MITER,
              10,
              new float[] {8 * Math.max(1, scale), 6 * Math.max(1, scale)},
              0));
      g.drawPolygon(p);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.round(14 * scale))));
    g.setStroke(new BasicStroke(Math.max(1.5f, 2 * scale)));
    for (DetectedObject d : r.detections()) {
      Color c = Color.getHSBColor(Math.abs(d.category().hashCode() % 360) / 360f, 0.8f, 1f);
      g.setColor(c);
      int x = (int) d.box().x1();
      int y = (int) d.box().y1();
      g.drawRect(x, y, (int) d.box().width(), (int) d.box().height());
      g.drawString(String.format("%s %.2f", d.category(), d.score()), x, Math.max(12, y - 3));
    }
    String banner =
        String.format(
            "%s | %s | %s",
            r.weather() == null ? "-" : r.weather().label(),
            r.timeofday() == null ? "-" : r.timeofday().label(),
            r.scene() == null ? "-" : r.scene().label());
    g.setColor(new Color(0, 0, 0, 160));
    g.fillRect(0, 0, img.getWidth(), Math.round(26 * Math.max(1, scale)));
    g.setColor(Color.WHITE);
    g.drawString(banner, 8, Math.round(18 * Math.max(1, scale)));
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }
}
