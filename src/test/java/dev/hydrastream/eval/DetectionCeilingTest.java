package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.data.Bdd100kDataset;
import dev.hydrastream.data.Bdd100kReader;
import dev.hydrastream.data.Sample;
import dev.hydrastream.data.SyntheticDataset;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.spec.Box;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size-limited oracle: which boxes it finds, and that its AP is the fraction it finds. */
class DetectionCeilingTest {
  @TempDir Path tmp;

  private static DetLabel label(long id, String category, double w, double h) {
    // inclusive pixels: a box from 100 to 100 + w - 1 is w pixels wide
    return new DetLabel(id, category, new Box(100, 100, 99 + w, 99 + h), false, false, null);
  }

  @Test
  void oracleKeepsBoxesWhoseSmallerSideReachesTheThresholdAtTheInput() {
    List<DetLabel> labels =
        List.of(
            label(1, "car", 40, 10), // smaller side 10 frame px -> 3 input px at scale 0.3
            label(2, "car", 20, 30), // 20 -> 6
            label(3, "pedestrian", 9, 30)); // 9 -> 2.7
    assertThat(DetectionCeiling.oracle(labels, 0.3, 3).stream().map(d -> d.box()))
        .containsExactly(labels.get(0).box(), labels.get(1).box());
    assertThat(DetectionCeiling.oracle(labels, 0.3, 6.0001)).isEmpty();
    assertThat(DetectionCeiling.oracle(labels, 0.3, 0))
        .hasSize(3)
        .allSatisfy(d -> assertThat(d.score()).isEqualTo(1.0));
  }

  @Test
  void apOfTheOracleIsTheFractionOfInstancesItCanFind() throws Exception {
    new SyntheticDataset(tmp, 5, 640, 360)
        .generate(12, 2, "test", SyntheticDataset.DEFAULT_SPLITS, n -> {});
    Bdd100kDataset ds = Bdd100kReader.open(tmp);
    // 640x360 letterboxed into 384x224: scale min(0.6, 0.622) = 0.6
    double scale = 0.6;
    double t = 6;
    int cars = 0;
    int carsFound = 0;
    for (Sample s : ds.samples("test")) {
      for (DetLabel l : s.labels().labels()) {
        if (l.category().equals("car")) {
          cars++;
          if (Math.min(l.box().width(), l.box().height()) * scale >= t) {
            carsFound++;
          }
        }
      }
    }
    assertThat(cars).as("the frames have cars").isPositive();
    assertThat(carsFound).as("some cars, not all, are big enough").isBetween(1, cars - 1);

    DetectionCeiling.Report doc =
        DetectionCeiling.evaluate(ds, "test", 384, 224, new double[] {0, t, 1e6}, 1);
    DetectionCeiling.Ceiling all = doc.ceilings().get(0);
    DetectionCeiling.Ceiling mid = doc.ceilings().get(1);
    DetectionCeiling.Ceiling none = doc.ceilings().get(2);
    assertThat(all.map50()).isCloseTo(1.0, within(1e-9));
    assertThat(mid.ap50().get("car")).isCloseTo(carsFound / (double) cars, within(1e-9));
    assertThat(mid.map50()).isStrictlyBetween(0.0, 1.0);
    assertThat(none.map50()).isZero();
    assertThat(doc.input()).isEqualTo("384x224");
  }
}
