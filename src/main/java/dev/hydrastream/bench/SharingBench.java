package dev.hydrastream.bench;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.model.Exporter;
import dev.hydrastream.model.ModelConfig;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The shared backbone against four single-task networks (classification = weather + time of day,
 * detection, segmentation, scene) built from the same configuration: FLOPs and parameters counted
 * from the exported graphs, throughput through the DJL serving path at batch 1 and 8, measured
 * interleaved in one run, and each model's metrics from its card.
 *
 * <p>The throughput ratio is paired: each repeat measures all five models back to back (the order
 * reversed on every other repeat, so slow drift of the shared machine favours no model), computes
 * {@code fps(multi) * sum(1 / fps(single))} from that repeat alone, and the reported ratio is the
 * median of those per-repeat ratios. A ratio of medians would mix repeats taken under different
 * background load.
 */
public final class SharingBench {

  /** The four single-task counterparts of the multi-task model. */
  public static final Map<String, Set<Head>> SINGLE_TASKS = singleTasks();

  private static Map<String, Set<Head>> singleTasks() {
    Map<String, Set<Head>> m = new LinkedHashMap<>();
    m.put("classification", EnumSet.of(Head.WEATHER, Head.TIMEOFDAY));
    m.put("detection", EnumSet.of(Head.DETECTION));
    m.put("segmentation", EnumSet.of(Head.SEGMENTATION));
    m.put("scene", EnumSet.of(Head.SCENE));
    return m;
  }

  /** One model's measured row (median frames/s over the repeats). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      String name,
      Path dir,
      @JsonUnwrapped ModelCost cost,
      @JsonUnwrapped(prefix = "fps_") AtBatch fps,
      Map<String, Object> metrics) {}

  /**
   * What {@code bench sharing} reports.
   *
   * @param models the measured rows, multi-task first
   * @param flopsRatioMultiOverSingles multi-task FLOPs over the four singles' FLOPs together
   * @param singlesCombinedFpsBatch1 frames/s of the four singles run one after another
   * @param throughputRatioBatch1 median of the per-repeat ratios, multi-task frames/s over the four
   *     singles' combined frames/s
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine,
      List<Row> models,
      double flopsRatioMultiOverSingles,
      double singlesCombinedFpsBatch1,
      double singlesCombinedFpsBatch8,
      double throughputRatioBatch1,
      double throughputRatioBatch8,
      double[] throughputRatiosPerRepeatBatch1,
      double[] throughputRatiosPerRepeatBatch8,
      int repeats,
      double secondsPerMeasurement) {}

  private SharingBench() {}

  /**
   * Runs the benchmark and writes {@code sharing.json} and {@code sharing.png} into {@code out}.
   *
   * @param multi the multi-task model directory
   * @param baselines directory holding trained single-task models named like {@link #SINGLE_TASKS}
   *     keys, or null to export untrained ones (same compute) into {@code out/models}
   * @param seconds measuring time per model and batch size per repeat
   * @param repeats repeats (the median is reported)
   */
  public static Report run(Path multi, Path baselines, double seconds, int repeats, Path out)
      throws IOException {
    Files.createDirectories(out);
    Measured m = measure(multi, baselines, out.resolve("models"), seconds, repeats);
    List<Row> rows = m.rows();
    double singlesFlops = 0;
    double singlesTime1 = 0;
    double singlesTime8 = 0;
    for (Row r : rows.subList(1, rows.size())) {
      singlesFlops += r.cost().flops();
      singlesTime1 += 1 / r.fps().batch1();
      singlesTime8 += 1 / r.fps().batch8();
    }
    Report report =
        new Report(
            Reports.machine(),
            rows,
            rows.get(0).cost().flops() / singlesFlops,
            1 / singlesTime1,
            1 / singlesTime8,
            Paired.median(m.ratiosBatch1()),
            Paired.median(m.ratiosBatch8()),
            m.ratiosBatch1(),
            m.ratiosBatch8(),
            repeats,
            seconds);
    Reports.write(out, "sharing", report);
    chart(report, out.resolve("sharing.png"));
    return report;
  }

  private static void chart(Report r, Path png) throws IOException {
    List<String> names = new ArrayList<>();
    double[][] values = new double[2][r.models().size() + 1];
    for (int i = 0; i < r.models().size(); i++) {
      names.add(r.models().get(i).name());
      values[0][i] = r.models().get(i).fps().batch1();
      values[1][i] = r.models().get(i).fps().batch8();
    }
    names.add("4 singles together");
    values[0][r.models().size()] = r.singlesCombinedFpsBatch1();
    values[1][r.models().size()] = r.singlesCombinedFpsBatch8();
    Charts.bars(
        png,
        "Shared backbone vs four single-task models (frames/s, DJL + TF, CPU)",
        "frames/s",
        names,
        List.of("batch 1", "batch 8"),
        values);
  }

  /** The measured rows (multi-task first) and the paired throughput ratios of every repeat. */
  private record Measured(List<Row> rows, double[] ratiosBatch1, double[] ratiosBatch8) {}

  private static Measured measure(
      Path multi, Path baselines, Path work, double seconds, int repeats) throws IOException {
    ModelCard card = ModelCard.read(multi);
    ModelConfig cfg = ModelConfig.fromCard(card);
    Map<String, Path> dirs = new LinkedHashMap<>();
    dirs.put("multi-task", multi);
    for (Map.Entry<String, Set<Head>> e : SINGLE_TASKS.entrySet()) {
      Path trained = baselines == null ? null : baselines.resolve(e.getKey());
      if (trained != null && Files.exists(trained.resolve(ModelCard.FILE))) {
        dirs.put(e.getKey(), trained);
      } else {
        Path dir = work.resolve(e.getKey());
        Exporter.exportUntrained(cfg.withTasks(e.getValue()), dir, 1);
        dirs.put(e.getKey(), dir);
      }
    }
    List<PerceptionModel> models = new ArrayList<>();
    List<Predictor<FrameDecoder.Decoded, Perception>> predictors = new ArrayList<>();
    try {
      for (Path d : dirs.values()) {
        PerceptionModel m = PerceptionModel.load(d, PerceptionModel.Options.defaults());
        models.add(m);
        predictors.add(m.newPredictor());
      }
      Random rnd = new Random(1);
      List<FrameDecoder.Decoded> batch8 = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        byte[] rgb = new byte[cfg.inputHeight() * cfg.inputWidth() * 3];
        rnd.nextBytes(rgb);
        batch8.add(
            new FrameDecoder.Decoded(
                rgb, Letterbox.of(1280, 720, cfg.inputWidth(), cfg.inputHeight())));
      }
      List<FrameDecoder.Decoded> batch1 = batch8.subList(0, 1);
      double[][][] fps = new double[models.size()][2][repeats];
      for (int i = 0; i < models.size(); i++) {
        for (int w = 0; w < 3; w++) {
          models.get(i).predict(predictors.get(i), batch8);
          models.get(i).predict(predictors.get(i), batch1);
        }
      }
      double[] ratios1 = new double[repeats];
      double[] ratios8 = new double[repeats];
      int count = models.size();
      for (int r = 0; r < repeats; r++) {
        for (int k = 0; k < count; k++) {
          int i = r % 2 == 0 ? k : count - 1 - k;
          fps[i][0][r] = measure(models.get(i), predictors.get(i), batch1, seconds);
          fps[i][1][r] = measure(models.get(i), predictors.get(i), batch8, seconds);
        }
        ratios1[r] = pairedRatio(fps, 0, r);
        ratios8[r] = pairedRatio(fps, 1, r);
      }
      List<Row> rows = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, Path> e : dirs.entrySet()) {
        ModelCard c = models.get(i).card();
        Map<String, Object> metrics = new LinkedHashMap<>();
        var test = c.raw().path("test_metrics");
        var source = test.isMissingNode() ? c.raw().path("validation") : test;
        source
            .fields()
            .forEachRemaining(
                f ->
                    metrics.put(
                        f.getKey(),
                        f.getValue().isNumber()
                            ? f.getValue().asDouble()
                            : f.getValue().toString()));
        rows.add(
            new Row(
                e.getKey(),
                e.getValue(),
                ModelCost.of(c),
                AtBatch.medians(fps[i][0], fps[i][1]),
                metrics));
        i++;
      }
      return new Measured(rows, ratios1, ratios8);
    } finally {
      predictors.forEach(Predictor::close);
      models.forEach(PerceptionModel::close);
    }
  }

  /** Repeat {@code r}'s multi-task (index 0) frames/s over the singles' combined frames/s. */
  static double pairedRatio(double[][][] fps, int batch, int r) {
    double singlesTime = 0;
    for (int i = 1; i < fps.length; i++) {
      singlesTime += 1 / fps[i][batch][r];
    }
    return fps[0][batch][r] * singlesTime;
  }

  /** Frames/s of repeated {@code batch} calls for {@code seconds} (at least one call). */
  static double measure(
      PerceptionModel m,
      Predictor<FrameDecoder.Decoded, Perception> p,
      List<FrameDecoder.Decoded> batch,
      double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    int frames = 0;
    do {
      m.predict(p, batch);
      frames += batch.size();
    } while (System.nanoTime() < end);
    return frames / ((System.nanoTime() - start) / 1e9);
  }
}
