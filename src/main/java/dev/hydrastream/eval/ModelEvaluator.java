package dev.hydrastream.eval;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.data.Bdd100kDataset;
import dev.hydrastream.data.MaskGrid;
import dev.hydrastream.data.Sample;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Evaluates a served model on a labelled split through the same path as production: OpenCV decode
 * and letterbox, one batched DJL call, outputs mapped by name, boxes in frame pixels. Reports
 * attribute accuracies, per-class AP@0.5 with instance counts and mAP, per-class IoU on the model's
 * segmentation grid, drivable mIoU (direct, alternative) and lane IoU.
 */
public final class ModelEvaluator {

  /**
   * Evaluation settings.
   *
   * @param batch frames per model call
   * @param minGtHeight ground-truth boxes lower than this (frame pixels) are ignored regions
   * @param minInstances classes with fewer test instances are left out of the headline mAP
   */
  public record Options(int batch, double minGtHeight, int minInstances) {
    public static Options defaults() {
      return new Options(8, 0, 50);
    }
  }

  private ModelEvaluator() {}

  /**
   * The evaluation of a model on a split: where, how long, and the metric set. JSON field names are
   * those of {@code eval --json}.
   *
   * @param model {@code name@version}
   * @param data dataset directory
   * @param split split name
   * @param frames frames evaluated
   * @param seconds wall time, decoding included
   * @param modelFramesPerSecond frames per second of model time alone
   * @param metrics the metric set
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      String model,
      String data,
      String split,
      int frames,
      double seconds,
      double modelFramesPerSecond,
      @JsonUnwrapped MetricSet.Report metrics) {}

  /** Evaluates {@code model} on {@code split} of {@code ds}. */
  public static Result evaluate(
      PerceptionModel model, Bdd100kDataset ds, String split, Options opts, IntConsumer progress) {
    List<Sample> samples = ds.samples(split);
    MetricSet metrics = new MetricSet(model.card().heads(), opts.minGtHeight());
    long started = System.nanoTime();
    double modelSeconds =
        ModelRuns.run(
            model,
            samples.stream().map(Sample::image).toList(),
            opts.batch(),
            (i, r) -> metrics.add(truth(samples.get(i), r), r),
            progress);
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(
        model.card().id(),
        ds.root().toString(),
        split,
        samples.size(),
        Math.round(seconds * 10) / 10.0,
        samples.size() / Math.max(1e-9, modelSeconds),
        metrics.report(opts.minInstances()));
  }

  /** The ground truth of {@code s} in the coordinates of its prediction {@code r}. */
  private static MetricSet.Truth truth(Sample s, Perception r) {
    Map<Head, String> attributes = new EnumMap<>(Head.class);
    attributes.put(Head.WEATHER, s.labels().weather());
    attributes.put(Head.TIMEOFDAY, s.labels().timeofday());
    attributes.put(Head.SCENE, s.labels().scene());
    int[] grid = null;
    Perception.Segmentation sg = r.segmentation();
    if (sg != null && s.drivableMask() != null) {
      Letterbox lb = sg.letterbox();
      byte[] target =
          MaskGrid.target(
              s,
              lb,
              lb.srcWidth(),
              lb.srcHeight(),
              sg.width(),
              sg.height(),
              lb.dstWidth() / (double) sg.width());
      grid = new int[target.length];
      for (int c = 0; c < target.length; c++) {
        grid[c] = target[c] & 255;
      }
    }
    return new MetricSet.Truth(attributes, s.labels().labels(), grid);
  }
}
