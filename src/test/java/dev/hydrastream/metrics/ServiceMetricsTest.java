package dev.hydrastream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.inference.Prediction;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

  private static final long MS = 1_000_000L;

  private static Perception perception() {
    Perception.Attribute clear = new Perception.Attribute("clear", 0.9, Map.of("clear", 0.9));
    return new Perception(
        clear,
        new Perception.Attribute("daytime", 0.8, Map.of("daytime", 0.8)),
        new Perception.Attribute("highway", 0.7, Map.of("highway", 0.7)),
        List.of(
            new DetectedObject("car", new Box(1, 2, 30, 40), 0.9),
            new DetectedObject("car", new Box(5, 5, 9, 9), 0.6),
            new DetectedObject("truck", new Box(5, 5, 9, 9), 0.5)),
        null,
        ModelIdentity.of("m", "1"));
  }

  /** Feeds one frame whose stages take the given milliseconds; returns its capture time. */
  private static void frame(ServiceMetrics m, long base, long kafka, long decode, long batch) {
    long capture = 1_000_000;
    long start = base;
    m.received("cam-0", capture, capture + kafka);
    Prediction p =
        new Prediction(
            perception(),
            start + decode * MS,
            start + (decode + batch) * MS,
            start + (decode + batch + 6) * MS,
            1);
    long forwarded = p.doneNanos() + 2 * MS;
    m.perceived(start, p, forwarded);
    long committed = forwarded + 40 * MS;
    m.frameCommitted(forwarded, capture, committed, capture + kafka + (committed - start) / MS);
  }

  @Test
  void stagesAddUpToCaptureToCommit() {
    ServiceMetrics m = ServiceMetrics.create();
    Random rnd = new Random(1);
    for (int i = 0; i < 500; i++) {
      frame(m, 1_000_000_000L * i, 20 + rnd.nextInt(10), 3 + rnd.nextInt(3), rnd.nextInt(5));
    }
    double sum = 0;
    for (Stage s : Stage.values()) {
      assertThat(m.mean(s)).as(s.label()).isGreaterThanOrEqualTo(0);
      sum += m.mean(s);
    }
    // The stages are contiguous: their means add up to the end-to-end mean (ms rounding aside).
    assertThat(sum).isCloseTo(m.latencyMean(), within(0.002));
    assertThat(m.quantile(Stage.MODEL, 0.5)).isCloseTo(0.006, within(0.0002));
    assertThat(m.quantile(Stage.PRODUCE_TO_COMMIT, 0.5)).isCloseTo(0.040, within(0.001));
  }

  /** A clock whose wall and CPU readings are the given values, one per reading, in order. */
  private static FrameClock fakeClock(long[] wall, long[] cpu) {
    int[] w = {0};
    int[] c = {0};
    return new FrameClock(() -> wall[w[0]++], () -> cpu[c[0]++], () -> 5_000L);
  }

  @Test
  void aFrameClockTimesEachPhaseFromTheEndOfThePreviousOne() {
    // start, then DECODE, BATCH_WAIT, RESULT, TRACKING, COUNTING, LATEST_FRAME
    FrameClock clock =
        fakeClock(
            new long[] {100, 130, 190, 200, 240, 241, 260},
            new long[] {1_000, 1_020, 1_021, 1_031, 1_061, 1_062, 1_092});
    assertThat(clock.startNanos()).isEqualTo(100);
    assertThat(clock.startMillis()).isEqualTo(5_000);
    for (FrameClock.Phase p : FrameClock.Phase.values()) {
      assertThat(clock.ended(p)).isFalse();
      clock.mark(p);
      assertThat(clock.ended(p)).isTrue();
    }
    assertThat(clock.wallNanos(FrameClock.Phase.DECODE)).isEqualTo(30);
    assertThat(clock.wallNanos(FrameClock.Phase.BATCH_WAIT)).isEqualTo(60);
    assertThat(clock.endNanos(FrameClock.Phase.TRACKING)).isEqualTo(240);
    assertThat(clock.cpuNanos(FrameClock.Phase.DECODE)).isEqualTo(20);
    assertThat(clock.cpuNanos(FrameClock.Phase.TRACKING)).isEqualTo(30);
    assertThat(clock.cpuNanos(FrameClock.Phase.LATEST_FRAME)).isEqualTo(30);
  }

  @Test
  void aSkippedPhaseLastsZeroAndMarksGoForwardOnly() {
    FrameClock clock = fakeClock(new long[] {0, 10, 25, 40}, new long[] {0, 3, 7, 9});
    clock.mark(FrameClock.Phase.DECODE);
    clock.mark(FrameClock.Phase.RESULT); // BATCH_WAIT skipped
    assertThat(clock.ended(FrameClock.Phase.BATCH_WAIT)).isTrue();
    assertThat(clock.wallNanos(FrameClock.Phase.BATCH_WAIT)).isZero();
    assertThat(clock.cpuNanos(FrameClock.Phase.BATCH_WAIT)).isZero();
    assertThat(clock.wallNanos(FrameClock.Phase.RESULT)).isEqualTo(15);
    assertThat(clock.cpuNanos(FrameClock.Phase.RESULT)).isEqualTo(4);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> clock.mark(FrameClock.Phase.BATCH_WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BATCH_WAIT marked after RESULT");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> clock.mark(FrameClock.Phase.RESULT))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> clock.cpuNanos(FrameClock.Phase.TRACKING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has not ended");
  }

  @Test
  void recordingAClockChargesEachPhaseToItsStageAsStageCpuDidBefore() throws Exception {
    ServiceMetrics m = ServiceMetrics.create();
    // CPU per phase in ms: decode 2, batch_wait 3, result 5, tracking 7, counting 11; the
    // latest-frame phase (13) is ended by record itself
    long[] cpu = {0, 2, 5, 10, 17, 28, 41};
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] *= MS;
    }
    FrameClock clock = fakeClock(new long[] {0, 1, 2, 3, 4, 5, 6}, cpu);
    clock.mark(FrameClock.Phase.DECODE);
    clock.mark(FrameClock.Phase.BATCH_WAIT);
    clock.mark(FrameClock.Phase.RESULT);
    clock.mark(FrameClock.Phase.TRACKING);
    clock.mark(FrameClock.Phase.COUNTING);
    m.record(clock);
    assertThat(clock.ended(FrameClock.Phase.LATEST_FRAME)).isTrue();
    String text = scrape(m);
    assertThat(text)
        .contains("hydrastream_stage_cpu_seconds_total{stage=\"decode\"} 0.002")
        .contains("hydrastream_stage_cpu_seconds_total{stage=\"batch_wait\"} 0.003")
        // result + counting, added once (the same sum stageCpu(...) was given)
        .contains("hydrastream_stage_cpu_seconds_total{stage=\"result\"} 0.016")
        .contains("hydrastream_stage_cpu_seconds_total{stage=\"tracking\"} 0.007")
        .contains("hydrastream_stage_cpu_seconds_total{stage=\"latest_frame\"} 0.013");
  }

  @Test
  void theClockGivesPerceivedTheSameWallTimesAsTheNanosecondsDid() {
    ServiceMetrics byClock = ServiceMetrics.create();
    ServiceMetrics byNanos = ServiceMetrics.create();
    long start = 1_000 * MS;
    Prediction p = new Prediction(perception(), start + 3 * MS, start + 5 * MS, start + 11 * MS, 1);
    FrameClock clock =
        fakeClock(
            new long[] {start, start + 4 * MS, start + 11 * MS, start + 12 * MS, start + 14 * MS},
            new long[5]);
    clock.mark(FrameClock.Phase.DECODE);
    clock.mark(FrameClock.Phase.BATCH_WAIT);
    clock.mark(FrameClock.Phase.RESULT);
    clock.mark(FrameClock.Phase.TRACKING);
    byClock.perceived(clock, p);
    byNanos.perceived(start, p, start + 14 * MS);
    for (Stage s : List.of(Stage.DECODE, Stage.BATCH_WAIT, Stage.MODEL, Stage.RESULT)) {
      assertThat(byClock.mean(s)).as(s.label()).isEqualTo(byNanos.mean(s));
    }
    assertThat(byClock.mean(Stage.RESULT)).isCloseTo(0.003, within(1e-9));
  }

  @Test
  void aDisabledClockReadsNoCpuAndRecordsNothing() throws Exception {
    ServiceMetrics off = ServiceMetrics.disabled();
    FrameClock clock = off.startFrame();
    assertThat(clock.startMillis()).isPositive(); // the arrival time is needed regardless
    clock.mark(FrameClock.Phase.DECODE);
    assertThat(clock.cpuNanos(FrameClock.Phase.DECODE)).isZero();
    off.record(clock);
    assertThat(scrape(off)).contains("hydrastream_stage_cpu_seconds_total{stage=\"decode\"} 0.0");
  }

  @Test
  void countsPerCameraClassAttributeTaskAndReason() throws Exception {
    ServiceMetrics m = ServiceMetrics.create();
    m.knownDeadLetterReasons(List.of("TRUNCATED", "EMPTY"));
    frame(m, 0, 10, 1, 1);
    m.resultsCommitted("detection", 3);
    m.deadLetterCommitted("TRUNCATED");
    m.batch(4, 5 * MS);
    String text = scrape(m);
    assertThat(text)
        .contains("hydrastream_frames_received_total{camera_id=\"cam-0\"} 1.0")
        .contains("hydrastream_frames_processed_total 1.0")
        .contains("hydrastream_detections_total{class=\"car\"} 2.0")
        .contains("hydrastream_detections_total{class=\"truck\"} 1.0")
        .contains("hydrastream_frame_attributes_total{attribute=\"weather\",label=\"clear\"} 1.0")
        .contains("hydrastream_results_total{task=\"detection\"} 3.0")
        .contains("hydrastream_dead_letters_total{reason=\"EMPTY\"} 0.0")
        .contains("hydrastream_dead_letters_total{reason=\"TRUNCATED\"} 1.0")
        .contains("hydrastream_batch_size_sum 4.0")
        .contains("jvm_memory_used_bytes")
        .contains("process_resident_memory_bytes");
    assertThat(m.deadLettersByReason()).containsEntry("TRUNCATED", 1L).containsEntry("EMPTY", 0L);
  }

  @Test
  void aFloodOfCameraIdsStopsAtTheBoundAndCountsTheRestAsOverflow() throws Exception {
    ServiceMetrics m = ServiceMetrics.create(3);
    for (int i = 0; i < 10_000; i++) {
      m.received("fake-" + i, 0, 1);
    }
    m.received("fake-1", 0, 1); // a camera within the bound keeps its own series
    String text = scrape(m);
    List<String> series =
        text.lines().filter(l -> l.startsWith("hydrastream_frames_received_total{")).toList();
    assertThat(series)
        .containsExactlyInAnyOrder(
            "hydrastream_frames_received_total{camera_id=\"fake-0\"} 1.0",
            "hydrastream_frames_received_total{camera_id=\"fake-1\"} 2.0",
            "hydrastream_frames_received_total{camera_id=\"fake-2\"} 1.0",
            "hydrastream_frames_received_total{camera_id=\""
                + ServiceMetrics.OVERFLOW_CAMERA
                + "\"} 9997.0");
  }

  @Test
  void oodScoreAndUnsureFramesPerCameraWithinTheBound() throws Exception {
    ServiceMetrics m = ServiceMetrics.create(2);
    m.received("cam-0", 0, 1);
    m.outOfDistribution("cam-0", 0.5, false);
    m.received("cam-1", 0, 1);
    m.outOfDistribution("cam-1", 4.0, true);
    m.outOfDistribution("cam-1", 6.5, true);
    m.received("cam-2", 0, 1);
    m.outOfDistribution("cam-2", 9.0, true); // beyond the bound
    String text = scrape(m);
    assertThat(text.lines().filter(l -> l.startsWith("hydrastream_ood_score{")))
        .containsExactlyInAnyOrder(
            "hydrastream_ood_score{camera_id=\"cam-0\"} 0.5",
            "hydrastream_ood_score{camera_id=\"cam-1\"} 6.5",
            "hydrastream_ood_score{camera_id=\"" + ServiceMetrics.OVERFLOW_CAMERA + "\"} 9.0");
    assertThat(text.lines().filter(l -> l.startsWith("hydrastream_frames_unsure_total{")))
        .containsExactlyInAnyOrder(
            "hydrastream_frames_unsure_total{camera_id=\"cam-0\"} 0.0",
            "hydrastream_frames_unsure_total{camera_id=\"cam-1\"} 2.0",
            "hydrastream_frames_unsure_total{camera_id=\""
                + ServiceMetrics.OVERFLOW_CAMERA
                + "\"} 1.0");

    // models without the output never call it: no series
    ServiceMetrics old = ServiceMetrics.create();
    frame(old, 0, 10, 1, 1);
    assertThat(scrape(old))
        .doesNotContain("hydrastream_ood_score{")
        .doesNotContain("unsure_total{");
    ServiceMetrics off = ServiceMetrics.disabled();
    off.outOfDistribution("cam-0", 3, true);
    assertThat(scrape(off)).doesNotContain("camera_id=\"cam-0\"");
  }

  @Test
  void alertsByRuleAndSeverityExistFromTheStart() throws Exception {
    ServiceMetrics m = ServiceMetrics.create();
    m.knownAlertRules(Map.of("ego-lane-lost", "WARNING", "harsh-braking-object-close", "CRITICAL"));
    m.alertCommitted("harsh-braking-object-close", "CRITICAL");
    m.alertCommitted("harsh-braking-object-close", "CRITICAL");
    assertThat(scrape(m))
        .contains("hydrastream_alerts_total{rule=\"ego-lane-lost\",severity=\"WARNING\"} 0.0")
        .contains(
            "hydrastream_alerts_total{rule=\"harsh-braking-object-close\",severity=\"CRITICAL\"}"
                + " 2.0");
    ServiceMetrics off = ServiceMetrics.disabled();
    off.alertCommitted("r", "INFO");
    assertThat(scrape(off)).doesNotContain("rule=\"r\"");
  }

  @Test
  void modelInfoAndReadiness() throws Exception {
    ServiceMetrics m = ServiceMetrics.create();
    m.model("hydranet", "1", "cpu", "384x224", "auto");
    boolean[] ready = {false};
    m.readiness(() -> ready[0]);
    assertThat(scrape(m))
        .contains(
            "hydrastream_model_info{device=\"cpu\",input=\"384x224\",name=\"hydranet\","
                + "required_device=\"auto\",version=\"1\"} 1")
        .contains("hydrastream_ready 0.0");
    ready[0] = true;
    assertThat(scrape(m)).contains("hydrastream_ready 1.0");
  }

  @Test
  void disabledRecordsNothing() throws Exception {
    ServiceMetrics m = ServiceMetrics.disabled();
    frame(m, 0, 10, 1, 1);
    m.deadLetterCommitted("TRUNCATED");
    assertThat(m.latencyQuantile(0.5)).isNaN();
    assertThat(scrape(m)).doesNotContain("cam-0").doesNotContain("jvm_");
  }

  @Test
  void quantilesFromNativeBucketsAreWithinTheirWidth() {
    ServiceMetrics m = ServiceMetrics.create();
    // Model stage times 1..100 ms, uniform: the median is 50.5 ms.
    for (int i = 1; i <= 100; i++) {
      m.perceived(0, new Prediction(perception(), 0, 0, i * MS, 1), i * MS);
    }
    assertThat(m.quantile(Stage.MODEL, 0.5)).isCloseTo(0.0505, within(0.0505 * 0.03));
    assertThat(m.quantile(Stage.MODEL, 0.99)).isCloseTo(0.099, within(0.099 * 0.03));
  }

  @Test
  void kafkaMetricsAreBridgedOnceWithBaseUnits() throws Exception {
    Map<MetricName, Metric> kafka = new java.util.LinkedHashMap<>();
    put(kafka, "commit-latency-avg", "stream-thread-metrics", 25.0, Map.of("thread-id", "t1"));
    put(
        kafka,
        "records-lag",
        "consumer-fetch-manager-metrics",
        7.0,
        Map.of("client-id", "c", "topic", "camera.frames", "partition", "0"));
    put(
        kafka,
        "records-lag",
        "consumer-fetch-manager-metrics",
        7.0,
        Map.of("client-id", "c", "topic", "camera_frames", "partition", "0"));
    put(
        kafka,
        "records-lag-max",
        "consumer-fetch-manager-metrics",
        9.0,
        Map.of("client-id", "c", "topic", "camera.frames", "partition", "0"));
    put(kafka, "records-lag-max", "consumer-fetch-manager-metrics", 9.0, Map.of("client-id", "c"));
    put(kafka, "unrelated", "stream-thread-metrics", 1.0, Map.of());
    ServiceMetrics m = ServiceMetrics.create();
    m.registry().register(new KafkaMetricsBridge(() -> kafka));
    String text = scrape(m);
    assertThat(text)
        .contains("hydrastream_kafka_streams_commit_latency_avg_seconds{thread_id=\"t1\"} 0.025")
        .contains(
            "hydrastream_kafka_consumer_records_lag{client_id=\"c\",partition=\"0\","
                + "topic=\"camera.frames\"} 7.0")
        .doesNotContain("camera_frames")
        .contains("hydrastream_kafka_consumer_records_lag_max{client_id=\"c\"} 9.0")
        .doesNotContain("unrelated");
    assertThat(text.lines().filter(l -> l.startsWith("hydrastream_kafka_consumer_records_lag_max")))
        .hasSize(1);
  }

  /** A Kafka metric with a fixed value, as KafkaStreams.metrics() would return it. */
  static void put(
      Map<MetricName, Metric> m, String name, String group, double v, Map<String, String> tags) {
    MetricName n = new MetricName(name, group, "", tags);
    m.put(
        n,
        new Metric() {
          @Override
          public MetricName metricName() {
            return n;
          }

          @Override
          public Object metricValue() {
            return v;
          }
        });
  }

  static String scrape(ServiceMetrics m) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
