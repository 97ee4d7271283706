package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The OOD evaluation's figures as pure functions on hand-made scores. */
class OodEvaluatorTest {

  @Test
  void aurocIsOneWhenEveryRealFrameScoresAboveEverySyntheticOne() {
    assertThat(OodEvaluator.auroc(new double[] {0.1, 0.4, 0.9}, new double[] {1.2, 0.95}))
        .isEqualTo(1.0);
    assertThat(OodEvaluator.auroc(new double[] {1.2, 0.95}, new double[] {0.1, 0.4, 0.9}))
        .isEqualTo(0.0);
  }

  @Test
  void aurocCountsTiesHalf() {
    assertThat(OodEvaluator.auroc(new double[] {0.7, 0.7}, new double[] {0.7})).isEqualTo(0.5);
    // pairs (real, synthetic) of 3 x 4 = 12: 0.5 beats 0.2 and ties 0.5 twice (2), 1.0 beats all
    // four (4), 0.3 beats 0.2 (1): 7/12
    assertThat(OodEvaluator.auroc(new double[] {0.2, 0.5, 0.5, 0.9}, new double[] {0.5, 1.0, 0.3}))
        .isCloseTo(7 / 12.0, within(1e-12));
    // a tie across the two sides and within one side
    assertThat(OodEvaluator.auroc(new double[] {1, 1, 2}, new double[] {1, 3}))
        .isCloseTo((1 + 3) / 6.0, within(1e-12));
  }

  @Test
  void aurocEqualsTheCountOverAllPairs() {
    Random rnd = new Random(5);
    for (int run = 0; run < 50; run++) {
      double[] neg = new double[1 + rnd.nextInt(40)];
      double[] pos = new double[1 + rnd.nextInt(40)];
      // coarse scores, so that ties are common
      for (int i = 0; i < neg.length; i++) {
        neg[i] = rnd.nextInt(6) / 2.0;
      }
      for (int i = 0; i < pos.length; i++) {
        pos[i] = rnd.nextInt(8) / 2.0;
      }
      double pairs = 0;
      for (double p : pos) {
        for (double n : neg) {
          pairs += p > n ? 1 : p == n ? 0.5 : 0;
        }
      }
      assertThat(OodEvaluator.auroc(neg, pos))
          .isCloseTo(pairs / (neg.length * pos.length), within(1e-12));
    }
  }

  @Test
  void aurocRefusesAnEmptySideAndNaN() {
    assertThatThrownBy(() -> OodEvaluator.auroc(new double[0], new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both sides");
    assertThatThrownBy(() -> OodEvaluator.auroc(new double[] {1}, new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OodEvaluator.auroc(new double[] {Double.NaN}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void medianAndShareAboveTheThreshold() {
    assertThat(OodEvaluator.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(OodEvaluator.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    // above is strictly above, as Perception.unsure counts it
    assertThat(OodEvaluator.shareAbove(new double[] {0.5, 1.0, 1.5, 3}, 1.0)).isEqualTo(0.5);
    assertThat(OodEvaluator.shareAbove(new double[0], 1.0)).isZero();
  }

  @Test
  void spreadTakesEvenlySpacedFramesInOrder() {
    List<Integer> ten = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(OodEvaluator.spread(ten, 4)).containsExactly(0, 2, 5, 7);
    assertThat(OodEvaluator.spread(ten, 1)).containsExactly(0);
    assertThat(OodEvaluator.spread(ten, 10)).isEqualTo(ten);
    assertThat(OodEvaluator.spread(ten, 2000)).isEqualTo(ten);
    assertThatThrownBy(() -> OodEvaluator.spread(ten, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
