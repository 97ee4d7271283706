package dev.hydrastream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.inference.Prediction;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
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
        "m@1");
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
