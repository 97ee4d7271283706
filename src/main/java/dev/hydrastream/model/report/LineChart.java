package dev.hydrastream.model.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Paints the report's line charts with plain Java2D: title, grid, ticked axes (linear or log y),
 * polylines with optional markers, and a legend to the right of the plot so that it never hides
 * a curve.
 */
final class LineChart {
  /** How the y axis maps values. */
  enum Scale {
    LINEAR,
    LOG
  }

  /**
   * One polyline, drawn in the order added; non-finite y values (and non-positive ones on a log
   * axis) break the line rather than being invented.
   *
   * @param label legend text, or null to keep the line out of the legend
   */
  record Line(String label, Color color, float width, double[] xs, double[] ys, boolean markers) {
    Line {
      if (xs.length != ys.length) {
        throw new IllegalArgumentException(xs.length + " x values, " + ys.length + " y values");
      }
    }
  }

  static final Color GRID = new Color(0xE6E6E6);
  static final Color MINOR_GRID = new Color(0xF3F3F3);
  static final Color AXIS = new Color(0x444444);
  static final Color TEXT = new Color(0x222222);

  private static final int LEFT = 84;
  private static final int TOP = 64;
  private static final int BOTTOM = 62;
  private static final int GAP = 24;
  private static final double MARKER_RADIUS = 4.5;

  private final int width;
  private final int height;
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private String subtitle = "";
  private Scale yScale = Scale.LINEAR;
  private double[] yInclude;
  private boolean integerX;
  private final List<Line> lines = new ArrayList<>();

  LineChart(int width, int height, String title, String xLabel, String yLabel) {
    this.width = width;
    this.height = height;
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  LineChart subtitle(String text) {
    subtitle = text;
    return this;
  }

  LineChart yScale(Scale scale) {
    yScale = scale;
    return this;
  }

  /** Makes the y axis cover at least {@code [lo, hi]} (e.g. 0..1 for accuracies). */
  LineChart yInclude(double lo, double hi) {
    yInclude = new double[] {lo, hi};
    return this;
  }

  /** Puts x ticks on whole numbers only (epochs). */
  LineChart integerX() {
    integerX = true;
    return this;
  }

  LineChart add(Line line) {
    lines.add(line);
    return this;
  }

  BufferedImage render() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      paint(g);
    } finally {
      g.dispose();
    }
    return image;
  }

  private void paint(Graphics2D g) {
    Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    int legendWidth = legendWidth(g, labelFont);
    int plotX = LEFT;
    int plotY = TOP;
    int plotW = width - LEFT - legendWidth - GAP;
    int plotH = height - TOP - BOTTOM;

    g.setColor(TEXT);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    centre(g, title, plotX + plotW / 2, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(AXIS);
    centre(g, subtitle, plotX + plotW / 2, 50);
    g.setFont(labelFont);
    centre(g, xLabel, plotX + plotW / 2, height - 14);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centre(g, yLabel, -(plotY + plotH / 2), 20);
    g.setTransform(saved);

    double[] xr = xRange();
    double[] yr = yRange();
    if (xr == null || yr == null) {
      frame(g, plotX, plotY, plotW, plotH);
      g.setFont(labelFont);
      g.setColor(AXIS);
      centre(g, "no data recorded yet", plotX + plotW / 2, plotY + plotH / 2);
      legend(g, labelFont, plotX + plotW + GAP, plotY);
      return;
    }
    Axis x = Axis.linear(xr[0], xr[1], plotX, plotX + plotW, integerX, Math.max(4, plotW / 110));
    Axis y = yScale == Scale.LOG
        ? Axis.log(yr[0], yr[1], plotY + plotH, plotY)
        : Axis.linear(yr[0], yr[1], plotY + plotH, plotY, false, Math.max(4, plotH / 70));

    g.setFont(tickFont);
    FontMetrics fm = g.getFontMetrics();
    g.setStroke(new BasicStroke(1f));
    for (double v : y.minor) {
      g.setColor(MINOR_GRID);
      g.draw(new Line2D.Double(plotX, y.px(v), plotX + plotW, y.px(v)));
    }
    for (Tick t : y.ticks) {
      double py = y.px(t.value);
      g.setColor(GRID);
      g.draw(new Line2D.Double(plotX, py, plotX + plotW, py));
      g.setColor(TEXT);
      float baseline = (float) py + fm.getAscent() / 2f - 1;
      g.drawString(t.text, plotX - 8 - fm.stringWidth(t.text), baseline);
    }
    for (Tick t : x.ticks) {
      double px = x.px(t.value);
      g.setColor(GRID);
      g.draw(new Line2D.Double(px, plotY, px, plotY + plotH));
      g.setColor(TEXT);
      centre(g, t.text, (int) Math.round(px), plotY + plotH + 8 + fm.getAscent());
    }

    Shape clip = g.getClip();
    // A little slack so markers on the edge of the range are not cut in half.
    int slack = (int) Math.ceil(MARKER_RADIUS) + 1;
    g.clipRect(plotX - slack, plotY - slack, plotW + 2 * slack, plotH + 2 * slack);
    for (Line line : lines) {
      double[] px = new double[line.xs().length];
      double[] py = new double[px.length];
      for (int i = 0; i < px.length; i++) {
        double v = line.ys()[i];
        boolean drawable = Double.isFinite(v) && Double.isFinite(line.xs()[i])
            && (yScale == Scale.LINEAR || v > 0);
        px[i] = x.px(line.xs()[i]);
        py[i] = drawable ? y.px(v) : Double.NaN;
      }
      g.setColor(line.color());
      g.setStroke(new BasicStroke(line.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(polyline(px, py));
      if (line.markers()) {
        for (int i = 0; i < px.length; i++) {
          if (Double.isFinite(py[i])) {
            marker(g, line.color(), px[i], py[i]);
          }
        }
      }
    }
    g.setClip(clip);
    frame(g, plotX, plotY, plotW, plotH);
    legend(g, labelFont, plotX + plotW + GAP, plotY);
  }

  private void frame(Graphics2D g, int x, int y, int w, int h) {
    g.setColor(AXIS);
    g.setStroke(new BasicStroke(1.2f));
    g.drawRect(x, y, w, h);
  }

  private int legendWidth(Graphics2D g, Font font) {
    FontMetrics fm = g.getFontMetrics(font);
    int widest = 0;
    for (Line line : lines) {
      if (line.label() != null) {
        widest = Math.max(widest, fm.stringWidth(line.label()));
      }
    }
    return Math.min(width / 3, Math.max(110, 24 + 10 + widest + 28));
  }

  private void legend(Graphics2D g, Font font, int x0, int y0) {
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    int y = y0 + 12;
    for (Line line : lines) {
      if (line.label() == null) {
        continue;
      }
      // A short stroke rather than a filled box: keeps the legend's own pixel count small, so
      // a colour that is plentiful in the image really comes from its curve.
      g.setColor(line.color());
      g.setStroke(new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
      g.draw(new Line2D.Double(x0, y, x0 + 24, y));
      if (line.markers()) {
        marker(g, line.color(), x0 + 12, y);
      }
      g.setColor(TEXT);
      g.drawString(line.label(), x0 + 34, y + fm.getAscent() / 2 - 1);
      y += 24;
    }
  }

  private static void marker(Graphics2D g, Color color, double x, double y) {
    Ellipse2D dot = new Ellipse2D.Double(
        x - MARKER_RADIUS, y - MARKER_RADIUS, 2 * MARKER_RADIUS, 2 * MARKER_RADIUS);
    g.setColor(color);
    g.fill(dot);
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(1.2f));
    g.draw(dot);
  }

  private static void centre(Graphics2D g, String text, int cx, int baseline) {
    if (text == null || text.isEmpty()) {
      return;
    }
    g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  /**
   * Builds the path, keeping per pixel column only the first, lowest, highest and last point:
   * the drawing looks the same, and a million-step run does not cost a million segments.
   */
  static Path2D polyline(double[] px, double[] py) {
    Path2D.Double path = new Path2D.Double();
    boolean penDown = false;
    int n = px.length;
    int i = 0;
    while (i < n) {
      if (!Double.isFinite(py[i]) || !Double.isFinite(px[i])) {
        penDown = false;
        i++;
        continue;
      }
      long column = (long) Math.floor(px[i]);
      int last = i;
      int lo = i;
      int hi = i;
      while (last + 1 < n && Double.isFinite(py[last + 1]) && Double.isFinite(px[last + 1])
          && (long) Math.floor(px[last + 1]) == column) {
        last++;
        lo = py[last] < py[lo] ? last : lo;
        hi = py[last] > py[hi] ? last : hi;
      }
      int[] keep = {i, Math.min(lo, hi), Math.max(lo, hi), last};
      int previous = -1;
      for (int k : keep) {
        if (k == previous) {
          continue;
        }
        if (penDown) {
          path.lineTo(px[k], py[k]);
        } else {
          path.moveTo(px[k], py[k]);
          penDown = true;
        }
        previous = k;
      }
      i = last + 1;
    }
    return path;
  }

  private double[] xRange() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    boolean markers = false;
    for (Line line : lines) {
      for (int i = 0; i < line.xs().length; i++) {
        if (drawable(line.ys()[i]) && Double.isFinite(line.xs()[i])) {
          lo = Math.min(lo, line.xs()[i]);
          hi = Math.max(hi, line.xs()[i]);
          markers |= line.markers();
        }
      }
    }
    if (lo > hi) {
      return null;
    }
    if (lo == hi) {
      return new double[] {lo - 1, hi + 1};
    }
    // Markers sit on the first and last x; a margin keeps them off the frame.
    double pad = markers ? (hi - lo) * 0.04 : 0;
    return new double[] {lo - pad, hi + pad};
  }

  private double[] yRange() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Line line : lines) {
      for (int i = 0; i < line.ys().length; i++) {
        double v = line.ys()[i];
        if (drawable(v) && Double.isFinite(line.xs()[i])) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo > hi) {
      return null;
    }
    if (yInclude != null) {
      lo = Math.min(lo, yInclude[0]);
      hi = Math.max(hi, yInclude[1]);
    }
    if (lo == hi) {
      double d = yScale == Scale.LOG ? 0 : Math.max(Math.abs(lo) * 0.1, 0.5);
      return yScale == Scale.LOG ? new double[] {lo / 2, hi * 2} : new double[] {lo - d, hi + d};
    }
    return new double[] {lo, hi};
  }

  private boolean drawable(double v) {
    return Double.isFinite(v) && (yScale == Scale.LINEAR || v > 0);
  }

  /** A tick value and its label. */
  record Tick(double value, String text) {}

  /** Maps values to pixels and knows where its ticks go. */
  static final class Axis {
    final double lo;
    final double hi;
    final double p0;
    final double p1;
    final boolean log;
    final List<Tick> ticks = new ArrayList<>();
    final List<Double> minor = new ArrayList<>();

    private Axis(double lo, double hi, double p0, double p1, boolean log) {
      this.lo = lo;
      this.hi = hi;
      this.p0 = p0;
      this.p1 = p1;
      this.log = log;
    }

    double px(double v) {
      double t = log
          ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
          : (v - lo) / (hi - lo);
      return p0 + t * (p1 - p0);
    }

    /**
     * A linear axis over the data; y axes ({@code p0 > p1}) are widened to whole ticks so the
     * top and bottom are labelled, x axes keep the data range so curves touch both sides.
     */
    static Axis linear(double lo, double hi, double p0, double p1, boolean integer, int count) {
      double step = niceStep((hi - lo) / count);
      if (integer) {
        step = Math.max(1, Math.round(step));
      }
      boolean widen = p0 > p1;
      double a = widen ? Math.floor(lo / step + 1e-9) * step : lo;
      double b = widen ? Math.ceil(hi / step - 1e-9) * step : hi;
      Axis axis = new Axis(a, b, p0, p1, false);
      double first = Math.ceil(a / step - 1e-9) * step;
      for (double v = first; v <= b + step * 1e-9; v += step) {
        double snapped = Math.round(v / step) * step;
        axis.ticks.add(new Tick(snapped, formatLinear(snapped, step)));
      }
      return axis;
    }

    /** A log axis over whole decades; sparse ranges also get 2 and 5 labelled. */
    static Axis log(double lo, double hi, double p0, double p1) {
      int d0 = (int) Math.floor(Math.log10(lo) + 1e-9);
      int d1 = (int) Math.ceil(Math.log10(hi) - 1e-9);
      if (d1 == d0) {
        d1++;
      }
      Axis axis = new Axis(Math.pow(10, d0), Math.pow(10, d1), p0, p1, true);
      boolean sparse = d1 - d0 <= 2;
      for (int d = d0; d <= d1; d++) {
        double decade = Math.pow(10, d);
        axis.ticks.add(new Tick(decade, formatLog(decade)));
        if (d == d1) {
          break;
        }
        for (int m = 2; m <= 9; m++) {
          double v = m * decade;
          if (sparse && (m == 2 || m == 5)) {
            axis.ticks.add(new Tick(v, formatLog(v)));
          } else {
            axis.minor.add(v);
          }
        }
      }
      return axis;
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) {
      return 1;
    }
    double exp = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / exp;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * exp;
  }

  static String formatLinear(double v, double step) {
    if (v == 0) {
      return "0";
    }
    if (step >= 1000 && Math.abs(v) >= 1000) {
      // Step counts: "25k" reads faster than "25000" under a crowded axis.
      if (step % 1_000_000 == 0) {
        return plain(v / 1_000_000) + "M";
      }
      if (step % 1000 == 0) {
        return plain(v / 1000) + "k";
      }
    }
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String formatLog(double v) {
    if (v >= 1e-3 && v < 1e5) {
      return plain(v);
    }
    int exp = (int) Math.floor(Math.log10(v) + 1e-9);
    double mantissa = v / Math.pow(10, exp);
    return plain(mantissa) + "e" + exp;
  }

  private static String plain(double v) {
    return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
