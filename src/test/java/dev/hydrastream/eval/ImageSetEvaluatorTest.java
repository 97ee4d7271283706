package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-image dev set: its file format, the road scores, and a run of the committed model. */
class ImageSetEvaluatorTest {
  static final Path MODEL = Path.of("models/hydranet");
  static final Path DEV_SET = Path.of("models/devset/labels.json");

  @TempDir Path tmp;

  /** A 100x50 frame whose grid (the same size) is drivable on its left half. */
  private static Perception.Segmentation leftHalfDrivable() {
    byte[] mask = new byte[100 * 50];
    for (int y = 0; y < 50; y++) {
      for (int x = 0; x < 50; x++) {
        mask[y * 100 + x] = 1;
      }
    }
    return new Perception.Segmentation(mask, 100, 50, Letterbox.of(100, 50, 100, 50));
  }

  @Test
  void roadScoresCompareThePolygonWithThePredictedDrivableArea() {
    Perception.Segmentation seg = leftHalfDrivable();
    double[] same =
        ImageSetEvaluator.roadScores(new int[][] {{0, 0}, {50, 0}, {50, 50}, {0, 50}}, seg);
    assertThat(same[0]).isCloseTo(1, within(1e-9));
    assertThat(same[1]).isCloseTo(1, within(1e-9));
    assertThat(same[2]).isCloseTo(1, within(1e-9));
    // the bottom half of the frame: half of it predicted drivable, half of the prediction in it
    double[] bottom =
        ImageSetEvaluator.roadScores(new int[][] {{0, 25}, {100, 25}, {100, 50}, {0, 50}}, seg);
    assertThat(bottom[0]).isCloseTo(0.5, within(0.01));
    assertThat(bottom[1]).isCloseTo(0.5, within(0.01));
    assertThat(bottom[2]).isCloseTo(1 / 3.0, within(0.01));
  }

  @Test
  void aBadDevSetIsRefusedNamingTheEntryAndField() throws Exception {
    Path f = tmp.resolve("dev.json");
    Files.writeString(f, "{\"images\": [{\"file\": \"a.jpg\", \"weather\": \"sunny\"}]}");
    assertThatThrownBy(() -> ImageSetEvaluator.readDevSet(f))
        .hasMessageContaining("images[0].weather")
        .hasMessageContaining("'sunny'");
    Files.writeString(f, "{\"images\": [{\"file\": \"a.jpg\", \"road\": [[0, 0], [1, 1]]}]}");
    assertThatThrownBy(() -> ImageSetEvaluator.readDevSet(f))
        .hasMessageContaining("images[0].road");
    Files.writeString(f, "{\"images\": []}");
    assertThatThrownBy(() -> ImageSetEvaluator.readDevSet(f)).hasMessageContaining("images");
  }

  @Test
  void theCommittedDevSetReadsAndTheDefaultModelIsScoredOnIt() throws Exception {
    List<ImageSetEvaluator.DevImage> dev = ImageSetEvaluator.readDevSet(DEV_SET);
    assertThat(dev).hasSize(6);
    assertThat(dev).allSatisfy(d -> assertThat(d.road()).isNotNull());
    assumeTrue(Files.exists(MODEL.resolve("model.json")), "no default model committed yet");
    assumeTrue(Files.isRegularFile(dev.get(0).file()), "labelme-examples not installed");
    List<Path> seen = new ArrayList<>();
    ImageSetEvaluator.Result r;
    try (PerceptionModel m = PerceptionModel.load(MODEL, PerceptionModel.Options.defaults())) {
      r =
          ImageSetEvaluator.evaluate(
              m,
              DEV_SET.toString(),
              dev.stream().map(ImageSetEvaluator.DevImage::file).toList(),
              dev,
              0.3,
              (file, p) -> seen.add(file));
    }
    assertThat(seen).hasSize(6);
    assertThat(r.frames()).isEqualTo(6);
    r.heads()
        .forEach(
            (head, mix) -> {
              assertThat(mix.mix().values().stream().mapToInt(Integer::intValue).sum())
                  .as(head)
                  .isEqualTo(6);
              assertThat(mix.meanConfidence()).isBetween(0.0, 1.0);
            });
    assertThat(r.dev().images()).hasSize(6);
    assertThat(r.dev().accuracy()).containsEntry("scene", r.dev().accuracy().get("scene"));
    assertThat(r.dev().accuracy().get("weather")).endsWith("/6");
    assertThat(r.dev().accuracy().get("scene")).endsWith("/5");
    assertThat(r.dev().roadIou()).isBetween(0.0, 1.0);
  }
}
