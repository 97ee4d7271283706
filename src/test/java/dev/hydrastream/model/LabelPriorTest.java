package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.spec.Head;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelPriorTest {

  @Test
  void frequenciesSkipUnknownLabelsAndNeverReachZero() {
    double[] f = LabelPrior.frequencies(List.of(0, 0, 1, -1, -1), 3);
    // add-one: counts 3, 2, 1 of 6
    assertThat(f).containsExactly(new double[] {0.5, 2 / 6.0, 1 / 6.0}, within(1e-12));
  }

  @Test
  void theShiftedHeadPrefersTheClassThePriorFavours() {
    // a head that is undecided between two classes trained on balanced data
    Map<String, Weights.Value> w =
        Map.of("timeofday/fc2/b", new Weights.Value(new long[] {3}, new float[] {0.2f, 0.2f, 0f}));
    Map<String, Weights.Value> out =
        LabelPrior.apply(
            w,
            Map.of(Head.TIMEOFDAY, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}),
            Map.of(Head.TIMEOFDAY, new double[] {8, 1, 1}));
    float[] b = out.get("timeofday/fc2/b").data();
    assertThat(b[0]).isGreaterThan(b[1]);
    // log((0.8) / (1/3)) - log((0.1) / (1/3)) = log 8
    assertThat((double) (b[0] - b[1])).isCloseTo(Math.log(8), within(1e-5));
    assertThat(w.get("timeofday/fc2/b").data()[0]).isEqualTo(0.2f);
  }

  @Test
  void theTargetCoversEveryLabelOfEachAttributeHead() {
    for (Head h : List.of(Head.WEATHER, Head.TIMEOFDAY, Head.SCENE)) {
      assertThat(LabelPrior.BDD100K.get(h)).hasSize(h.labels().size());
    }
  }
}
