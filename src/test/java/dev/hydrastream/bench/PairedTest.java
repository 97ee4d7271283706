package dev.hydrastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PairedTest {

  @Test
  void ratiosArePairwise() {
    assertThat(Paired.ratios(new double[] {2, 9, 1}, new double[] {1, 3, 4}))
        .containsExactly(2.0, 3.0, 0.25);
  }

  @Test
  void ratiosOfSeriesOfDifferentLengthsAreRefused() {
    assertThatThrownBy(() -> Paired.ratios(new double[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 and 1");
  }

  @Test
  void medianOfOddAndEvenCountsLeavesTheInputAlone() {
    double[] odd = {5, 1, 3};
    assertThat(Paired.median(odd)).isEqualTo(3.0);
    assertThat(odd).containsExactly(5, 1, 3);
    assertThat(Paired.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  @Test
  void medianIntervalOfFifteenIsTheFourthToTheTwelfthValue() {
    double[] v = new double[15];
    for (int i = 0; i < v.length; i++) {
      v[i] = 15 - i; // 15 .. 1, unsorted on purpose
    }
    Paired.Interval i = Paired.medianInterval(v, 0.95);
    assertThat(i.low()).isEqualTo(4.0);
    assertThat(i.high()).isEqualTo(12.0);
    // 1 - 2 * (1 + 15 + 105 + 455) / 2^15
    assertThat(i.confidence()).isCloseTo(0.96484, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(v[0]).isEqualTo(15.0);
  }

  @Test
  void tooFewValuesForTheLevelGiveTheirRangeAndItsConfidence() {
    Paired.Interval i = Paired.medianInterval(new double[] {3, 1, 2}, 0.95);
    assertThat(i.low()).isEqualTo(1.0);
    assertThat(i.high()).isEqualTo(3.0);
    assertThat(i.confidence()).isEqualTo(0.75);
  }

  @Test
  void medianIntervalOfNothingIsRefused() {
    assertThatThrownBy(() -> Paired.medianInterval(new double[0], 0.95))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void medianIntervalHoldsTheMedianAndNarrowsWithMorePairs() {
    double[] few = {0.02, 0.12, 0.05, -0.03, 0.09, 0.07, 0.04};
    double[] ci = Paired.medianCi(few, 0.9, 5_000, 1L);
    assertThat(ci[0]).isLessThanOrEqualTo(Paired.median(few));
    assertThat(ci[1]).isGreaterThanOrEqualTo(Paired.median(few));
    assertThat(ci[0]).isGreaterThanOrEqualTo(-0.03);
    assertThat(ci[1]).isLessThanOrEqualTo(0.12);
    double[] many = new double[few.length * 8];
    for (int i = 0; i < many.length; i++) {
      many[i] = few[i % few.length];
    }
    double[] narrow = Paired.medianCi(many, 0.9, 5_000, 1L);
    assertThat(narrow[1] - narrow[0]).isLessThan(ci[1] - ci[0]);
    assertThat(Paired.medianCi(few, 0.9, 5_000, 1L)).containsExactly(ci[0], ci[1]);
  }

  @Test
  void intervalOfIdenticalPairsIsThatValue() {
    assertThat(Paired.medianCi(new double[] {0.1, 0.1, 0.1}, 0.9, 100, 3L))
        .containsExactly(0.1, 0.1);
  }
}
