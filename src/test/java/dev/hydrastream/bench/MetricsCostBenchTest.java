package dev.hydrastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsCostBenchTest {

  @Test
  void aDrainIsTimedFromTheResultAfterItsFirstTenthToItsLast() {
    // a previous drain (0..9, far in the past), then 20 results: two slow ones, then one each 50 ms
    long[] t = new long[30];
    for (int i = 0; i < 10; i++) {
      t[i] = i;
    }
    t[10] = 1_000;
    t[11] = 4_000;
    for (int i = 12; i < 30; i++) {
      t[i] = 10_000 + (i - 12) * 50L;
    }
    // results 12..29: 17 intervals of 50 ms = 20 frames/s; the first tenth (10, 11) is not timed
    assertThat(MetricsCostBench.fps(t, 10, 20)).isEqualTo(20.0);
  }

  @Test
  void appendTimesOutOfReadOrderAreSorted() {
    long[] t = {2_000, 0, 1_000, 500, 1_500};
    assertThat(MetricsCostBench.fps(t, 0, 5)).isEqualTo(2.0);
  }

  @Test
  void aDrainWithoutElapsedTimeIsRefused() {
    assertThatThrownBy(() -> MetricsCostBench.fps(new long[] {5, 5, 5}, 0, 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("too short");
  }
}
