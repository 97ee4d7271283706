package dev.hydrastream.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared charts: benchmark bars by their pixels, line charts on awkward data, decimation. */
class ChartsTest {
  @TempDir Path tmp;

  static int count(BufferedImage img, Color c) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += (img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF) ? 1 : 0;
      }
    }
    return n;
  }

  /** The first row holding colour {@code c}. */
  static int top(BufferedImage img, Color c) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
          return y;
        }
      }
    }
    return -1;
  }

  @Test
  void benchBarsHaveABarPerSeriesAndCategoryScaledToItsValue() throws IOException {
    // As `bench sharing` draws them: frames/s at batch 1 and batch 8 per model.
    Path file = tmp.resolve("sharing.png");
    Charts.bars(
        file,
        "Shared backbone vs four single-task models (frames/s)",
        "frames/s",
        List.of("hydranet", "weather", "4 singles together"),
        List.of("batch 1", "batch 8"),
        new double[][] {{100, 200, 50}, {250, 500, 125}});
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).isNotNull();
    assertThat(img.getWidth()).isEqualTo(1000);
    assertThat(img.getHeight()).isEqualTo(560);
    int batch1 = count(img, Charts.color(0));
    int batch8 = count(img, Charts.color(1));
    assertThat(batch1).as("batch 1 bars").isGreaterThan(10_000);
    // Bars of equal width: areas in the ratio of the values, 2.5 (legend swatches aside).
    assertThat((double) batch8 / batch1).isBetween(2.2, 2.8);
    assertThat(count(img, Charts.color(2))).as("no third series").isZero();
    // The tallest bar is a batch 8 one, and it nearly reaches the top of the plot.
    assertThat(top(img, Charts.color(1))).isLessThan(top(img, Charts.color(0)) - 100);
    assertThat(top(img, Charts.color(1))).isLessThan(80);
  }

  @Test
  void oneSeriesBenchBarsUseOneColour() {
    // As `bench decode` draws them: one median per decode path.
    BufferedImage img =
        Charts.bars(
            "JPEG 1280x720 -> model input 224x384",
            "frames/s",
            List.of("full decode + resize", "reduced-scale decode + resize"),
            List.of("median"),
            new double[][] {{42.4, 76.9}});
    assertThat(count(img, Charts.color(0))).isGreaterThan(10_000);
    assertThat(count(img, Charts.color(1))).isZero();
  }

  @Test
  void lineChartsDrawAroundGapsAndValuesALogAxisCannotShow() {
    double[] xs = {1, 2, 3, 4, 5, 6};
    double[] ys = {3, Double.NaN, 0, -1, Double.POSITIVE_INFINITY, 0.2};
    BufferedImage img =
        Charts.lines(800, 500, "t", "x", "y")
            .yScale(Charts.Scale.LOG)
            .add(new Charts.Line("data", Charts.color(0), 2f, xs, ys, true))
            .add(
                new Charts.Line(
                    "nothing drawable",
                    Charts.color(1),
                    2f,
                    new double[] {1},
                    new double[] {Double.NaN},
                    false))
            .render();
    assertThat(img.getWidth()).isEqualTo(800);
    assertThat(img.getHeight()).isEqualTo(500);
    // Two lone points as markers, and the legend.
    assertThat(count(img, Charts.color(0))).isGreaterThan(60);
  }

  @Test
  void longRunsAreDecimatedPerColumn() {
    int n = 1_000_000;
    double[] xs = new double[n];
    double[] ys = new double[n];
    Random rng = new Random(3);
    for (int i = 0; i < n; i++) {
      xs[i] = i;
      ys[i] = i == n / 2 ? Double.NaN : 300 + 100 * rng.nextGaussian();
    }
    double[][] kept = Charts.decimate(xs, ys, 0, n - 1, 900);
    assertThat(kept[0].length).isBetween(900, 4 * 901 + 1);
    assertThat(kept[1]).contains(Double.NaN);
    // Per column the extremes survive, so the overall ones do.
    assertThat(max(kept[1])).isEqualTo(max(ys));
    // Small inputs keep every point.
    double[][] few = Charts.decimate(new double[] {0, 10, 20}, new double[] {1, 2, 3}, 0, 20, 900);
    assertThat(few[1]).containsExactly(1, 2, 3);
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Double.isNaN(x) ? m : Math.max(m, x);
    }
    return m;
  }
}
