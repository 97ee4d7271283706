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
}
