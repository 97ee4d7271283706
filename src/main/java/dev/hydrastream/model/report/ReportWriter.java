package dev.hydrastream.model.report;

import dev.hydrastream.model.report.TrainingLog.Epoch;
import dev.hydrastream.model.report.TrainingLog.Phase;
import dev.hydrastream.model.report.TrainingLog.Step;
import dev.hydrastream.util.Charts;
import dev.hydrastream.util.Json;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * Writes the training report of a run into a directory: {@code loss_curves.png}, {@code
 * validation.png}, {@code metrics.json} and a {@code REPORT.md} that ties them together with the
 * run settings and a Mermaid timeline. Safe to call again as the run goes on: every file is
 * replaced atomically, so a reader never sees half a report.
 */
public final class ReportWriter {
  public static final String LOSS_PNG = "loss_curves.png";
  public static final String VALIDATION_PNG = "validation.png";
  public static final String METRICS_JSON = "metrics.json";
  public static final String REPORT_MD = "REPORT.md";

  public static final int LOSS_WIDTH = 1200;
  public static final int LOSS_HEIGHT = 700;
  public static final int VALIDATION_WIDTH = 1000;
  public static final int VALIDATION_HEIGHT = 600;

  /** Weight of the newest value in the smoothed loss curves. */
  static final double EMA_ALPHA = 0.1;

  /** The loss axis turns logarithmic when the total loss spans more decades than this. */
  static final double LOG_SCALE_DECADES = 1.5;

  /**
   * Known loss keys in legend order, so a key keeps its colour across runs and across a resume
   * (JSON sorts map keys, insertion order does not survive). Other keys follow alphabetically.
   */
  static final List<String> LOSS_ORDER =
      List.of("total", "weather", "timeofday", "scene", "heatmap", "size", "offset", "seg");

  /** How far a raw curve's colour is pulled towards white, so the smoothed curve stands out. */
  static final double FAINT = 0.68;

  private static final DateTimeFormatter GANTT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Words the Mermaid gantt lexer reads as statements at the start of a line. */
  private static final List<String> GANTT_KEYWORDS =
      List.of(
          "title",
          "section",
          "dateformat",
          "axisformat",
          "tickinterval",
          "excludes",
          "includes",
          "todaymarker",
          "weekday",
          "weekend",
          "click",
          "acctitle",
          "accdescr",
          "inclusiveenddates",
          "topaxis",
          "displaymode");

  private static final Pattern BACKTICKS = Pattern.compile("`+");

  private ReportWriter() {}

  /**
   * Writes the four report files into {@code dir} (created if missing).
   *
   * @param log the run so far; read once, so training may go on logging meanwhile
   * @param dir output directory
   * @param runInfo settings shown as the run table, in iteration order (e.g. command, seed, model,
   *     input size, params, epochs, wall time); values may be strings, numbers, {@link Duration}s
   *     or collections
   */
  public static void write(TrainingLog log, Path dir, Map<String, Object> runInfo)
      throws IOException {
    TrainingLog snapshot = log.copy();
    List<Step> steps = snapshot.steps();
    List<Epoch> epochs = snapshot.epochs();
    List<Phase> phases = snapshot.phases();
    Files.createDirectories(dir);

    LossSeries losses = lossSeries(steps);
    writePng(lossChart(losses), dir.resolve(LOSS_PNG));
    writePng(validationChart(epochs), dir.resolve(VALIDATION_PNG));

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("epochs", epochs);
    metrics.put("final", epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1).metrics());
    writeAtomically(
        dir.resolve(METRICS_JSON),
        Json.MAPPER.writeValueAsString(metrics).getBytes(StandardCharsets.UTF_8));

    String md = markdown(runInfo == null ? Map.of() : runInfo, steps, losses, epochs, phases);
    writeAtomically(dir.resolve(REPORT_MD), md.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Exponential moving average seeded with the first finite value. Non-finite inputs give NaN at
   * their index and leave the average untouched: a divergent step shows as a gap, not as a smooth
   * line that hides it.
   */
  static double[] ema(double[] values, double alpha) {
    double[] out = new double[values.length];
    double state = Double.NaN;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v)) {
        out[i] = Double.NaN;
        continue;
      }
      state = Double.isNaN(state) ? v : alpha * v + (1 - alpha) * state;
      out[i] = state;
    }
    return out;
  }

  /** Whether positive values span more than {@link #LOG_SCALE_DECADES}; never with v <= 0. */
  static boolean logScale(double[] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        continue;
      }
      if (v <= 0) {
        return false;
      }
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi > 0 && Math.log10(hi / lo) > LOG_SCALE_DECADES;
  }

  static Color faint(Color c) {
    return new Color(
        (int) Math.round(c.getRed() + (255 - c.getRed()) * FAINT),
        (int) Math.round(c.getGreen() + (255 - c.getGreen()) * FAINT),
        (int) Math.round(c.getBlue() + (255 - c.getBlue()) * FAINT));
  }

  /** Per-key raw and smoothed losses, keys in legend order. */
  record LossSeries(
      List<String> keys,
      Map<String, double[]> steps,
      Map<String, double[]> raw,
      Map<String, double[]> smooth,
      boolean log) {}

  static LossSeries lossSeries(List<Step> steps) {
    Set<String> seen = new TreeSet<>();
    steps.forEach(s -> seen.addAll(s.losses().keySet()));
    List<String> keys = new ArrayList<>();
    LOSS_ORDER.stream().filter(seen::contains).forEach(keys::add);
    seen.stream().filter(k -> !LOSS_ORDER.contains(k)).forEach(keys::add);

    Map<String, double[]> xs = new LinkedHashMap<>();
    Map<String, double[]> raw = new LinkedHashMap<>();
    Map<String, double[]> smooth = new LinkedHashMap<>();
    for (String key : keys) {
      // A key may be missing from some steps (e.g. a head switched on later).
      List<Step> with = steps.stream().filter(s -> s.losses().containsKey(key)).toList();
      double[] x = with.stream().mapToDouble(Step::step).toArray();
      double[] y = with.stream().mapToDouble(s -> s.losses().get(key)).toArray();
      xs.put(key, x);
      raw.put(key, y);
      smooth.put(key, ema(y, EMA_ALPHA));
    }
    double[] scaleBasis =
        raw.containsKey("total")
            ? raw.get("total")
            : raw.values().stream().flatMapToDouble(Arrays::stream).toArray();
    return new LossSeries(keys, xs, raw, smooth, logScale(scaleBasis));
  }

  static BufferedImage lossChart(LossSeries s) {
    Charts.LineChart chart =
        Charts.lines(
                LOSS_WIDTH,
                LOSS_HEIGHT,
                "Training loss",
                "step",
                s.log() ? "loss (log scale)" : "loss")
            .subtitle(
                String.format(
                    Locale.ROOT,
                    "bold: exponential moving average (alpha = %.2g), faint: raw per step",
                    EMA_ALPHA))
            .yScale(s.log() ? Charts.Scale.LOG : Charts.Scale.LINEAR);
    // Every raw line first, so no faint line is ever drawn over a smoothed one.
    for (int i = 0; i < s.keys().size(); i++) {
      String key = s.keys().get(i);
      chart.add(
          new Charts.Line(
              null, faint(Charts.color(i)), 1.2f, s.steps().get(key), s.raw().get(key), false));
    }
    for (int i = 0; i < s.keys().size(); i++) {
      String key = s.keys().get(i);
      double[] smooth = s.smooth().get(key);
      String label = key + "  " + number(lastFinite(smooth));
      chart.add(new Charts.Line(label, Charts.color(i), 2.4f, s.steps().get(key), smooth, false));
    }
    return chart.render();
  }

  static BufferedImage validationChart(List<Epoch> epochs) {
    Charts.LineChart chart =
        Charts.lines(VALIDATION_WIDTH, VALIDATION_HEIGHT, "Validation metrics", "epoch", "metric")
            .integerX()
            .yInclude(0, 1);
    List<String> names = metricNames(epochs);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      List<Epoch> with = epochs.stream().filter(e -> e.metrics().containsKey(name)).toList();
      double[] x = with.stream().mapToDouble(Epoch::epoch).toArray();
      double[] y = with.stream().mapToDouble(e -> e.metrics().get(name)).toArray();
      chart.add(new Charts.Line(name, Charts.color(i), 2.2f, x, y, true));
    }
    return chart.render();
  }

  private static List<String> metricNames(List<Epoch> epochs) {
    Set<String> names = new TreeSet<>();
    epochs.forEach(e -> names.addAll(e.metrics().keySet()));
    return List.copyOf(names);
  }

  // ---------------------------------------------------------------------------------------
  // REPORT.md

  static String markdown(
      Map<String, Object> runInfo,
      List<Step> steps,
      LossSeries losses,
      List<Epoch> epochs,
      List<Phase> phases) {
    StringBuilder md = new StringBuilder("# Training report\n\n");

    md.append("## Run\n\n");
    if (runInfo.isEmpty()) {
      md.append("No run settings were given.\n\n");
    } else {
      md.append("| Setting | Value |\n|---|---|\n");
      runInfo.forEach(
          (k, v) ->
              md.append("| ")
                  .append(cell(k, false))
                  .append(" | ")
                  .append(cell(value(v), "command".equalsIgnoreCase(k)))
                  .append(" |\n"));
      md.append('\n');
    }

    md.append("## Validation\n\n");
    if (epochs.isEmpty()) {
      md.append("No validation has run yet.\n\n");
    } else {
      Epoch last = epochs.get(epochs.size() - 1);
      md.append("Final metrics after epoch ")
          .append(last.epoch())
          .append(" of ")
          .append(epochs.size())
          .append(" evaluated.\n\n");
      md.append("| Metric | Final | Max (epoch) |\n|---|---:|---:|\n");
      for (String name : metricNames(epochs)) {
        Epoch best = null;
        for (Epoch e : epochs) {
          Double v = e.metrics().get(name);
          if (v != null && !v.isNaN() && (best == null || v > best.metrics().get(name))) {
            best = e;
          }
        }
        Double fin = last.metrics().get(name);
        md.append("| ")
            .append(cell(name, false))
            .append(" | ")
            .append(fin == null ? "–" : metric(fin))
            .append(" | ")
            .append(
                best == null ? "–" : metric(best.metrics().get(name)) + " (" + best.epoch() + ")")
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append("![validation metrics](").append(VALIDATION_PNG).append(")\n\n");

    md.append("## Losses\n\n");
    if (losses.keys().isEmpty()) {
      md.append("No steps have been logged yet.\n\n");
    } else {
      md.append(
          String.format(
              Locale.ROOT,
              "%d steps logged (step %d to %d); %s loss axis.%n%n",
              steps.size(),
              steps.get(0).step(),
              steps.get(steps.size() - 1).step(),
              losses.log() ? "logarithmic" : "linear"));
      md.append("| Loss | First | Final (raw) | Final (EMA) |\n|---|---:|---:|---:|\n");
      for (String key : losses.keys()) {
        double[] raw = losses.raw().get(key);
        md.append("| ")
            .append(cell(key, false))
            .append(" | ")
            .append(number(firstFinite(raw)))
            .append(" | ")
            .append(number(raw[raw.length - 1]))
            .append(" | ")
            .append(number(lastFinite(losses.smooth().get(key))))
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append("![loss curves](").append(LOSS_PNG).append(")\n\n");

    md.append("## Timeline\n\n");
    if (phases.isEmpty()) {
      md.append("No phases have been recorded yet.\n");
    } else {
      List<Phase> sorted = chronological(phases);
      Instant first = sorted.get(0).start();
      Instant end = sorted.stream().map(Phase::end).max(Comparator.naturalOrder()).orElseThrow();
      md.append("Wall time from the first phase to the last: ")
          .append(duration(Duration.between(first, end)))
          .append(" (times in UTC).\n\n");
      md.append("| Phase | Runs | Total time |\n|---|---:|---:|\n");
      for (Map.Entry<String, List<Phase>> e : bySection(sorted).entrySet()) {
        Duration total =
            e.getValue().stream()
                .map(p -> Duration.between(p.start(), p.end()))
                .reduce(Duration.ZERO, Duration::plus);
        md.append("| ")
            .append(cell(e.getKey(), false))
            .append(" | ")
            .append(e.getValue().size())
            .append(" | ")
            .append(duration(total))
            .append(" |\n");
      }
      md.append('\n').append(gantt(phases));
    }
    return md.toString();
  }

  /**
   * The Mermaid gantt block: one section per phase name (in order of first start), one task per
   * recorded phase. Times are whole UTC seconds with the end rounded up and at least a second after
   * the start, since Mermaid draws nothing for an empty bar.
   */
  static String gantt(List<Phase> phases) {
    List<Phase> sorted = chronological(phases);
    Map<String, List<Phase>> sections = bySection(sorted);
    Instant first = sorted.isEmpty() ? Instant.EPOCH : sorted.get(0).start();
    Instant last = sorted.stream().map(Phase::end).max(Comparator.naturalOrder()).orElse(first);
    long span = Duration.between(first, last).toSeconds();
    String axis = span <= 600 ? "%H:%M:%S" : span <= 86_400 ? "%H:%M" : "%m-%d %H:%M";

    StringBuilder g = new StringBuilder("```mermaid\ngantt\n");
    g.append("  title Training timeline (UTC)\n");
    // A space, not 'T', between date and time: Mermaid parses dates with dayjs, whose format
    // tokenizer knows space as a separator but would only skip a literal 'T' by accident.
    g.append("  dateFormat YYYY-MM-DD HH:mm:ss\n");
    g.append("  axisFormat ").append(axis).append('\n');
    g.append("  todayMarker off\n");
    int id = 0;
    for (Map.Entry<String, List<Phase>> e : sections.entrySet()) {
      String name = ganttText(e.getKey());
      g.append("  section ").append(name).append('\n');
      int n = 0;
      for (Phase p : e.getValue()) {
        n++;
        Instant start = p.start().truncatedTo(ChronoUnit.SECONDS);
        Instant end = p.end().truncatedTo(ChronoUnit.SECONDS);
        if (end.isBefore(p.end())) {
          end = end.plusSeconds(1);
        }
        if (!end.isAfter(start)) {
          end = start.plusSeconds(1);
        }
        String task = e.getValue().size() > 1 ? name + " " + n : name;
        g.append("  ")
            .append(task)
            .append(" :done, p")
            .append(id++)
            .append(", ")
            .append(GANTT_TIME.format(start))
            .append(", ")
            .append(GANTT_TIME.format(end))
            .append('\n');
      }
    }
    return g.append("```\n").toString();
  }

  /** Phase names as gantt text: no characters the gantt grammar reserves, no leading keyword. */
  static String ganttText(String name) {
    String text = name.replaceAll("[:;#\\r\\n`%]", " ").replaceAll("\\s+", " ").trim();
    if (text.isEmpty()) {
      return "phase";
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String keyword : GANTT_KEYWORDS) {
      if (lower.equals(keyword) || lower.startsWith(keyword + " ")) {
        return "phase " + text;
      }
    }
    return text;
  }

  private static List<Phase> chronological(List<Phase> phases) {
    return phases.stream()
        .sorted(Comparator.comparing(Phase::start).thenComparing(Phase::end))
        .toList();
  }

  private static Map<String, List<Phase>> bySection(List<Phase> sorted) {
    // Grouped by the cleaned name, so two names that clean to the same text share a section.
    return sorted.stream()
        .collect(
            Collectors.groupingBy(
                p -> ganttText(p.name()), LinkedHashMap::new, Collectors.toList()));
  }

  // ---------------------------------------------------------------------------------------
  // Formatting

  private static String value(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Duration d) {
      return duration(d);
    }
    if (v instanceof Double || v instanceof Float) {
      return number(((Number) v).doubleValue());
    }
    if (v instanceof Collection<?> c) {
      return c.stream().map(ReportWriter::value).collect(Collectors.joining(", "));
    }
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> e.getKey() + "=" + value(e.getValue()))
          .collect(Collectors.joining(", "));
    }
    return String.valueOf(v);
  }

  /**
   * Text safe inside a Markdown table cell: one line, pipes escaped. Text with Markdown punctuation
   * (and any command line) goes in a code span so it shows verbatim.
   */
  static String cell(String text, boolean code) {
    String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    if (code || line.matches(".*[*`\\[\\]<>\\\\].*")) {
      int longest = 0;
      Matcher m = BACKTICKS.matcher(line);
      while (m.find()) {
        longest = Math.max(longest, m.group().length());
      }
      String fence = "`".repeat(longest + 1);
      String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
      line = fence + pad + line + pad + fence;
    }
    return line.replace("|", "\\|");
  }

  private static String metric(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = d.toSeconds();
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60);
  }

  private static double lastFinite(double[] v) {
    for (int i = v.length - 1; i >= 0; i--) {
      if (Double.isFinite(v[i])) {
        return v[i];
      }
    }
    return Double.NaN;
  }

  private static double firstFinite(double[] v) {
    for (double x : v) {
      if (Double.isFinite(x)) {
        return x;
      }
    }
    return Double.NaN;
  }

  // ---------------------------------------------------------------------------------------
  // Files

  private static void writePng(BufferedImage image, Path file) throws IOException {
    Path tmp = TrainingLog.tempSibling(file);
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available for " + file);
      }
      TrainingLog.moveIntoPlace(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = TrainingLog.tempSibling(file);
    try {
      Files.write(tmp, bytes);
      TrainingLog.moveIntoPlace(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
