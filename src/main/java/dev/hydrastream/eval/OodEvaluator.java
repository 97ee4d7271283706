package dev.hydrastream.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * How well a model's out-of-distribution score ({@link Perception#oodScore()}, the card's {@code
 * ood} output) tells the synthetic frames it was trained on (in distribution, the negatives) from
 * real frames (the positives): AUROC, and per side the frames scored, the median score and the
 * share above the card's {@link ModelCard#oodThreshold()}. Frames go through the serving path
 * ({@link ModelRuns}: OpenCV decode and letterbox, batched model calls).
 */
public final class OodEvaluator {

  /** Key of the in-distribution side in {@link Result#sides()}. */
  public static final String SYNTHETIC = "synthetic";

  /** Key of the out-of-distribution side in {@link Result#sides()}. */
  public static final String REAL = "real";

  private OodEvaluator() {}

  /**
   * The scores of one side.
   *
   * @param data the dataset directory, dev-set file or image folder
   * @param split the dataset split (null for the real side)
   * @param frames frames scored
   * @param available frames the source has (more than {@code frames} when capped)
   * @param medianScore median OOD score
   * @param shareAboveThreshold share of the frames whose score is above the card's threshold
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Side(
      String data,
      String split,
      int frames,
      int available,
      double medianScore,
      double shareAboveThreshold) {}

  /**
   * The result of a run; JSON field names are those of {@code eval --ood-against --json}.
   *
   * @param model {@code name@version}
   * @param threshold the card's {@code ood.threshold}
   * @param auroc probability that a real frame scores above a synthetic one, ties counted half
   * @param seconds wall time, decoding included
   * @param sides {@value #SYNTHETIC} and {@value #REAL}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      String model, double threshold, double auroc, double seconds, Map<String, Side> sides) {}

  /**
   * A source of frames for one side.
   *
   * @param data what the user named (dataset directory, dev-set file, image folder)
   * @param split the dataset split, or null
   * @param images the frames to score
   * @param available how many frames the source has
   */
  public record Source(String data, String split, List<Path> images, int available) {}

  /**
   * Refuses a model whose card declares no OOD output, naming its directory.
   *
   * @throws IllegalArgumentException when {@code card} has no {@code ood} object
   */
  public static void requireOod(Path dir, ModelCard card) {
    if (card.oodOutput() == null) {
      throw new IllegalArgumentException(
          dir
              + ": the model has no out-of-distribution output (its "
              + ModelCard.FILE
              + " has no \""
              + ModelCard.OOD_FIELD
              + "\" object); --ood-against needs a model that exports one (trained with the"
              + " pretrained backbone)");
    }
  }

  /**
   * At most {@code max} of {@code all}, evenly spread over it in order (all of them when there are
   * no more than {@code max}), so that a capped run still sees every part of a split.
   */
  public static <T> List<T> spread(List<T> all, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    if (all.size() <= max) {
      return all;
    }
    List<T> out = new ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      out.add(all.get((int) ((long) i * all.size() / max)));
    }
    return out;
  }

  /**
   * Area under the ROC curve of a score that should be higher for {@code positives} than for {@code
   * negatives}: the probability that a random positive scores above a random negative, a tie
   * counting half (the Mann-Whitney U over {@code n * m}, with mid-ranks for ties). 1 separates
   * perfectly, 0.5 is chance.
   *
   * @throws IllegalArgumentException when a side is empty or a score is NaN
   */
  public static double auroc(double[] negatives, double[] positives) {
    if (negatives.length == 0 || positives.length == 0) {
      throw new IllegalArgumentException(
          "AUROC needs scores on both sides, got "
              + negatives.length
              + " negatives and "
              + positives.length
              + " positives");
    }
    int n = negatives.length + positives.length;
    double[][] all = new double[n][];
    for (int i = 0; i < negatives.length; i++) {
      all[i] = new double[] {finite(negatives[i]), 0};
    }
    for (int i = 0; i < positives.length; i++) {
      all[negatives.length + i] = new double[] {finite(positives[i]), 1};
    }
    Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
    double positiveRanks = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && all[j][0] == all[i][0]) {
        j++;
      }
      double midRank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their mean
      for (int k = i; k < j; k++) {
        positiveRanks += all[k][1] * midRank;
      }
      i = j;
    }
    double m = positives.length;
    double u = positiveRanks - m * (m + 1) / 2;
    return u / (m * negatives.length);
  }

  private static double finite(double v) {
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("an OOD score is NaN");
    }
    return v;
  }

  /** The median of {@code scores} (the mean of the middle two for an even count). */
  public static double median(double[] scores) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("no scores");
    }
    double[] s = scores.clone();
    Arrays.sort(s);
    int h = s.length / 2;
    return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  }

  /** Share of {@code scores} above {@code threshold} (as {@link Perception#unsure} counts them). */
  public static double shareAbove(double[] scores, double threshold) {
    int above = 0;
    for (double s : scores) {
      above += s > threshold ? 1 : 0;
    }
    return scores.length == 0 ? 0 : above / (double) scores.length;
  }

  /** The figures of one side from its scores. */
  static Side side(Source source, double[] scores, double threshold) {
    return new Side(
        source.data(),
        source.split(),
        scores.length,
        source.available(),
        median(scores),
        shareAbove(scores, threshold));
  }

  /**
   * Scores every frame of {@code synthetic} and {@code real} with {@code model} and compares them.
   *
   * @param progress told the number of frames done (both sides) after each batch
   * @throws IllegalArgumentException when the model has no OOD output
   */
  public static Result evaluate(
      PerceptionModel model, Source synthetic, Source real, int batch, IntConsumer progress) {
    ModelCard card = model.card();
    if (card.oodOutput() == null) {
      throw new IllegalArgumentException(
          card.id() + ": the model has no out-of-distribution output");
    }
    long started = System.nanoTime();
    double[] negatives = scores(model, synthetic.images(), batch, progress);
    int done = synthetic.images().size();
    double[] positives = scores(model, real.images(), batch, n -> progress.accept(done + n));
    double seconds = (System.nanoTime() - started) / 1e9;
    double threshold = card.oodThreshold();
    Map<String, Side> sides = new LinkedHashMap<>();
    sides.put(SYNTHETIC, side(synthetic, negatives, threshold));
    sides.put(REAL, side(real, positives, threshold));
    return new Result(
        card.id(), threshold, auroc(negatives, positives), Math.round(seconds * 10) / 10.0, sides);
  }

  private static double[] scores(
      PerceptionModel model, List<Path> images, int batch, IntConsumer progress) {
    double[] out = new double[images.size()];
    ModelRuns.run(
        model,
        images,
        batch,
        (i, p) -> {
          if (p.oodScore() == null) {
            throw new IllegalStateException(
                images.get(i) + ": " + model.card().id() + " returned no OOD score");
          }
          out[i] = p.oodScore();
        },
        progress);
    return out;
  }
}
