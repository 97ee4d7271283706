package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.model.TrainGraph.LossWeights;
import org.junit.jupiter.api.Test;

/** {@code --loss-weights}: overrides over the defaults, and errors that name the setting. */
class LossWeightsTest {

  @Test
  void emptySpecIsTheDefaults() {
    assertThat(LossWeights.parse("")).isEqualTo(LossWeights.defaults());
    assertThat(LossWeights.parse(null)).isEqualTo(LossWeights.defaults());
    assertThat(LossWeights.defaults()).isEqualTo(new LossWeights(1, 1, 1, 1, 5, 10));
  }

  @Test
  void overridesOnlyTheNamedTasks() {
    LossWeights w = LossWeights.parse(" seg = 3 ,heatmap=2");
    LossWeights d = LossWeights.defaults();
    assertThat(w).isEqualTo(new LossWeights(d.weather(), d.timeofday(), d.scene(), 2, d.box(), 3));
    assertThat(LossWeights.parse("weather=0").weather()).isZero();
  }

  @Test
  void refusesUnknownNamesMissingNumbersAndNegatives() {
    assertThatThrownBy(() -> LossWeights.parse("segmentation=3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--loss-weights")
        .hasMessageContaining("segmentation=3")
        .hasMessageContaining("seg");
    assertThatThrownBy(() -> LossWeights.parse("seg")).hasMessageContaining("not name=value");
    assertThatThrownBy(() -> LossWeights.parse("seg=lots")).hasMessageContaining("has no number");
    assertThatThrownBy(() -> LossWeights.parse("box=-1"))
        .hasMessageContaining("box must be a finite number >= 0");
    assertThatThrownBy(() -> LossWeights.parse("box=NaN"))
        .hasMessageContaining("box must be a finite number >= 0");
    assertThatThrownBy(() -> LossWeights.parse("box=Infinity"))
        .hasMessageContaining("box must be a finite number >= 0");
  }
}
