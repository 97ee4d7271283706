package dev.hydrastream.model.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.model.report.TrainingLog.Epoch;
import dev.hydrastream.model.report.TrainingLog.Phase;
import dev.hydrastream.util.Charts;
import dev.hydrastream.util.Json;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report files drawn from a synthetic run: charts checked by their pixels, metrics.json by
 * round trip, REPORT.md by its tables and its Mermaid gantt block.
 */
class ReportWriterTest {
  @TempDir Path tmp;

  static final String[] KEYS = {
    "total", "weather", "timeofday", "scene", "heatmap", "size", "offset", "seg"
  };
  static final String[] METRICS = {
    "drivable_miou", "lane_iou", "map50", "scene_acc", "timeofday_acc", "weather_acc"
  };
  static final Instant T0 = Instant.parse("2026-11-22T19:00:00Z");

  /**
   * 500 steps of noisy, exponentially decaying losses (total = sum of the heads), 5 epochs of
   * rising metrics and phases recorded out of order, with repeats and one under a second.
   *
   * @param wide whether the total loss spans more than 1.5 decades
   */
  static TrainingLog syntheticLog(boolean wide) {
    TrainingLog log = new TrainingLog();
    Random rng = new Random(11);
    double[] start = {1.4, 1.1, 1.9, 8.0, 2.5, 0.6, 0.9};
    double[] floor =
        wide
            ? new double[] {0.05, 0.03, 0.08, 0.01, 0.05, 0.005, 0.02}
            : new double[] {0.9, 0.7, 1.2, 3.0, 1.5, 0.4, 0.6};
    for (int s = 1; s <= 500; s++) {
      Map<String, Double> losses = new LinkedHashMap<>();
      double total = 0;
      // Heads inserted in reverse of legend order: colours must not depend on it.
      for (int k = floor.length - 1; k >= 0; k--) {
        double clean = floor[k] + (start[k] - floor[k]) * Math.exp(-s / (40.0 + 25 * k));
        double v = clean * Math.exp(0.25 * rng.nextGaussian());
        losses.put(KEYS[k + 1], v);
        total += v;
      }
      losses.put("total", total);
      log.step(s, (s - 1) / 100 + 1, 1e-3, losses);
    }
    for (int e = 1; e <= 5; e++) {
      double p = 1 - Math.exp(-e / 2.0);
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = 0; i < METRICS.length; i++) {
        m.put(METRICS[i], 0.1 + 0.1 * i + 0.3 * p);
      }
      log.epoch(e, m);
    }
    // Evaluation phases recorded before the data phase that preceded them.
    Instant t = T0.plusSeconds(130);
    List<Instant[]> training = new ArrayList<>();
    for (int e = 1; e <= 5; e++) {
      Instant end = t.plusSeconds(600);
      log.phase("evaluation", end, end.plusMillis(45_300));
      training.add(new Instant[] {t, end});
      t = end.plusMillis(45_300);
    }
    log.phase("data", T0, T0.plusSeconds(130));
    for (Instant[] tr : training) {
      log.phase("training", tr[0], tr[1]);
    }
    log.phase("export", t, t.plusMillis(400));
    return log;
  }

  static Map<String, Object> runInfo() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("command", "hydrastream train --epochs 5 | tee train.log");
    info.put("seed", 42);
    info.put("model", "hydranet-s");
    info.put("input size", "640x360");
    info.put("params", 4_215_811);
    info.put("epochs", 5);
    info.put("wall time", Duration.ofSeconds(3356));
    return info;
  }

  static int countNear(BufferedImage img, Color c, int tolerance) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 0xFF) - c.getRed()) <= tolerance
            && Math.abs(((rgb >> 8) & 0xFF) - c.getGreen()) <= tolerance
            && Math.abs((rgb & 0xFF) - c.getBlue()) <= tolerance) {
          n++;
        }
      }
    }
    return n;
  }

  /** Mean row of the pixels of colour {@code c} in columns [x0, x1). */
  static double meanRow(BufferedImage img, Color c, int x0, int x1) {
    long sum = 0;
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
          sum += y;
          n++;
        }
      }
    }
    assertThat(n).as("pixels of %s in columns %d..%d", c, x0, x1).isGreaterThan(20);
    return (double) sum / n;
  }

  /** The PNG decoded, and not blank: a good share of it is neither white nor one colour. */
  static BufferedImage png(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).as(file.toString()).isNotNull();
    Set<Integer> colours = new HashSet<>();
    int drawn = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        drawn += rgb == 0xFFFFFF ? 0 : 1;
      }
    }
    assertThat(drawn).as("drawn pixels in %s", file).isGreaterThan(2000);
    assertThat(colours).as("colours in %s", file).hasSizeGreaterThan(2);
    return img;
  }

  @Test
  void lossChartHasEveryCurveSmoothedOverItsRawLine() throws IOException {
    ReportWriter.write(syntheticLog(true), tmp, runInfo());
    BufferedImage img = png(tmp.resolve("loss_curves.png"));
    assertThat(img.getWidth()).isEqualTo(1200);
    assertThat(img.getHeight()).isEqualTo(700);
    for (int i = 0; i < KEYS.length; i++) {
      Color bold = Charts.color(i);
      Color faint = ReportWriter.faint(bold);
      // The legend swatch alone is under 100 pixels and antialiased edges of the bold curve give
      // under 200 of the faint colour: these counts need both curves.
      assertThat(countNear(img, bold, 6)).as("smoothed %s", KEYS[i]).isGreaterThan(800);
      assertThat(countNear(img, faint, 6)).as("raw %s", KEYS[i]).isGreaterThan(700);
    }
    // Losses decay: the total curve sits lower (larger row) at the end than at the start.
    Color total = Charts.color(0);
    assertThat(meanRow(img, total, 90, 300)).isLessThan(meanRow(img, total, 700, 950) - 100);
  }

  @Test
  void rawAndSmoothedCurvesDiffer() {
    double[] raw = ReportWriter.lossSeries(syntheticLog(true).steps()).raw().get("total");
    double[] smooth = ReportWriter.ema(raw, ReportWriter.EMA_ALPHA);
    assertThat(smooth).hasSameSizeAs(raw);
    double rawWiggle = 0;
    double smoothWiggle = 0;
    for (int i = 1; i < raw.length; i++) {
      rawWiggle += Math.abs(Math.log(raw[i] / raw[i - 1]));
      smoothWiggle += Math.abs(Math.log(smooth[i] / smooth[i - 1]));
    }
    assertThat(smoothWiggle).isLessThan(rawWiggle / 4);
  }

  @Test
  void emaFollowsItsDefinitionAndSkipsNonFiniteValues() {
    double[] in = {2, 4, Double.NaN, 4, Double.POSITIVE_INFINITY};
    double[] out = ReportWriter.ema(in, 0.1);
    assertThat(out[0]).isEqualTo(2.0);
    assertThat(out[1]).isCloseTo(2.2, within(1e-12));
    assertThat(out[2]).isNaN();
    assertThat(out[3]).isCloseTo(0.1 * 4 + 0.9 * 2.2, within(1e-12));
    assertThat(out[4]).isNaN();
    assertThat(ReportWriter.ema(new double[] {Double.NaN, 5}, 0.1)).containsExactly(Double.NaN, 5);
  }

  @Test
  void lossAxisIsLogarithmicOnlyBeyondOneAndAHalfDecades() throws IOException {
    assertThat(ReportWriter.logScale(new double[] {20, 5, 0.6})).isTrue();
    assertThat(ReportWriter.logScale(new double[] {20, 5, 0.7})).isFalse();
    assertThat(ReportWriter.logScale(new double[] {20, Double.NaN, 0.1, 0})).isFalse();
    assertThat(ReportWriter.logScale(new double[] {})).isFalse();

    Path wide = tmp.resolve("wide");
    Path narrow = tmp.resolve("narrow");
    ReportWriter.write(syntheticLog(true), wide, runInfo());
    ReportWriter.write(syntheticLog(false), narrow, runInfo());
    assertThat(Files.readString(wide.resolve("REPORT.md"))).contains("logarithmic loss axis");
    assertThat(Files.readString(narrow.resolve("REPORT.md"))).contains("linear loss axis");
    // The wide run ends near 0.5 on a 0.01..100 axis: 42 % up the axis (rows about 90..625) on
    // a log axis, at the very bottom on a linear 0..25 one.
    BufferedImage a = png(wide.resolve("loss_curves.png"));
    assertThat(meanRow(a, Charts.color(0), 700, 950)).isBetween(330.0, 470.0);
  }

  @Test
  void validationChartHasALinePerMetric() throws IOException {
    ReportWriter.write(syntheticLog(true), tmp, runInfo());
    BufferedImage img = png(tmp.resolve("validation.png"));
    assertThat(img.getWidth()).isEqualTo(ReportWriter.VALIDATION_WIDTH);
    assertThat(img.getHeight()).isEqualTo(ReportWriter.VALIDATION_HEIGHT);
    for (int i = 0; i < METRICS.length; i++) {
      assertThat(countNear(img, Charts.color(i), 6)).as(METRICS[i]).isGreaterThan(500);
    }
    // Metric i is 0.1 higher than metric i-1 on a fixed 0..1 axis: higher lines, smaller rows.
    for (int i = 1; i < METRICS.length; i++) {
      assertThat(meanRow(img, Charts.color(i), 100, 700))
          .as(METRICS[i])
          .isLessThan(meanRow(img, Charts.color(i - 1), 100, 700) - 20);
    }
  }

  @Test
  void metricsJsonHasEveryEpochAndTheFinalOne() throws IOException {
    TrainingLog log = syntheticLog(true);
    ReportWriter.write(log, tmp, runInfo());
    JsonNode root = Json.MAPPER.readTree(tmp.resolve("metrics.json").toFile());
    assertThat(root.get("epochs")).hasSize(5);
    List<Epoch> epochs = Json.MAPPER.convertValue(root.get("epochs"), new TypeReference<>() {});
    assertThat(epochs).isEqualTo(log.epochs());
    Map<String, Double> fin = Json.MAPPER.convertValue(root.get("final"), new TypeReference<>() {});
    assertThat(fin).isEqualTo(log.epochs().get(4).metrics()).hasSize(METRICS.length);
    assertThat(root.get("epochs").get(0).get("epoch").asInt()).isEqualTo(1);
  }

  private static final Pattern TASK =
      Pattern.compile(
          "^  (\\S[^:]*?) :done, (p\\d+), (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d), "
              + "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)$");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  static String ganttBlock(String md) {
    int from = md.indexOf("```mermaid\n");
    assertThat(from).as("mermaid block").isNotNegative();
    int to = md.indexOf("\n```", from + 10);
    assertThat(to).isPositive();
    return md.substring(from + "```mermaid\n".length(), to + 1);
  }

  @Test
  void reportHasAGanttLinePerPhase() throws IOException {
    TrainingLog log = syntheticLog(true);
    ReportWriter.write(log, tmp, runInfo());
    String md = Files.readString(tmp.resolve("REPORT.md"));
    List<String> lines = ganttBlock(md).lines().toList();
    assertThat(lines.subList(0, 5))
        .containsExactly(
            "gantt",
            "  title Training timeline (UTC)",
            "  dateFormat YYYY-MM-DD HH:mm:ss",
            "  axisFormat %H:%M",
            "  todayMarker off");

    List<String> sections = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int tasks = 0;
    String section = null;
    Map<String, Integer> perSection = new LinkedHashMap<>();
    for (String line : lines.subList(5, lines.size())) {
      if (line.startsWith("  section ")) {
        section = line.substring("  section ".length());
        sections.add(section);
        continue;
      }
      Matcher m = TASK.matcher(line);
      assertThat(m.matches()).as("task line: %s", line).isTrue();
      assertThat(section).as("task before any section").isNotNull();
      assertThat(m.group(1)).startsWith(section);
      assertThat(ids.add(m.group(2))).as("unique id %s", m.group(2)).isTrue();
      Instant start = LocalDateTime.parse(m.group(3), TIME).toInstant(ZoneOffset.UTC);
      Instant end = LocalDateTime.parse(m.group(4), TIME).toInstant(ZoneOffset.UTC);
      assertThat(end).as(line).isAfterOrEqualTo(start.plusSeconds(1));
      perSection.merge(section, 1, Integer::sum);
      tasks++;
    }
    assertThat(tasks).isEqualTo(log.phases().size()).isEqualTo(12);
    // Sections by first start, although evaluation was recorded first.
    assertThat(sections).containsExactly("data", "training", "evaluation", "export");
    assertThat(perSection).containsEntry("training", 5).containsEntry("evaluation", 5);
    assertThat(lines)
        .contains(
            "  data :done, p0, 2026-11-22 19:00:00, 2026-11-22 19:02:10",
            "  training 1 :done, p1, 2026-11-22 19:02:10, 2026-11-22 19:12:10",
            // 45.3 s ends on the next whole second; a 0.4 s export still gets a one-second bar.
            "  evaluation 1 :done, p6, 2026-11-22 19:12:10, 2026-11-22 19:12:56",
            "  export :done, p11, 2026-11-22 19:55:56, 2026-11-22 19:55:57");
  }

  @Test
  void reportHasRunInfoFinalMetricsAndImages() throws IOException {
    TrainingLog log = syntheticLog(true);
    ReportWriter.write(log, tmp, runInfo());
    String md = Files.readString(tmp.resolve("REPORT.md"));
    assertThat(md)
        .startsWith("# Training report\n")
        .contains("![loss curves](loss_curves.png)")
        .contains("![validation metrics](validation.png)")
        // The pipe would otherwise end the table cell.
        .contains("| command | `hydrastream train --epochs 5 \\| tee train.log` |")
        .contains("| seed | 42 |")
        .contains("| params | 4215811 |")
        .contains("| wall time | 55m 56s |")
        .contains("500 steps logged (step 1 to 500)")
        .contains("| training | 5 | 50m 00s |");
    Map<String, Double> last = log.epochs().get(4).metrics();
    for (String metric : METRICS) {
      assertThat(md)
          .contains(
              String.format(
                  Locale.ROOT,
                  "| %s | %.4f | %.4f (5) |",
                  metric,
                  last.get(metric),
                  last.get(metric)));
    }
  }

  @Test
  void anEmptyLogStillGivesACompleteReport() throws IOException {
    ReportWriter.write(new TrainingLog(), tmp, Map.of());
    BufferedImage loss = png(tmp.resolve("loss_curves.png"));
    assertThat(loss.getWidth()).isEqualTo(1200);
    assertThat(loss.getHeight()).isEqualTo(700);
    BufferedImage validation = png(tmp.resolve("validation.png"));
    assertThat(validation.getWidth()).isEqualTo(1000);
    assertThat(validation.getHeight()).isEqualTo(600);
    JsonNode root = Json.MAPPER.readTree(tmp.resolve("metrics.json").toFile());
    assertThat(root.get("epochs")).isEmpty();
    assertThat(root.get("final")).isEmpty();
    assertThat(Files.readString(tmp.resolve("REPORT.md")))
        .contains("No steps have been logged yet.")
        .contains("No phases have been recorded yet.")
        .doesNotContain("```mermaid");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("REPORT.md", "loss_curves.png", "metrics.json", "validation.png");
    }
  }

  @Test
  void phaseNamesCannotBreakTheGanttSyntax() {
    Instant t = T0;
    String gantt =
        ReportWriter.gantt(
            List.of(
                new Phase("eval: val#2; x", t, t.plusSeconds(5)),
                new Phase("title", t.plusSeconds(5), t.plusSeconds(9)),
                new Phase("Section b", t.plusSeconds(9), t.plusSeconds(9))));
    assertThat(gantt)
        .contains("  section eval val 2 x\n  eval val 2 x :done, p0, ")
        .contains("  section phase title\n  phase title :done, p1, ")
        .contains(
            "  section phase Section b\n  phase Section b :done, p2, "
                + "2026-11-22 19:00:09, 2026-11-22 19:00:10\n")
        // Nine seconds in all: the axis shows seconds.
        .contains("  axisFormat %H:%M:%S\n");
  }

  @Test
  void markdownCellsStayOnOneLineAndInsideTheirColumn() {
    assertThat(ReportWriter.cell("a|b\nc", false)).isEqualTo("a\\|b c");
    assertThat(ReportWriter.cell("x*y*", false)).isEqualTo("`x*y*`");
    assertThat(ReportWriter.cell("run `a`", true)).isEqualTo("`` run `a` ``");
    assertThat(ReportWriter.cell("weather_acc", false)).isEqualTo("weather_acc");
  }
}
