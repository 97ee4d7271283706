package dev.hydrastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.cli.CliRun;
import dev.hydrastream.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of the demo's {@code model_switches} block on hand-made result streams: frames per
 * model, frames answered by two models or none, the longest gap per camera around each switch and
 * over the run, and the bound {@code 2 x commit.interval.ms + p99 model call}.
 */
class ModelSwitchesTest {

  private static final String V1 = "hydranet@2";
  private static final String V2 = "hydranet@2-copy";

  @Test
  void framesAreCountedPerModelAndTwoModelsOrNoneAreNamed() {
    ModelSwitches.Answers a = new ModelSwitches.Answers();
    for (String topic : List.of("classification", "frames")) {
      a.answer("cam-0:1", V1);
      a.answer("cam-0:2", V1);
      a.answer("cam-1:1", V1);
      a.answer("cam-0:3", V2);
      a.answer("cam-1:2", V2);
      a.answer("cam-1:3", topic.equals("frames") ? V2 : V1); // the heads of one frame disagree
    }
    ModelSwitches s = run(a, List.of()).summary(8, 1, 3);

    assertThat(s.framesByModel()).containsExactly(Map.entry(V1, 3L), Map.entry(V2, 2L));
    assertThat(s.framesAnsweredByMoreThanOneModel()).isEqualTo(1);
    // 8 sent, 1 dead-lettered, 6 answered
    assertThat(s.framesAnsweredByNone()).isEqualTo(1);
    assertThat(s.duplicateResults()).isEqualTo(3);
    assertThat(s.failures())
        .contains("1 frames answered by more than one model", "1 frames answered by no model");
  }

  @Test
  void eachSwitchHasTheLongestGapAroundItAgainstTheBound() {
    ModelSwitches.Answers a = new ModelSwitches.Answers();
    // cam-0: every 100 ms for 11 s but 3000 -> 3400 and 9500 -> 10400
    for (long t = 0; t <= 11_000; t += 100) {
      if ((t <= 3000 || t >= 3400) && (t <= 9500 || t >= 10_400)) {
        a.received("cam-0", t);
      }
    }
    // cam-1: every 100 ms but 5000 -> 5250, received in reverse order (the reader sorts)
    for (long t = 10_050; t >= 50; t -= 100) {
      if (t <= 4950 || t >= 5350) {
        a.received("cam-1", t);
      }
    }
    a.received("cam-1", 5000);
    a.received("cam-1", 5250);
    a.answer("cam-0:1", V1);

    ModelSwitches s =
        run(
                a,
                List.of(
                    // window [2500, 7200]: cam-0's 400 ms
                    requested(1, V1, V2, "activated", 4500, 5200),
                    // window [4000, 8100]: cam-1's 250 ms
                    requested(2, V2, V1, "activated", 6000, 6100),
                    // window [5300, 9400]: the regular 100 ms
                    requested(3, V1, V2, "refused", 7300, 7400)))
            .summary(1, 0, 0);

    assertThat(s.commitIntervalMs()).isEqualTo(100);
    assertThat(s.boundMs()).isEqualTo(350.0); // 2 x 100 + 150
    assertThat(s.switches())
        .extracting(
            ModelSwitches.Switch::longestGapMs,
            ModelSwitches.Switch::longestGapCamera,
            ModelSwitches.Switch::held)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(400L, "cam-0", false),
            org.assertj.core.groups.Tuple.tuple(250L, "cam-1", true),
            org.assertj.core.groups.Tuple.tuple(100L, "cam-0", true));
    assertThat(s.switches().get(0).activationMs()).isEqualTo(700);
    assertThat(s.boundHeld()).isFalse();
    assertThat(s.longestGapMs()).isEqualTo(900);
    assertThat(s.longestGapCamera()).isEqualTo("cam-0");
    // outside every window, but starting before 10 s after the first result: not counted
    assertThat(s.longestGapAwayMs()).isEqualTo(100);
    assertThat(s.switchesRequested()).isEqualTo(3);
    assertThat(s.switchesActivated()).isEqualTo(2);
    assertThat(s.switchesRefused()).isEqualTo(1);
    // 3 of 5 asked, the third refused; the gap is reported, not a failure
    assertThat(s.failures())
        .containsExactly(
            "only 3 of 5 switches requested: the run ended first (a longer --duration)",
            "switch 3 to hydranet@2-copy: refused (graph does not verify)");
  }

  @Test
  void aGapCountsWhenItTouchesTheWindow() {
    ModelSwitches.Answers a = new ModelSwitches.Answers();
    for (long t : new long[] {0, 100, 600, 700}) {
      a.received("cam-0", t);
    }
    assertThat(a.longestGap(600, 650).ms()).isEqualTo(500); // ends at the window's start
    assertThat(a.longestGap(50, 100).ms()).isEqualTo(500); // starts at the window's end
    assertThat(a.longestGap(601, 650).ms()).isEqualTo(100);
    assertThat(a.longestGap(0, 99).ms()).isEqualTo(100);
    assertThat(new ModelSwitches.Answers().longestGap(0, 1000))
        .isEqualTo(new ModelSwitches.Gap(0, null));
  }

  @Test
  void aGapAwayFromTheSwitchesTouchesNoWindowAndFollowsTheStartUp() {
    ModelSwitches.Answers a = new ModelSwitches.Answers();
    for (long t : new long[] {0, 10_000, 10_100, 10_700, 10_800}) {
      a.received("cam-0", t);
    }
    assertThat(a.firstReceived()).isZero();
    List<long[]> windows = List.<long[]>of(new long[] {10_050, 10_090});
    // (0, 10000) is the start-up, (10000, 10100) touches the window
    assertThat(a.longestGapOutside(windows, 10_000)).isEqualTo(new ModelSwitches.Gap(600, "cam-0"));
    assertThat(a.longestGapOutside(List.of(), 0).ms()).isEqualTo(10_000);
    assertThat(a.longestGapOutside(List.<long[]>of(new long[] {10_100, 10_699}), 10_000).ms())
        .isEqualTo(100);
  }

  @Test
  void aCleanRunHasNoFailuresAndItsJsonIsSnakeCase() {
    ModelSwitches.Answers a = new ModelSwitches.Answers();
    a.answer("cam-0:1", V1);
    a.answer("cam-0:2", V2);
    a.received("cam-0", 1000);
    a.received("cam-0", 1200);
    ModelSwitches s =
        new ModelSwitches.Run(
                V1, V2, 1, List.of(requested(1, V1, V2, "activated", 1100, 1150)), a, 100, 150)
            .summary(2, 0, 0);
    assertThat(s.failures()).isEmpty();
    assertThat(s.boundHeld()).isTrue();

    JsonNode json = Json.MAPPER.valueToTree(s);
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "started",
            "candidate",
            "switches_asked",
            "switches_requested",
            "switches_activated",
            "switches_refused",
            "frames_by_model",
            "frames_answered_by_more_than_one_model",
            "frames_answered_by_none",
            "duplicate_results",
            "commit_interval_ms",
            "model_call_p99_ms",
            "bound_ms",
            "longest_gap_ms",
            "longest_gap_camera",
            "longest_gap_away_ms",
            "bound_held",
            "switches");
    assertThat(json.at("/switches/0/longest_gap_ms").asLong()).isEqualTo(200);
    assertThat(json.at("/switches/0/held").asBoolean()).isTrue();
  }

  @Test
  void theDemoNamesAWrongSwitchOptionBeforeItStarts() {
    CliRun bad = CliRun.of("demo", "--duration", "1s", "--switch-model", "hydranet");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--switch-model 'hydranet': NAME/VERSION of model.repository");
    CliRun none =
        CliRun.of("demo", "--duration", "1s", "--switch-model", "copy", "--switches", "0");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("--switches must be >= 1");
  }

  private static ModelSwitches.Run run(
      ModelSwitches.Answers a, List<ModelSwitches.Requested> requested) {
    return new ModelSwitches.Run(V1, V2, 5, requested, a, 100, 150);
  }

  private static ModelSwitches.Requested requested(
      int n, String from, String to, String outcome, long at, long answeredAt) {
    return new ModelSwitches.Requested(
        n,
        from,
        to,
        "req-" + n,
        outcome,
        outcome.equals("refused") ? "graph does not verify" : null,
        at,
        answeredAt);
  }
}
