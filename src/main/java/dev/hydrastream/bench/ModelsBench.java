package dev.hydrastream.bench;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Models side by side: CPU frames/s of each model directory through the DJL serving path at batch 1
 * and 8, measured in one run. Each repeat measures every model back to back (order reversed on
 * every other repeat); each model's speed relative to the first is the median of the per-repeat
 * ratios, with the run's spread, so slow drift of a shared machine favours none. Rows carry the
 * card's FLOPs and metrics (test split and, when recorded, the real dev set).
 */
public final class ModelsBench {

  /** One model's row. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      String model,
      Path dir,
      int inputHeight,
      int inputWidth,
      @JsonUnwrapped ModelCost cost,
      @JsonUnwrapped(prefix = "fps_") AtBatch fps,
      @JsonUnwrapped(prefix = "ratio_") AtBatch ratio,
      Paired.Interval ratioBatch1Interval,
      Paired.Interval ratioBatch8Interval,
      Map<String, Object> testMetrics,
      Map<String, Object> devsetMetrics) {}

  /** What {@code bench models} reports. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine, List<Row> models, int repeats, double secondsPerMeasurement, String note) {}

  private ModelsBench() {}

  public static Report run(List<Path> dirs, double seconds, int repeats, Path out)
      throws IOException {
    Files.createDirectories(out);
    int n = dirs.size();
    List<PerceptionModel> models = new ArrayList<>();
    List<Predictor<FrameDecoder.Decoded, Perception>> predictors = new ArrayList<>();
    List<List<FrameDecoder.Decoded>> batches = new ArrayList<>();
    double[][][] fps = new double[n][2][repeats];
    try {
      Random rnd = new Random(1);
      for (Path d : dirs) {
        PerceptionModel m = PerceptionModel.load(d, PerceptionModel.Options.defaults());
        models.add(m);
        predictors.add(m.newPredictor());
        ModelCard c = m.card();
        List<FrameDecoder.Decoded> b = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          byte[] rgb = new byte[c.inputHeight() * c.inputWidth() * 3];
          rnd.nextBytes(rgb);
          b.add(
              new FrameDecoder.Decoded(
                  rgb, Letterbox.of(1280, 720, c.inputWidth(), c.inputHeight())));
        }
        batches.add(b);
      }
      for (int i = 0; i < n; i++) {
        for (int w = 0; w < 3; w++) {
          models.get(i).predict(predictors.get(i), batches.get(i));
          models.get(i).predict(predictors.get(i), batches.get(i).subList(0, 1));
        }
      }
      for (int r = 0; r < repeats; r++) {
        for (int k = 0; k < n; k++) {
          int i = r % 2 == 0 ? k : n - 1 - k;
          List<FrameDecoder.Decoded> b = batches.get(i);
          fps[i][0][r] =
              SharingBench.measure(models.get(i), predictors.get(i), b.subList(0, 1), seconds);
          fps[i][1][r] = SharingBench.measure(models.get(i), predictors.get(i), b, seconds);
        }
      }
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double[] r1 = new double[repeats];
        double[] r8 = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          r1[r] = fps[i][0][r] / fps[0][0][r];
          r8[r] = fps[i][1][r] / fps[0][1][r];
        }
        ModelCard c = models.get(i).card();
        rows.add(
            new Row(
                c.name() + "@" + c.version(),
                dirs.get(i),
                c.inputHeight(),
                c.inputWidth(),
                ModelCost.of(c),
                AtBatch.medians(fps[i][0], fps[i][1]),
                AtBatch.medians(r1, r8),
                repeats >= 3 ? Paired.medianInterval(r1, 0.9) : null,
                repeats >= 3 ? Paired.medianInterval(r8, 0.9) : null,
                numbers(c.raw().path("test_metrics")),
                numbers(c.raw().path("devset_real"))));
      }
      Report report =
          new Report(
              Reports.machine(),
              rows,
              repeats,
              seconds,
              "ratio = frames/s over the first model's, median of per-repeat ratios");
      Reports.write(out, "models", report);
      return report;
    } finally {
      predictors.forEach(Predictor::close);
      models.forEach(PerceptionModel::close);
    }
  }

  private static Map<String, Object> numbers(com.fasterxml.jackson.databind.JsonNode node) {
    Map<String, Object> m = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNumber()) {
                m.put(f.getKey(), f.getValue().asDouble());
              }
            });
    return m;
  }
}
