package dev.hydrastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The capacity bench's arithmetic: per-frame CPU from two scrapes, and the sizing table. */
class CapacityBenchTest {

  /** CPU seconds by thread pool in the first scrape ({@code scale} 1). */
  private static final String POOL_CPU =
      "stream 3.0, model 1.0, native 4.0, kafka_client 0.2, http 0.1, jvm 0.5, other 0.2";

  /** CPU seconds by stage in the first scrape. */
  private static final String STAGE_CPU =
      "decode 1.5, batch_wait 0.1, result 0.8, latest_frame 0.2, tracking 0.1";

  /** Wall seconds by stage in the first scrape. */
  private static final String STAGE_WALL = "decode 2.0, batch_wait 1.0, model 4.0, result 1.0";

  /** A scrape after {@code frames} frames: every CPU and wall time above times {@code scale}. */
  private static Map<String, Double> scrape(double scale, long frames) {
    String text =
        String.join(
            "\n",
            "# HELP hydrastream_frames_processed_total Frames",
            "hydrastream_frames_processed_total " + frames,
            series("hydrastream_thread_cpu_seconds_total", "pool", scale, POOL_CPU),
            series("hydrastream_stage_cpu_seconds_total", "stage", scale, STAGE_CPU),
            series("hydrastream_stage_seconds_sum", "stage", scale, STAGE_WALL),
            "");
    return CapacityBench.parse(text);
  }

  /**
   * The exposition lines of {@code metric}, one a {@code label} value of {@code values} ("value
   * seconds, ..."), the seconds times {@code scale}.
   */
  private static String series(String metric, String label, double scale, String values) {
    return Arrays.stream(values.split(", "))
        .map(v -> v.split(" "))
        .map(v -> metric + "{" + label + "=\"" + v[0] + "\"} " + Double.parseDouble(v[1]) * scale)
        .collect(Collectors.joining("\n"));
  }

  @Test
  void aRoundIsTheDifferenceOfTwoScrapesPerFrame() {
    // 100 frames between the scrapes; the second scrape holds twice the first's CPU.
    CapacityBench.Round r = CapacityBench.round(scrape(1, 100), scrape(2, 200), 10);
    assertThat(r.frames()).isEqualTo(100);
    assertThat(r.framesPerSecond()).isEqualTo(10);
    Map<String, Double> ms = r.msPerFrame();
    assertThat(ms.get("decode")).isCloseTo(15, within(1e-9));
    assertThat(ms.get("model_call")).isCloseTo(10, within(1e-9));
    assertThat(ms.get("tensorflow_native")).isCloseTo(40, within(1e-9));
    assertThat(ms.get("results_serde")).isCloseTo(8, within(1e-9));
    assertThat(ms.get("tracking")).isCloseTo(1, within(1e-9));
    // stream threads 30 ms = decode 15 + hand-off 1 + results 8 + dashboard 2 + tracking 1 +
    // the rest 3
    assertThat(ms.get("streams_other")).isCloseTo(3, within(1e-9));
    assertThat(r.cpuMsPerFrame()).isCloseTo(90, within(1e-9));
    // Kafka + Streams + serde: results 8 + streams 3 + clients 2
    assertThat(r.overheadShare()).isCloseTo(13.0 / 90, within(1e-9));
    assertThat(r.streamThreadWallMs()).isCloseTo(80, within(1e-9));
  }

  @Test
  void aScrapeWithoutTheCpuSeriesIsAnError() {
    Map<String, Double> empty = new HashMap<>(Map.of("hydrastream_frames_processed_total", 0.0));
    Map<String, Double> later = new HashMap<>(Map.of("hydrastream_frames_processed_total", 5.0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CapacityBench.round(empty, later, 1))
        .hasMessageContaining("hydrastream_thread_cpu_seconds_total");
  }

  @Test
  void sizingFollowsFromCpuPerFrameAndTheGpuAssumptions() {
    Sizing.Assumptions a =
        new Sizing.Assumptions(30, new int[] {1, 100}, 8, 0.5, "test GPU", 10, 0.2);
    // 100 ms of CPU per frame, 80 of them in the model; 1 GFLOP per frame.
    Sizing s = Sizing.of(a, 100, 80, 1_000_000_000L);
    assertThat(s.framesPerSecondPerCore()).isCloseTo(10, within(1e-9));
    assertThat(s.coresPerCamera()).isCloseTo(3, within(1e-9));
    assertThat(s.gpuFramesPerSecond()).isCloseTo(2000, within(1e-6));
    assertThat(s.gpuHostCpuMsPerFrame()).isCloseTo(20, within(1e-9));
    // 8 cores x 0.5 at 20 ms per frame: 200 frames/s, below the GPU's 2000
    assertThat(s.gpuInstanceFramesPerSecond()).isCloseTo(200, within(1e-6));
    Sizing.Row hundred = s.table().get(1);
    assertThat(hundred.framesPerSecond()).isEqualTo(3000);
    assertThat(hundred.cpuInstances()).isEqualTo(75); // 3000 / (8 x 0.5 x 10)
    assertThat(hundred.gpuInstances()).isEqualTo(15); // 3000 / 200
    assertThat(hundred.minPartitions()).isEqualTo(75);
    assertThat(s.table().get(0).minPartitions()).isEqualTo(1);
  }
}
