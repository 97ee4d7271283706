package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.ShadowStats;
import dev.hydrastream.runtime.BackgroundPriority;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.ShadowResult;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.shadow.Shadow;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.ModelVersions;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow model on the topology with the real default model as the incumbent: one record on
 * perception.shadow per sampled frame, with the comparisons (a copy of the incumbent agrees fully,
 * a perturbed one does not), none for frames outside the sample, drops counted without blocking,
 * and a bad candidate refused at start naming {@code shadow.model}.
 */
class ShadowTest {

  @RegisterExtension static final DefaultServing serving = new DefaultServing();

  @TempDir static Path repository;

  static final long T0 = 1_700_000_000_000L;

  @BeforeAll
  static void versions() throws Exception {
    ModelVersions.copy(repository, "hydranet", "copy");
    Path perturbed = ModelVersions.copy(repository, "hydranet", "perturbed");
    assertThat(ModelVersions.perturb(perturbed, 2.0f)).isGreaterThan(0);
    ModelVersions.truncateGraph(ModelVersions.copy(repository, "hydranet", "truncated"));
  }

  /**
   * Settings of a service with the shadow {@code model}; the shadow runs frames one at a time
   * without padding, as the test's incumbent does, so a copy gives the same bits.
   */
  static Settings settings(String model, double fraction, Map<String, Object> more) {
    Map<String, Object> v = new HashMap<>(more);
    v.put(Settings.BOOTSTRAP_SERVERS, "unused:9092");
    v.put(Settings.MODEL_REPOSITORY, repository.toString());
    v.put(Settings.SHADOW_MODEL, model);
    v.put(Settings.SHADOW_FRACTION, fraction);
    v.putIfAbsent(Settings.BATCH_MAX_SIZE, 1);
    v.putIfAbsent(Settings.BATCH_PAD_SINGLE, false);
    return Settings.of(v);
  }

  static Shadow start(Settings s) {
    Serving incumbent = serving.get();
    return Shadow.start(
        s,
        incumbent,
        PerceptionModel.Options.defaults(),
        new ShadowStats(incumbent.card().id(), s.getString(Settings.SHADOW_MODEL), 1.0));
  }

  /**
   * Runs {@code frames} frames of camera cam-0 (sequence numbers 0..) through a shadowed topology.
   */
  static List<TestRecord<String, byte[]>> shadowRecords(Settings s, Shadow shadow, int frames)
      throws InterruptedException {
    Topics topics = Topics.of(s);
    List<byte[]> jpegs = Frames.jpegs(frames);
    try (TopologyTestDriver driver =
        StreamFixtures.driver(
            PerceptionTopology.build(
                s, serving::get, () -> shadow, dev.hydrastream.metrics.ServiceMetrics.disabled()),
            s)) {
      TestInputTopic<String, byte[]> in = StreamFixtures.frameInput(driver, topics);
      for (int i = 0; i < frames; i++) {
        in.pipeInput("cam-0", StreamFixtures.avroFrame("cam-0", i, T0 + i * 100L, jpegs.get(i)));
      }
      Eventually.await(
          "the shadow to answer every queued frame",
          Duration.ofSeconds(60),
          () -> shadow.stats().snapshot(),
          st -> st.compared() + st.failed() + st.dropped() == st.sampled());
      driver.advanceWallClockTime(Duration.ofMillis(500)); // the drain punctuation
      return driver
          .createOutputTopic(
              topics.shadow().name(), new StringDeserializer(), new ByteArrayDeserializer())
          .readRecordsToList();
    }
  }

  static ShadowResult value(TestRecord<String, byte[]> r) {
    return Decoded.decodeAvro(r.value(), ShadowResult.class);
  }

  /** What a shadow of {@code candidate} on every frame wrote for three frames, and its stats. */
  record Run(List<TestRecord<String, byte[]>> records, ShadowStats.Snapshot stats) {}

  static Run shadowOfThreeFrames(String candidate) throws Exception {
    Settings s = settings(candidate, 1.0, Map.of());
    try (Shadow shadow = start(s)) {
      List<TestRecord<String, byte[]>> recs = shadowRecords(s, shadow, 3);
      assertThat(recs).hasSize(3);
      return new Run(recs, shadow.stats().snapshot());
    }
  }

  @Test
  void aCopyOfTheIncumbentAgreesOnEverySampledFrame() throws Exception {
    Run run = shadowOfThreeFrames("hydranet/copy");
    List<TestRecord<String, byte[]>> recs = run.records();
    for (int i = 0; i < recs.size(); i++) {
      TestRecord<String, byte[]> r = recs.get(i);
      ShadowResult v = value(r);
      assertThat(r.key()).isEqualTo("cam-0");
      assertThat(v.getFrameId()).isEqualTo("cam-0:" + i);
      assertThat(v.getModel()).isEqualTo(serving.get().card().id());
      assertThat(v.getModelSha256()).isEqualTo(serving.get().identity().sha256());
      assertThat(v.getShadowModel()).isEqualTo("hydranet@copy");
      assertThat(v.getShadowModelSha256()).isEqualTo(v.getModelSha256()); // the same graph
      assertThat(v.getAttributeAgreement())
          .containsOnlyKeys("weather", "timeofday", "scene")
          .allSatisfy((k, a) -> assertThat(a).as(k).isEqualTo(1.0));
      assertThat(v.getDetectionF1()).allSatisfy((k, f1) -> assertThat(f1).as(k).isEqualTo(1.0));
      assertThat(v.getMaskIou()).isEqualTo(1.0);
      assertThat(v.getShadowModelMs()).isPositive();
      assertThat(v.getModelMs()).isPositive();
      assertThat(v.getLatencyDeltaMs()).isEqualTo(v.getShadowModelMs() - v.getModelMs());
      // the frame's lineage: the incumbent answered it, at its offset
      assertThat(HeaderNames.read(r.headers(), HeaderNames.MODEL_VERSION))
          .isEqualTo(serving.get().card().version());
      assertThat(HeaderNames.read(r.headers(), HeaderNames.SOURCE_OFFSET))
          .isEqualTo(Integer.toString(i));
      assertThat(HeaderNames.read(r.headers(), HeaderNames.SCHEMA))
          .isEqualTo(ShadowResult.getClassSchema().getFullName());
    }
    ShadowStats.Snapshot st = run.stats();
    assertThat(st.sampled()).isEqualTo(3);
    assertThat(st.compared()).isEqualTo(3);
    assertThat(st.agreement().maskIou()).isEqualTo(1.0);
  }

  @Test
  void theShadowsWorkerRunsAtTheBackgroundPriority() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
    int nice = Math.min(19, BackgroundPriority.currentNice() + 7);
    try (Shadow shadow =
        start(
            settings(
                "hydranet/copy", 1.0, Map.of(Settings.BACKGROUND_NICE, Integer.toString(nice))))) {
      assertThat(shadow).isNotNull();
      // the worker names its native thread once it runs; other tests' shadows may still be there
      assertThat(
              Eventually.await(
                  "a hydra-shadow thread at nice " + nice,
                  Duration.ofSeconds(10),
                  () -> niceOfThreads("hydra-shadow"),
                  n -> n.contains(nice)))
          .contains(nice);
    }
    assertThat(BackgroundPriority.currentNice()).as("the starting thread").isLessThan(nice);
  }

  /** The nice value of each of this process's threads named {@code name}. */
  private static List<Integer> niceOfThreads(String name) throws Exception {
    List<Integer> nices = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).trim().equals(name)) {
            nices.add(BackgroundPriority.niceOf(t));
          }
        } catch (java.io.IOException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return nices;
  }

  @Test
  void aPerturbedCandidateDoesNotAgreeEverywhere() throws Exception {
    Run run = shadowOfThreeFrames("hydranet/perturbed");
    for (TestRecord<String, byte[]> r : run.records()) {
      ShadowResult v = value(r);
      assertThat(v.getShadowModel()).isEqualTo("hydranet@perturbed");
      assertThat(v.getShadowModelSha256()).isNotEqualTo(v.getModelSha256());
      assertThat(v.getMaskIou()).isBetween(0.0, 1.0).isLessThan(1.0);
    }
    var report = run.stats().agreement();
    boolean anyDisagreement =
        report.attributeAgreement().values().stream().anyMatch(a -> a < 1.0)
            || report.detectionF1().values().stream().anyMatch(f -> f < 1.0);
    assertThat(anyDisagreement).as("%s", report).isTrue();
  }

  @Test
  void framesOutsideTheSampleGetNoRecord() throws Exception {
    double fraction = 0.5;
    int frames = 8;
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < frames; i++) {
      if (Shadow.sampled("cam-0:" + i, fraction)) {
        expected.add("cam-0:" + i);
      }
    }
    assertThat(expected.size()).isBetween(1, frames - 1); // the ids sample some, not all
    Settings s = settings("hydranet/copy", fraction, Map.of());
    try (Shadow shadow = start(s)) {
      List<TestRecord<String, byte[]>> recs = shadowRecords(s, shadow, frames);
      TreeSet<String> got = new TreeSet<>();
      recs.forEach(r -> got.add(value(r).getFrameId()));
      assertThat(recs).hasSize(expected.size());
      assertThat(got).isEqualTo(expected);
      assertThat(shadow.stats().snapshot().sampled()).isEqualTo(expected.size());
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutWaiting() throws Exception {
    Settings s = settings("hydranet/copy", 1.0, Map.of(Settings.SHADOW_QUEUE_SIZE, 1));
    Serving.WarmUp warm = serving.get().warmUp(1);
    FrameMeta meta = new FrameMeta("cam-0:0", "cam-0", null, 0, T0, 1280, 720);
    PerceptionFrame incumbent = ResultRecords.fused(meta, warm.perception(), 1.0);
    Shadow.Outbox outbox = new Shadow.Outbox();
    int offered = 30;
    try (Shadow shadow = start(s)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < offered; i++) {
        shadow.offer(
            new Shadow.Job(
                meta,
                incumbent,
                warm.perception().model(),
                1_000_000,
                warm.frame(),
                new RecordHeaders(),
                T0,
                outbox));
      }
      long offerMillis = (System.nanoTime() - t0) / 1_000_000;
      // 30 model calls take seconds; the offers took no model call's time
      assertThat(offerMillis).isLessThan(200);
      ShadowStats.Snapshot st =
          Eventually.await(
              "the queued frames answered",
              Duration.ofSeconds(60),
              () -> shadow.stats().snapshot(),
              x -> x.compared() + x.failed() + x.dropped() == x.sampled());
      assertThat(st.sampled()).isEqualTo(offered);
      assertThat(st.dropped())
          .isGreaterThanOrEqualTo(offered - 3); // one queued, one or two running
      assertThat(st.failed()).isZero();
      List<Record<String, Object>> out = new ArrayList<>();
      outbox.drain(out::add);
      assertThat(out).hasSize((int) st.compared());
      assertThat(st.compared()).isEqualTo(offered - st.dropped());
    }
  }

  @Test
  void aBadCandidateFailsAtStartNamingTheSetting() {
    assertThatThrownBy(() -> start(settings("hydranet/404", 1.0, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Settings.SHADOW_MODEL)
        .hasMessageContaining("404");
    assertThatThrownBy(() -> start(settings("hydranet/truncated", 1.0, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Settings.SHADOW_MODEL)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> settings("hydranet", 1.0, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Settings.SHADOW_MODEL)
        .hasMessageContaining("NAME/VERSION");
    assertThat(Shadow.start(settings("", 1.0, Map.of()), serving.get(), null, null)).isNull();
  }
}
