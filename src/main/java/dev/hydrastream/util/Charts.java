package dev.hydrastream.util;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.AxesChartStyler.TextAlignment;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the project's PNG charts with XChart, in one house style: line charts for the training
 * report and grouped bars for the benchmarks. Rendering is headless.
 */
public final class Charts {
  static {
    // Only takes effect before AWT starts; the launcher and the test JVMs set it already.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Tableau-like colours; no greys, which would be confused with grid and text. */
  private static final Color[] PALETTE = {
    new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728),
    new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0xBCBD22),
    new Color(0x17BECF), new Color(0x393B79),
  };

  private static final Color GRID = new Color(0xE6E6E6);
  private static final Color AXIS = new Color(0x444444);
  private static final Color TEXT = new Color(0x222222);
  private static final int BAR_WIDTH = 1000;
  private static final int BAR_HEIGHT = 560;

  private Charts() {}

  /** The palette colour for series {@code index}, repeating after ten. */
  public static Color color(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** How a line chart's y axis maps values. */
  public enum Scale {
    LINEAR,
    LOG
  }

  /**
   * One curve, drawn in the order added; non-finite y values (and non-positive ones on a log axis)
   * break the line rather than being invented.
   *
   * @param label legend text, or null to keep the curve out of the legend
   */
  public record Line(
      String label, Color color, float width, double[] xs, double[] ys, boolean markers) {
    public Line {
      if (xs.length != ys.length) {
        throw new IllegalArgumentException(xs.length + " x values, " + ys.length + " y values");
      }
    }
  }

  /** Starts a line chart of the given size, with the legend to the right of the plot. */
  public static LineChart lines(int width, int height, String title, String xLabel, String yLabel) {
    return new LineChart(width, height, title, xLabel, yLabel);
  }

  /** A line chart being put together: texts, y scale and range, then its curves. */
  public static final class LineChart {
    private final XYChart chart;
    private final List<Line> lines = new ArrayList<>();
    private String subtitle = "";
    private Scale yScale = Scale.LINEAR;
    private double[] yInclude;
    private boolean integerX;

    private LineChart(int width, int height, String title, String xLabel, String yLabel) {
      chart = new XYChart(width, height);
      chart.setTitle(title);
      chart.setXAxisTitle(xLabel);
      chart.setYAxisTitle(yLabel);
    }

    /** A line of smaller text under the title. */
    public LineChart subtitle(String text) {
      subtitle = text;
      return this;
    }

    public LineChart yScale(Scale scale) {
      yScale = scale;
      return this;
    }

    /** Makes the y axis cover at least {@code [lo, hi]} (e.g. 0..1 for accuracies). */
    public LineChart yInclude(double lo, double hi) {
      yInclude = new double[] {lo, hi};
      return this;
    }

    /** Puts x ticks on whole numbers only (epochs). */
    public LineChart integerX() {
      integerX = true;
      return this;
    }

    public LineChart add(Line line) {
      lines.add(line);
      return this;
    }

    public BufferedImage render() {
      AxesChartStyler s = chart.getStyler();
      style(s, 20, 14);
      s.setLegendPosition(LegendPosition.OutsideE);
      s.setMarkerSize(9);
      double[] xr = range(true);
      double[] yr = range(false);
      boolean log = yScale == Scale.LOG && yr != null;
      s.setYAxisLogarithmic(log);
      if (xr == null) {
        xr = new double[] {0, 1};
        yr = new double[] {0, 1};
        s.setAxisTicksVisible(false).setPlotGridLinesVisible(false);
        chart.addAnnotation(new PlotText("no data recorded yet", sans(Font.PLAIN, 14), 0.5));
      } else {
        yr = log ? decades(yr) : widen(yr, Math.max(4, (chart.getHeight() - 140) / 70));
      }
      if (integerX) {
        // Tick labels must differ, so XChart widens the step until every tick is a whole number.
        s.setXAxisDecimalPattern("0");
      } else {
        // XChart puts x ticks on the data's own values when those are equally spaced (steps
        // 1..500: crowded, odd labels); a range a hair wider than the data keeps round ticks.
        xr[1] += (xr[1] - xr[0]) * 1e-6;
      }
      s.setXAxisMin(xr[0]).setXAxisMax(xr[1]).setYAxisMin(yr[0]).setYAxisMax(yr[1]);
      for (int i = 0; i < lines.size(); i++) {
        addSeries(i, lines.get(i), log, xr);
      }
      if (subtitle.isEmpty()) {
        return BitmapEncoder.getBufferedImage(chart);
      }
      // XChart's title is one line: title and subtitle go in a band above the chart instead.
      s.setChartTitleVisible(false);
      chart.addAnnotation(new PlotText(chart.getTitle(), s.getChartTitleFont(), -36));
      chart.addAnnotation(new PlotText(subtitle, sans(Font.PLAIN, 13), -14));
      int band = 56;
      BufferedImage image =
          new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.translate(0, band);
        chart.paint(g, image.getWidth(), image.getHeight() - band);
      } finally {
        g.dispose();
      }
      return image;
    }

    private void addSeries(int index, Line line, boolean log, double[] xr) {
      double[] ys = line.ys().clone();
      for (int i = 0; i < ys.length; i++) {
        if (!drawable(ys[i], line.xs()[i], log)) {
          ys[i] = Double.NaN;
        }
      }
      double[][] kept = decimate(line.xs(), ys, xr[0], xr[1], chart.getWidth());
      String name = line.label() == null ? " " + index : line.label();
      XYSeries series = chart.addSeries(name, kept[0], kept[1]);
      series.setShowInLegend(line.label() != null);
      series.setLineColor(line.color());
      series.setLineStyle(
          new BasicStroke(line.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      series.setMarker(line.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      series.setMarkerColor(line.color());
    }

    /** The data range of x or y over drawable points, or null when there is none. */
    private double[] range(boolean x) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Line line : lines) {
        for (int i = 0; i < line.xs().length; i++) {
          if (drawable(line.ys()[i], line.xs()[i], yScale == Scale.LOG)) {
            double v = x ? line.xs()[i] : line.ys()[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      if (lo > hi) {
        return null;
      }
      if (!x && yInclude != null) {
        lo = Math.min(lo, yInclude[0]);
        hi = Math.max(hi, yInclude[1]);
      }
      if (lo == hi) {
        double d = x && integerX ? 1 : Math.max(Math.abs(lo) * 0.1, 0.5);
        return x || yScale == Scale.LINEAR
            ? new double[] {lo - d, hi + d}
            : new double[] {lo / 2, hi * 2};
      }
      return new double[] {lo, hi};
    }
  }

  private static boolean drawable(double y, double x, boolean log) {
    return Double.isFinite(y) && Double.isFinite(x) && (!log || y > 0);
  }

  /** Widens a linear range to whole multiples of a 1, 2 or 5 step, so both ends are labelled. */
  static double[] widen(double[] r, int ticks) {
    double raw = (r[1] - r[0]) / ticks;
    double exp = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / exp;
    double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
    return new double[] {
      Math.floor(r[0] / step + 1e-9) * step, Math.ceil(r[1] / step - 1e-9) * step
    };
  }

  /** Widens a positive range to whole decades, at least one. */
  static double[] decades(double[] r) {
    int d0 = (int) Math.floor(Math.log10(r[0]) + 1e-9);
    int d1 = (int) Math.ceil(Math.log10(r[1]) - 1e-9);
    return new double[] {Math.pow(10, d0), Math.pow(10, Math.max(d1, d0 + 1))};
  }

  /**
   * Keeps per x column (of {@code columns} across {@code [x0, x1]}) only the first, lowest, highest
   * and last point, and one NaN per gap: the drawing looks the same, and a million-step run does
   * not cost a million segments.
   *
   * @return {xs, ys}
   */
  static double[][] decimate(double[] xs, double[] ys, double x0, double x1, int columns) {
    if (xs.length <= 4L * columns) {
      return new double[][] {xs, ys};
    }
    double[] outX = new double[xs.length];
    double[] outY = new double[xs.length];
    int n = 0;
    int i = 0;
    while (i < xs.length) {
      if (Double.isNaN(ys[i])) {
        if (n > 0 && !Double.isNaN(outY[n - 1])) {
          outX[n] = xs[i];
          outY[n++] = Double.NaN;
        }
        i++;
        continue;
      }
      long column = (long) Math.floor((xs[i] - x0) / (x1 - x0) * columns);
      int last = i;
      int lo = i;
      int hi = i;
      while (last + 1 < xs.length
          && !Double.isNaN(ys[last + 1])
          && (long) Math.floor((xs[last + 1] - x0) / (x1 - x0) * columns) == column) {
        last++;
        lo = ys[last] < ys[lo] ? last : lo;
        hi = ys[last] > ys[hi] ? last : hi;
      }
      int previous = -1;
      for (int k : new int[] {i, Math.min(lo, hi), Math.max(lo, hi), last}) {
        if (k != previous) {
          outX[n] = xs[k];
          outY[n++] = ys[k];
          previous = k;
        }
      }
      i = last + 1;
    }
    return new double[][] {Arrays.copyOf(outX, n), Arrays.copyOf(outY, n)};
  }

  /**
   * Writes a {@value #BAR_WIDTH}x{@value #BAR_HEIGHT} PNG with one group per category and one
   * labelled bar per series.
   *
   * @param values values[series][category]
   */
  public static void bars(
      Path file,
      String title,
      String yLabel,
      List<String> categories,
      List<String> series,
      double[][] values)
      throws IOException {
    BufferedImage image = bars(title, yLabel, categories, series, values);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available for " + file);
    }
  }

  /** The chart {@link #bars(Path, String, String, List, List, double[][])} writes. */
  public static BufferedImage bars(
      String title,
      String yLabel,
      List<String> categories,
      List<String> series,
      double[][] values) {
    CategoryChart chart = new CategoryChart(BAR_WIDTH, BAR_HEIGHT);
    chart.setTitle(title);
    chart.setYAxisTitle(yLabel);
    var s = chart.getStyler();
    style(s, 16, 13);
    s.setXAxisTitleVisible(false);
    s.setLegendPosition(LegendPosition.OutsideS).setLegendLayout(LegendLayout.Horizontal);
    s.setPlotGridVerticalLinesVisible(false);
    // One decimal, as frames/s read best; more where a value would otherwise show as 0.0.
    boolean small =
        Arrays.stream(values)
            .flatMapToDouble(Arrays::stream)
            .anyMatch(v -> v != 0 && Math.abs(v) < 1);
    s.setYAxisDecimalPattern(small ? "#,##0.0##" : "#,##0.0");
    // Values in dark text at the top of each bar: on a short bar they run onto the white below.
    s.setLabelsVisible(true).setLabelsPosition(1.0).setLabelsFontColorAutomaticEnabled(false);
    s.setLabelsFont(sans(Font.PLAIN, 12)).setLabelsFontColor(TEXT);
    // Long names (JMH benchmarks) would run into each other side by side.
    int longest = categories.stream().mapToInt(String::length).max().orElse(0);
    if (longest * 7 > (BAR_WIDTH - 160) / Math.max(1, categories.size())) {
      s.setXAxisLabelRotation(30);
    }
    for (int k = 0; k < series.size(); k++) {
      List<Double> ys = Arrays.stream(values[k]).boxed().toList();
      chart.addSeries(series.get(k), categories, ys).setFillColor(color(k));
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** The look shared by every chart: white, light grid, dark text, Tableau colours. */
  private static void style(AxesChartStyler s, int titleSize, int legendSize) {
    s.setLocale(Locale.ROOT);
    s.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE);
    s.setChartFontColor(TEXT).setPlotBorderColor(AXIS);
    s.setChartTitleFont(sans(Font.BOLD, titleSize));
    s.setChartTitleBoxVisible(false).setChartTitlePadding(10).setChartPadding(10);
    s.setAxisTitleFont(sans(Font.PLAIN, 14));
    s.setAxisTickLabelsFont(sans(Font.PLAIN, 12));
    s.setAxisTickLabelsColor(TEXT).setAxisTickMarksColor(AXIS);
    s.setYAxisLabelAlignment(TextAlignment.Right);
    s.setPlotGridLinesColor(GRID).setPlotGridLinesStroke(new BasicStroke(1f));
    s.setLegendFont(sans(Font.PLAIN, legendSize));
    s.setLegendBorderColor(Color.WHITE).setLegendBackgroundColor(Color.WHITE);
    s.setLegendSeriesLineLength(24);
    s.setAnnotationTextFontColor(AXIS);
    s.setSeriesColors(PALETTE);
    s.setToolTipsEnabled(false);
  }

  private static Font sans(int style, int size) {
    return new Font(Font.SANS_SERIF, style, size);
  }

  /** Text centred over the plot: above it (title, subtitle) or inside it (a notice). */
  private static final class PlotText extends Annotation {
    private final String text;
    private final Font font;
    private final double y;

    /**
     * @param y the baseline: pixels below the plot's top edge when negative (above the plot), or
     *     the fraction of the plot's height from its top when in (0, 1)
     */
    PlotText(String text, Font font, double y) {
      super(true);
      this.text = text;
      this.font = font;
      this.y = y;
    }

    @Override
    public void paint(Graphics2D g) {
      TextLayout layout = new TextLayout(text, font, g.getFontRenderContext());
      double left = getXAxisScreenValueForMin();
      double right = getXAxisScreenValueForMax();
      double top = getYAxisScreenValueForMin();
      double baseline = y < 0 ? top + y : top + (getYAxisScreenValueForMax() - top) * y;
      double x = (left + right - layout.getBounds().getWidth()) / 2;
      g.setColor(font.isBold() ? TEXT : AXIS);
      layout.draw(g, (float) x, (float) baseline);
      bounds =
          new Rectangle2D.Double(
              x,
              baseline - layout.getAscent(),
              layout.getAdvance(),
              layout.getAscent() + layout.getDescent());
    }
  }
}
