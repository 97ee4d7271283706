package dev.hydrastream.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.data.Bdd100kDataset;
import dev.hydrastream.data.DatasetException;
import dev.hydrastream.data.Sample;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.frame.ImageHeader;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detection AP a model input size allows, from the labels alone. A size-limited oracle finds
 * every ground-truth box whose smaller side is at least {@code t} pixels <em>at the model
 * input</em> (after letterboxing), with the exact box and a top score, and finds nothing smaller.
 * Its AP for a class is the fraction of the class's instances at or above {@code t}. It is scored
 * by {@link DetectionEvaluator}, the same code that scores models, so a model's AP can be read
 * against it directly.
 */
public final class DetectionCeiling {

  /**
   * The oracle's scores at each threshold; the field names are those of {@code eval --ceiling
   * --json}.
   *
   * @param input model input, {@code WIDTHxHEIGHT}
   * @param minInstances the class-size floor of {@code map50_min_instances}
   * @param ceilings one row per threshold, in the order given
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String data,
      String split,
      int frames,
      String input,
      int minInstances,
      List<Ceiling> ceilings) {}

  /**
   * The oracle at one threshold.
   *
   * @param minSideInputPx smallest box side, in model input pixels, the oracle finds
   * @param map50 mAP over all classes with instances
   * @param map50MinInstances mAP over classes with at least {@code min_instances} instances
   * @param ap50 AP per class
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Ceiling(
      double minSideInputPx, double map50, double map50MinInstances, Map<String, Double> ap50) {}

  private DetectionCeiling() {}

  /**
   * The oracle's detections for one frame: the labels whose smaller side, times {@code scale}, is
   * at least {@code minSide}.
   */
  public static List<DetectedObject> oracle(List<DetLabel> labels, double scale, double minSide) {
    List<DetectedObject> out = new ArrayList<>();
    for (DetLabel l : labels) {
      if (Math.min(l.box().width(), l.box().height()) * scale >= minSide) {
        out.add(new DetectedObject(l.category(), l.box(), 1.0));
      }
    }
    return out;
  }

  /**
   * Scores the oracle at each threshold on {@code split} of {@code ds}, letterboxing each frame
   * (size read from its header) into {@code inputWidth x inputHeight}.
   *
   * @return per threshold, mAP over all classes, mAP over classes with at least {@code
   *     minInstances} instances, and AP per class
   */
  public static Report evaluate(
      Bdd100kDataset ds,
      String split,
      int inputWidth,
      int inputHeight,
      double[] thresholds,
      int minInstances) {
    List<DetectionEvaluator> evaluators = new ArrayList<>();
    for (int i = 0; i < thresholds.length; i++) {
      evaluators.add(new DetectionEvaluator(Head.DETECTION.labels(), 0.5, 0));
    }
    List<Sample> samples = ds.samples(split);
    for (Sample s : samples) {
      int[] size = frameSize(s);
      double scale = Letterbox.of(size[0], size[1], inputWidth, inputHeight).scale();
      List<DetLabel> gt = s.labels().labels();
      for (int i = 0; i < thresholds.length; i++) {
        evaluators.get(i).add(gt, oracle(gt, scale, thresholds[i]));
      }
    }
    List<Ceiling> rows = new ArrayList<>();
    for (int i = 0; i < thresholds.length; i++) {
      DetectionEvaluator.Result r = evaluators.get(i).evaluate();
      Map<String, Double> ap = new LinkedHashMap<>();
      for (DetectionEvaluator.ClassResult c : r.classes()) {
        ap.put(c.category(), c.ap());
      }
      rows.add(new Ceiling(thresholds[i], r.mAP(), r.mAP(minInstances), ap));
    }
    return new Report(
        ds.root().toString(),
        split,
        samples.size(),
        inputWidth + "x" + inputHeight,
        minInstances,
        rows);
  }

  /** The frame's {@code {width, height}} from its JPEG or PNG header. */
  private static int[] frameSize(Sample s) {
    int[] size;
    try {
      size = ImageHeader.size(Files.readAllBytes(s.image()));
    } catch (IOException e) {
      throw new UncheckedIOException(s.image() + ": " + e.getMessage(), e);
    }
    if (size == null) {
      throw new DatasetException(s.image() + ": not a JPEG or PNG with a readable header");
    }
    return size;
  }
}
