package dev.hydrastream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Minimal charts as PNG for benchmark results: grouped bars. */
public final class Charts {
  private static final Color[] COLOURS = {new Color(31, 119, 180), new Color(255, 127, 14),
      new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189)};

  private Charts() {}

  /**
   * Writes a chart with one group per category and one bar per series.
   *
   * @param values values[series][category]
   */
  public static void bars(Path file, String title, String yLabel, List<String> categories,
      List<String> series, double[][] values) throws IOException {
    int w = 1000;
    int h = 560;
    int left = 80;
    int right = 30;
    int top = 60;
    int bottom = 90;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double max = 0;
    for (double[] s : values) {
      for (double v : s) {
        max = Math.max(max, v);
      }
    }
    max = max <= 0 ? 1 : max * 1.1;
    int plotH = h - top - bottom;
    int plotW = w - left - right;
    g.setColor(new Color(230, 230, 230));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 5; i++) {
      int y = top + plotH - plotH * i / 5;
      g.setColor(new Color(230, 230, 230));
      g.drawLine(left, y, w - right, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%.1f", max * i / 5), 10, y + 4);
    }
    int groups = categories.size();
    int groupW = plotW / Math.max(1, groups);
    int barW = Math.max(4, (groupW - 20) / Math.max(1, series.size()));
    for (int c = 0; c < groups; c++) {
      int gx = left + c * groupW + 10;
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][c];
        int bh = (int) Math.round(plotH * v / max);
        g.setColor(COLOURS[s % COLOURS.length]);
        g.fillRect(gx + s * barW, top + plotH - bh, barW - 2, bh);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format("%.1f", v), gx + s * barW, top + plotH - bh - 4);
      }
      g.drawString(categories.get(c), gx, top + plotH + 18);
    }
    g.setStroke(new BasicStroke(1.5f));
    g.setColor(Color.BLACK);
    g.drawLine(left, top + plotH, w - right, top + plotH);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(yLabel, left, 50);
    for (int s = 0; s < series.size(); s++) {
      g.setColor(COLOURS[s % COLOURS.length]);
      g.fillRect(left + s * 180, h - 40, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s), left + s * 180 + 20, h - 28);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
