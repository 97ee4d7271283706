package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.schema.TrackingStatus;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.timing.CameraClock;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.HeaderNames;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract for late and out-of-order frames ({@link FrameTiming}), driven through the whole
 * topology with the real default model: each policy of each case, duplicates, the {@value
 * CameraClock#STORE} store and its changelog, the per-camera metrics. A frame that is to be
 * dead-lettered is sent with a truncated JPEG: its reason is LATE or OUT_OF_ORDER, never TRUNCATED,
 * which shows the decision comes before decoding.
 */
class LateFramesTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final String CAM = "cam-7";

  @RegisterExtension static final DefaultServing serving = new DefaultServing();
  private static final byte[] jpeg = Frames.jpegs(1).get(0);
  private static final byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);

  /** A driver over the real topology with some settings and its own metrics. */
  private static final class Driver implements AutoCloseable {
    final TopologyTestDriver driver;
    final Topics topics = new Topics("");
    final TestInputTopic<String, byte[]> in;
    final ServiceMetrics metrics = ServiceMetrics.create();

    Driver(Map<String, Object> settings) {
      this(settings, serving::get);
    }

    Driver(Map<String, Object> settings, Supplier<Serving> model) {
      Map<String, Object> all = new HashMap<>(settings);
      all.put(Settings.BOOTSTRAP_SERVERS, "unused:9092");
      Settings s = Settings.of(all);
      driver = StreamFixtures.driver(PerceptionTopology.build(s, model, metrics), s);
      in = StreamFixtures.frameInput(driver, topics);
    }

    void send(long seq, long captureTs, byte[] image) {
      in.pipeInput(CAM, StreamFixtures.avroFrame(CAM, seq, captureTs, image));
    }

    TestOutputTopic<String, byte[]> out(Topics.Topic<?, ?> t) {
      return driver.createOutputTopic(
          t.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** What {@link #answered()} read from perception.tracks. */
    List<TestRecord<String, byte[]>> tracks = List.of();

    /** Frame ids answered on each task topic (each must hold the same). */
    List<String> answered() {
      List<String> frames = ids(out(topics.frames()).readRecordsToList());
      for (Topics.Topic<?, ?> t : topics.results()) {
        if (!t.name().equals(topics.frames().name())) {
          List<TestRecord<String, byte[]>> records = out(t).readRecordsToList();
          if (t.name().equals(topics.tracks().name())) {
            tracks = records;
          }
          assertThat(ids(records)).as(t.name()).isEqualTo(frames);
        }
      }
      return frames;
    }

    List<TestRecord<String, byte[]>> deadLetters() {
      return out(topics.dlq()).readRecordsToList();
    }

    KeyValueStore<String, byte[]> clocks() {
      return driver.getKeyValueStore(CameraClock.STORE);
    }

    CameraClock clock() {
      return CameraClock.decode(clocks().get(CAM));
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  private static List<String> ids(List<TestRecord<String, byte[]>> records) {
    return records.stream().map(r -> HeaderNames.read(r.headers(), HeaderNames.FRAME_ID)).toList();
  }

  private static String header(TestRecord<?, ?> r, String key) {
    return HeaderNames.read(r.headers(), key);
  }

  private static Map<String, Object> lateLimit(String policy) {
    return Map.of(Settings.FRAME_MAX_AGE_MS, "60000", Settings.FRAME_LATE_POLICY, policy);
  }

  @Test
  void lateFrameProcessedIsAnsweredAndCounted() {
    long now = System.currentTimeMillis();
    try (Driver d = new Driver(lateLimit("process"))) {
      d.send(0, now - 5 * 60_000, jpeg); // five minutes old: late
      d.send(1, now - 1_000, jpeg); // fresh
      assertThat(d.answered()).containsExactly(CAM + ":0", CAM + ":1");
      assertThat(d.deadLetters()).isEmpty();
      CameraClock c = d.clock();
      assertThat(c.late()).isEqualTo(1);
      assertThat(c.lateDeadLettered()).isZero();
      assertThat(c.deadLettered()).isZero();
      assertThat(c.outOfOrder()).isZero();
      assertThat(c.lastAnsweredTs()).isEqualTo(now - 1_000);
      assertThat(d.metrics.frameTimingCounts())
          .containsExactly(Map.entry("late/cam-7/processed", 1L));
    }
  }

  @Test
  void lateFrameDeadLetteredCostsNoDecodeNorModel() {
    long now = System.currentTimeMillis();
    // No model at all: a frame that reached decoding would fail the thread.
    try (Driver d = new Driver(lateLimit("dead-letter"), () -> null)) {
      d.send(0, now - 5 * 60_000, truncated);
      d.send(1, now - 61_000, jpeg);
      List<TestRecord<String, byte[]>> dl = d.deadLetters();
      assertThat(dl).hasSize(2);
      assertThat(dl)
          .allSatisfy(r -> assertThat(header(r, HeaderNames.DLQ_REASON)).isEqualTo("LATE"));
      assertThat(dl.get(0).value())
          .isEqualTo(StreamFixtures.avroFrame(CAM, 0, now - 5 * 60_000, truncated));
      assertThat(header(dl.get(0), HeaderNames.DLQ_DETAIL))
          .contains("capture_ts=" + (now - 5 * 60_000))
          .contains("frame.max.age.ms=60000");
      for (Topics.Topic<?, ?> t : d.topics.results()) {
        assertThat(d.out(t).isEmpty()).as(t.name()).isTrue();
      }
      assertThat(d.driver.getKeyValueStore(LatestFrames.STORE).get(CAM)).isNull();
      CameraClock c = d.clock();
      assertThat(c.late()).isEqualTo(2);
      assertThat(c.lateDeadLettered()).isEqualTo(2);
      assertThat(c.deadLettered()).isEqualTo(2);
      assertThat(c.answered()).isFalse();
      assertThat(d.metrics.frameTimingCounts())
          .containsExactly(Map.entry("late/cam-7/dead_lettered", 2L));
    }
  }

  @Test
  void outOfOrderFrameProcessedIsAnsweredTheTrackerSkipsItTheClockStays() {
    try (Driver d = new Driver(Map.of())) {
      d.send(0, T0, jpeg);
      d.send(1, T0 + 200, jpeg);
      d.send(2, T0 + 100, jpeg); // out of order
      d.send(3, T0 + 300, jpeg);
      assertThat(d.answered()).containsExactly(CAM + ":0", CAM + ":1", CAM + ":2", CAM + ":3");
      List<TrackingStatus> status =
          d.tracks.stream()
              .map(r -> Decoded.decodeAvro(r.value(), TrackResult.class).getStatus())
              .toList();
      assertThat(status.get(2)).isEqualTo(TrackingStatus.SKIPPED_OUT_OF_ORDER);
      assertThat(status.get(3)).isNotEqualTo(TrackingStatus.SKIPPED_OUT_OF_ORDER);
      assertThat(d.deadLetters()).isEmpty();
      CameraClock c = d.clock();
      assertThat(c.outOfOrder()).isEqualTo(1);
      assertThat(c.outOfOrderDeadLettered()).isZero();
      assertThat(c.late()).isZero(); // no age limit by default
      assertThat(c.lastAnsweredTs()).isEqualTo(T0 + 300);
      assertThat(d.metrics.frameTimingCounts())
          .containsExactly(Map.entry("out_of_order/cam-7/processed", 1L));
    }
  }

  @Test
  void outOfOrderFrameDeadLettered() {
    try (Driver d = new Driver(Map.of(Settings.FRAME_OUT_OF_ORDER_POLICY, "dead-letter"))) {
      d.send(0, T0, jpeg);
      d.send(1, T0 + 200, jpeg);
      d.send(2, T0 + 100, truncated); // out of order: not even decoded
      d.send(3, T0 + 150, jpeg); // still older than the last answered frame
      d.send(4, T0 + 400, jpeg);
      assertThat(d.answered()).containsExactly(CAM + ":0", CAM + ":1", CAM + ":4");
      List<TestRecord<String, byte[]>> dl = d.deadLetters();
      assertThat(dl)
          .extracting(r -> header(r, HeaderNames.DLQ_REASON))
          .containsExactly("OUT_OF_ORDER", "OUT_OF_ORDER");
      assertThat(header(dl.get(0), HeaderNames.DLQ_DETAIL))
          .isEqualTo(
              "capture_ts="
                  + (T0 + 100)
                  + " is 100 ms older than the camera's last answered frame (capture_ts="
                  + (T0 + 200)
                  + ")");
      CameraClock c = d.clock();
      assertThat(c.outOfOrder()).isEqualTo(2);
      assertThat(c.outOfOrderDeadLettered()).isEqualTo(2);
      assertThat(c.deadLettered()).isEqualTo(2);
      assertThat(c.lastAnsweredTs()).isEqualTo(T0 + 400);
      assertThat(d.metrics.frameTimingCounts())
          .containsExactly(Map.entry("out_of_order/cam-7/dead_lettered", 2L));
    }
  }

  @Test
  void equalCaptureTimesAreNotOutOfOrder() {
    try (Driver d = new Driver(Map.of(Settings.FRAME_OUT_OF_ORDER_POLICY, "dead-letter"))) {
      d.send(0, T0, jpeg);
      d.send(1, T0, jpeg); // a duplicate capture time (e.g. a camera resending)
      assertThat(d.answered()).containsExactly(CAM + ":0", CAM + ":1");
      assertThat(d.deadLetters()).isEmpty();
      assertThat(d.clock()).isEqualTo(new CameraClock(T0, 0, 0, 0, 0, 0));
      assertThat(d.metrics.frameTimingCounts()).isEmpty();
    }
  }

  @Test
  void aFrameBothLateAndOutOfOrderIsDeadLetteredOnceAsLate() {
    long now = System.currentTimeMillis();
    Map<String, Object> both =
        Map.of(
            Settings.FRAME_MAX_AGE_MS, "60000",
            Settings.FRAME_LATE_POLICY, "dead-letter",
            Settings.FRAME_OUT_OF_ORDER_POLICY, "dead-letter");
    try (Driver d = new Driver(both)) {
      d.send(0, now - 1_000, jpeg);
      d.send(1, now - 120_000, truncated);
      assertThat(d.answered()).containsExactly(CAM + ":0");
      TestRecord<String, byte[]> dl = d.deadLetters().get(0);
      assertThat(header(dl, HeaderNames.DLQ_REASON)).isEqualTo("LATE");
      assertThat(header(dl, HeaderNames.DLQ_DETAIL))
          .contains("frame.max.age.ms=60000")
          .contains("older than the camera's last answered frame");
      assertThat(d.clock()).isEqualTo(new CameraClock(now - 1_000, 1, 1, 1, 1, 1));
    }
    // Only the out-of-order policy dead-letters: the late one lets it pass, the other does not.
    try (Driver d =
        new Driver(
            Map.of(
                Settings.FRAME_MAX_AGE_MS, "60000",
                Settings.FRAME_OUT_OF_ORDER_POLICY, "dead-letter"))) {
      d.send(0, now - 1_000, jpeg);
      d.send(1, now - 120_000, truncated);
      assertThat(header(d.deadLetters().get(0), HeaderNames.DLQ_REASON)).isEqualTo("OUT_OF_ORDER");
      assertThat(d.clock()).isEqualTo(new CameraClock(now - 1_000, 1, 1, 1, 1, 1));
      assertThat(d.metrics.frameTimingCounts())
          .containsOnly(
              Map.entry("late/cam-7/dead_lettered", 1L),
              Map.entry("out_of_order/cam-7/dead_lettered", 1L));
    }
  }

  @Test
  void theClockIsChangeloggedAndARestoredClockJudgesLikeOneThatNeverStopped() {
    byte[] saved;
    Map<String, Object> dlq = Map.of(Settings.FRAME_OUT_OF_ORDER_POLICY, "dead-letter");
    try (Driver d = new Driver(dlq)) {
      d.send(0, T0, jpeg);
      d.send(1, T0 + 500, jpeg);
      d.send(2, T0 + 100, truncated);
      d.answered();
      // Every change went to the changelog, the last one being what the store holds.
      TestOutputTopic<String, byte[]> changelog =
          d.driver.createOutputTopic(
              "hydrastream-" + CameraClock.STORE + "-changelog",
              new StringDeserializer(),
              new ByteArrayDeserializer());
      List<TestRecord<String, byte[]>> changes = changelog.readRecordsToList();
      assertThat(changes).isNotEmpty().allSatisfy(r -> assertThat(r.key()).isEqualTo(CAM));
      saved = changes.get(changes.size() - 1).value();
      assertThat(saved).isEqualTo(d.clocks().get(CAM));
      assertThat(CameraClock.decode(saved)).isEqualTo(new CameraClock(T0 + 500, 0, 0, 1, 1, 1));
    }
    // A new instance whose store holds the changelog's bytes (what a restore gives): a frame older
    // than the last answered one before the restart is out of order, and the counts go on.
    try (Driver d = new Driver(dlq)) {
      d.clocks().put(CAM, saved);
      d.send(3, T0 + 400, truncated);
      assertThat(header(d.deadLetters().get(0), HeaderNames.DLQ_REASON)).isEqualTo("OUT_OF_ORDER");
      assertThat(d.clock()).isEqualTo(new CameraClock(T0 + 500, 0, 0, 2, 2, 2));
    }
  }

  @Test
  void theClockLayoutIsVersioned() {
    CameraClock c = new CameraClock(T0, 1, 2, 3, 4, 5);
    assertThat(CameraClock.decode(c.encode())).isEqualTo(c);
    assertThat(CameraClock.decode(null)).isEqualTo(CameraClock.EMPTY);
    byte[] newer = c.encode();
    newer[0] = 2;
    assertThatThrownBy(() -> CameraClock.decode(newer))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("version 2");
  }
}
