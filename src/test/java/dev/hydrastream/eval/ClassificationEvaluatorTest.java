package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests {@link ClassificationEvaluator} on a few weather pairs, some with unknown truth. */
class ClassificationEvaluatorTest {

  private static final double EPS = 1e-9;

  private static ClassificationEvaluator weather() {
    ClassificationEvaluator e = new ClassificationEvaluator();
    e.add("clear", "clear");
    e.add("rainy", "clear");
    e.add(null, "rainy");
    e.add("overcast", "overcast");
    e.add(null, "clear");
    e.add("clear", "clear");
    return e;
  }

  @Test
  void accuracySkipsUnknownTruths() {
    ClassificationEvaluator e = weather();

    // 4 pairs with known truth, 3 right: 3/4. Counting the 2 unknowns as wrong would give 3/6.
    assertThat(e.accuracy()).isCloseTo(0.75, within(EPS));
    assertThat(e.count()).isEqualTo(4);
    assertThat(e.correct()).isEqualTo(3);
    assertThat(e.skipped()).isEqualTo(2);
  }

  @Test
  void confusionCountsByTruthThenPrediction() {
    assertThat(weather().confusion())
        .isEqualTo(
            Map.of(
                "clear", Map.of("clear", 2),
                "rainy", Map.of("clear", 1),
                "overcast", Map.of("overcast", 1)));
    assertThat(weather().confusion().keySet()).containsExactly("clear", "rainy", "overcast");
  }

  @Test
  void mergeAddsCounts() {
    ClassificationEvaluator a = weather();
    ClassificationEvaluator b = new ClassificationEvaluator();
    b.add("rainy", "rainy");
    b.add(null, "foggy");

    a.merge(b);

    // 5 known, 4 right.
    assertThat(a.accuracy()).isCloseTo(0.8, within(EPS));
    assertThat(a.skipped()).isEqualTo(3);
    assertThat(a.confusion().get("rainy")).isEqualTo(Map.of("clear", 1, "rainy", 1));
    assertThat(b.count()).isEqualTo(1);
  }

  @Test
  void emptyOrOnlyUnknownHasNoAccuracy() {
    ClassificationEvaluator e = new ClassificationEvaluator();
    e.add(null, "clear");

    assertThat(e.accuracy()).isNaN();
    assertThat(e.count()).isZero();
    assertThatThrownBy(() -> e.add("clear", null)).isInstanceOf(NullPointerException.class);
  }

  /*
   * Four predictions at confidence 0.9 (bin 13 of 15), three right: |0.75 - 0.9| = 0.15.
   * Two at 0.5 (bin 7), one right: |0.5 - 0.5| = 0. ECE = 4/6 * 0.15 + 2/6 * 0 = 0.1.
   */
  @Test
  void expectedCalibrationErrorWeighsEachBinsGapByItsShare() {
    ClassificationEvaluator e = new ClassificationEvaluator();
    e.add("clear", "clear", 0.9);
    e.add("clear", "clear", 0.9);
    e.add("rainy", "rainy", 0.9);
    e.add("rainy", "clear", 0.9);
    e.add("foggy", "foggy", 0.5);
    e.add("foggy", "snowy", 0.5);
    e.add(null, "snowy", 0.99); // unknown truth: skipped everywhere
    assertThat(e.expectedCalibrationError()).isCloseTo(0.1, within(1e-9));
    assertThat(e.meanConfidence()).isCloseTo((4 * 0.9 + 2 * 0.5) / 6, within(1e-9));
    ClassificationEvaluator twice = new ClassificationEvaluator();
    twice.merge(e);
    twice.merge(e);
    assertThat(twice.expectedCalibrationError()).isCloseTo(0.1, within(1e-9));
    assertThat(new ClassificationEvaluator().expectedCalibrationError()).isNaN();
    assertThatThrownBy(() -> e.add("clear", "clear", 1.2)).hasMessageContaining("confidence");
  }
}
