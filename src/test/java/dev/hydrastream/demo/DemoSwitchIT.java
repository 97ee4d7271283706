package dev.hydrastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.cli.CliRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./hydrastream demo --switch-model copy} (in this JVM, through the CLI: a real broker, the
 * simulated cameras, the service with TensorFlow): two switches to a copy of the started model and
 * back during the run lose no frame, duplicate none, answer every frame with exactly one model, and
 * the summary's {@code model_switches} block says which.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DemoSwitchIT {

  @Test
  void switchingToACopyAndBackLosesNothingAndEveryFrameHasOneModel() throws Exception {
    CliRun run =
        CliRun.of(
            "demo",
            "--duration",
            "45s",
            "--cameras",
            "2",
            "--fps",
            "5",
            "--http-port",
            "0",
            "--switch-model",
            "copy",
            "--switches",
            "2",
            "--switch-every",
            "8s",
            "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode demo = CliRun.onlyDocument(run.out());
    assertThat(demo.path("frames_lost").asLong()).as(run.out()).isZero();
    assertThat(demo.path("duplicate_results").asLong()).isZero();

    JsonNode s = demo.path("model_switches");
    assertThat(s.isObject()).as(run.out()).isTrue();
    String started = s.path("started").asText();
    String candidate = s.path("candidate").asText();
    assertThat(candidate).isEqualTo(started + "-copy");
    assertThat(s.path("switches_requested").asInt()).isEqualTo(2);
    assertThat(s.path("switches_activated").asInt()).isEqualTo(2);
    assertThat(s.path("switches_refused").asInt()).isZero();
    assertThat(s.path("frames_answered_by_more_than_one_model").asLong()).isZero();
    assertThat(s.path("frames_answered_by_none").asLong()).isZero();
    assertThat(s.path("duplicate_results").asLong()).isZero();
    // every frame not dead-lettered is answered by one of the two, and both answered some
    JsonNode byModel = s.path("frames_by_model");
    assertThat(byModel.path(started).asLong()).as(byModel.toString()).isPositive();
    assertThat(byModel.path(candidate).asLong()).as(byModel.toString()).isPositive();
    assertThat(byModel.path(started).asLong() + byModel.path(candidate).asLong())
        .isEqualTo(demo.path("frames_in").asLong() - demo.path("dead_lettered").asLong());
    assertThat(byModel.size()).isEqualTo(2);
    // the bound: 2 x commit.interval.ms + the run's p99 model call
    double p99 = s.path("model_call_p99_ms").asDouble();
    assertThat(p99).isPositive();
    assertThat(s.path("bound_ms").asDouble())
        .isEqualTo(2 * s.path("commit_interval_ms").asDouble() + p99);
    JsonNode switches = s.path("switches");
    assertThat(switches.size()).isEqualTo(2);
    assertThat(switches.get(0).path("to").asText()).isEqualTo(candidate);
    assertThat(switches.get(1).path("to").asText()).isEqualTo(started);
    for (JsonNode sw : switches) {
      assertThat(sw.path("outcome").asText()).isEqualTo("activated");
      assertThat(sw.path("longest_gap_ms").asLong()).isPositive();
      assertThat(sw.path("held").isBoolean()).isTrue();
    }
    assertThat(s.path("longest_gap_ms").asLong())
        .isGreaterThanOrEqualTo(switches.get(0).path("longest_gap_ms").asLong());
    assertThat(s.path("longest_gap_away_ms").asLong())
        .isNotNegative()
        .isLessThanOrEqualTo(s.path("longest_gap_ms").asLong());
    assertThat(run.err()).contains("demo: switch 1/2 " + started + " -> " + candidate);
    // scripts that drive the demo (the real-frame check) start sending on this word
    assertThat(run.err()).contains("demo: RUNNING: ");
  }
}
