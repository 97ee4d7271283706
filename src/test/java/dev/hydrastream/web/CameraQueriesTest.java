package dev.hydrastream.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.streams.timing.CameraClock;
import dev.hydrastream.util.Json;
import org.junit.jupiter.api.Test;

/**
 * The entries of {@code /api/cameras}: a latest frame's summary with its camera's late and
 * out-of-order counts from the {@value CameraClock#STORE} store (fields {@code late}, {@code
 * outOfOrder}, {@code deadLettered}, {@code lastAnsweredTs}, which the dashboard reads), and the
 * entry of a camera known only by its clock. Across instances: {@code ServiceHostIT}.
 */
class CameraQueriesTest {

  private static JsonNode stored() throws Exception {
    return Json.MAPPER.readTree(
        "{\"camera_id\":\"cam-1\",\"frame_id\":\"cam-1:9\",\"capture_ts\":1700000000900,"
            + "\"fps\":10.0,\"latency_ms\":42.0,\"frames\":10,"
            + "\"detections\":[{\"class\":\"car\"}],\"thumbnail\":{\"jpeg\":\"AA==\"},"
            + "\"mask\":{\"data\":\"AA==\"}}");
  }

  @Test
  void summaryCarriesTheCamerasCounts() throws Exception {
    CameraClock clock = new CameraClock(1_700_000_001_000L, 3, 1, 2, 2, 3);
    ObjectNode e = CameraQueries.withClock(CameraQueries.summary(stored(), "local"), clock);
    assertThat(e.path("late").asLong()).isEqualTo(3);
    assertThat(e.path("outOfOrder").asLong()).isEqualTo(2);
    assertThat(e.path("deadLettered").asLong()).isEqualTo(3);
    assertThat(e.path("lastAnsweredTs").asLong()).isEqualTo(1_700_000_001_000L);
    // the summary is otherwise as before
    assertThat(e.path("detections").asInt()).isEqualTo(1);
    assertThat(e.has("thumbnail")).isFalse();
    assertThat(e.path("instance").asText()).isEqualTo("local");
  }

  @Test
  void aCameraWithoutAClockHasZeroCounts() throws Exception {
    ObjectNode e = CameraQueries.withClock(CameraQueries.summary(stored(), "local"), null);
    assertThat(e.path("late").asLong()).isZero();
    assertThat(e.path("outOfOrder").asLong()).isZero();
    assertThat(e.path("deadLettered").asLong()).isZero();
    assertThat(e.path("lastAnsweredTs").isNull()).isTrue();
  }

  @Test
  void aCameraKnownOnlyByItsClockIsListedWithWhatTheDashboardDraws() {
    // every frame of it dead-lettered as late: nothing answered yet
    CameraClock clock = new CameraClock(CameraClock.NONE, 5, 5, 0, 0, 5);
    ObjectNode e = CameraQueries.clockOnly("cam-9", clock, "10.0.0.2:8080");
    assertThat(e.path("camera_id").asText()).isEqualTo("cam-9");
    assertThat(e.path("instance").asText()).isEqualTo("10.0.0.2:8080");
    assertThat(e.path("fps").isNumber()).isTrue();
    assertThat(e.path("latency_ms").isNumber()).isTrue();
    assertThat(e.path("frames").asLong()).isZero();
    assertThat(e.path("late").asLong()).isEqualTo(5);
    assertThat(e.path("deadLettered").asLong()).isEqualTo(5);
    assertThat(e.path("lastAnsweredTs").isNull()).isTrue();
  }
}
