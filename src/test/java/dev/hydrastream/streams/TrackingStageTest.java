package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackEndReason;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.schema.TrackingStatus;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.streams.topics.TopologyNodes;
import dev.hydrastream.streams.tracking.TrackingProcessor;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.tracking.TrackerStateCodec;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking stage ({@link TrackingProcessor}) driven with fused frame records whose detections
 * the test chooses: one record per frame, ids per camera, the tracker in the store, headers, both
 * output formats, bad input. The whole topology with the model is covered by {@link
 * PerceptionTopologyTest}.
 */
class TrackingStageTest {

  private static final String IN = "test.frames";
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path state;

  /** perception.frames records as input → the tracking stage → perception.tracks. */
  private final class Driver implements AutoCloseable {
    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> in;
    final TestOutputTopic<String, byte[]> out;
    final TestOutputTopic<String, byte[]> framesOut;

    Driver(String format) {
      Settings s = Settings.of(Map.of(Settings.OUTPUT_FORMAT, format));
      topics = Topics.of(s);
      Topology t = new Topology();
      Deserializer<SpecificRecord> frames =
          (topic, bytes) -> AvroCodec.standard().decode(bytes, PerceptionFrame.class);
      t.addSource("in", new StringDeserializer(), frames, IN);
      TrackingProcessor.addTo(t, "in", topics.frames(), topics.tracks(), TrackerConfig.of(s));
      Properties p = new Properties();
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, "tracking-stage-test");
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
      driver = new TopologyTestDriver(t, p);
      in = driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer());
      out =
          driver.createOutputTopic(
              topics.tracks().name(), new StringDeserializer(), new ByteArrayDeserializer());
      framesOut =
          driver.createOutputTopic(
              topics.frames().name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    void send(String camera, long seq, long ts, List<Detection> detections) {
      RecordHeaders h = new RecordHeaders();
      h.add(HeaderNames.FRAME_ID, (camera + ":" + seq).getBytes());
      h.add(HeaderNames.SCHEMA, "dev.hydrastream.schema.PerceptionFrame".getBytes());
      in.pipeInput(
          new TestRecord<>(camera, AvroCodec.encode(frame(camera, seq, ts, detections)), h));
    }

    TrackResult read() {
      return Decoded.decodeAvro(out.readValue(), TrackResult.class);
    }

    byte[] stored(String camera) {
      KeyValueStore<String, byte[]> store = driver.getKeyValueStore(TopologyNodes.TRACKER_STORE);
      return store.get(camera);
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  static PerceptionFrame frame(String camera, long seq, long ts, List<Detection> detections) {
    return PerceptionFrame.newBuilder()
        .setFrameId(camera + ":" + seq)
        .setCameraId(camera)
        .setVehicleId("veh-" + camera)
        .setFrameSeq(seq)
        .setCaptureTs(Instant.ofEpochMilli(ts))
        .setFrameWidth(1280)
        .setFrameHeight(720)
        .setModel("test@1")
        .setLatencyMs(1.0)
        .setDetections(detections)
        .build();
  }

  static Detection det(String category, float score, float x1, float y1, float x2, float y2) {
    return new Detection(category, 2, score, new Box2d(x1, y1, x2, y2));
  }

  static Detection car(float x, float y) {
    return det("car", 0.9f, x, y, x + 59, y + 39);
  }

  @Test
  void oneRecordPerFrameWithIdsPerCameraAndTheFramesFields() {
    try (Driver d = new Driver("avro")) {
      for (int k = 0; k < 5; k++) {
        d.send("cam-a", k, T0 + 200L * k, List.of(car(100 + 10 * k, 300)));
        d.send("cam-b", k, T0 + 200L * k, List.of(car(500, 100), car(800, 500)));
      }
      List<TestRecord<String, byte[]>> all = d.out.readRecordsToList();
      assertThat(all).hasSize(10);
      TestRecord<String, byte[]> last = all.get(8);
      assertThat(last.key()).isEqualTo("cam-a");
      assertThat(HeaderNames.read(last.headers(), HeaderNames.FRAME_ID)).isEqualTo("cam-a:4");
      assertThat(HeaderNames.read(last.headers(), HeaderNames.SCHEMA))
          .isEqualTo("dev.hydrastream.schema.TrackResult");
      TrackResult a = Decoded.decodeAvro(last.value(), TrackResult.class);
      assertThat(a.getFrameId()).isEqualTo("cam-a:4");
      assertThat(a.getVehicleId()).isEqualTo("veh-cam-a");
      assertThat(a.getModel()).isEqualTo("test@1");
      assertThat(a.getStatus()).isEqualTo(TrackingStatus.TRACKED);
      Track t = a.getTracks().get(0);
      assertThat(t.getTrackId()).isEqualTo(1);
      assertThat(t.getState()).isEqualTo(TrackState.CONFIRMED);
      assertThat(t.getAgeFrames()).isEqualTo(5);
      assertThat(t.getVelocityX()).isBetween(40f, 60f); // 10 px per 200 ms
      assertThat(t.getBox().getX1()).isBetween(135f, 145f);
      TrackResult b = Decoded.decodeAvro(all.get(9).value(), TrackResult.class);
      assertThat(b.getTracks()).extracting(Track::getTrackId).containsExactly(1L, 2L);
      TrackResult firstB = Decoded.decodeAvro(all.get(1).value(), TrackResult.class);
      assertThat(firstB.getStarted()).containsExactly(1L, 2L);
      // perception.frames: each frame once, with its headers, its detections and its tracks
      List<TestRecord<String, byte[]>> frames = d.framesOut.readRecordsToList();
      assertThat(frames).hasSize(10);
      assertThat(HeaderNames.read(frames.get(8).headers(), HeaderNames.SCHEMA))
          .isEqualTo("dev.hydrastream.schema.PerceptionFrame");
      PerceptionFrame f = Decoded.decodeAvro(frames.get(8).value(), PerceptionFrame.class);
      assertThat(f.getFrameId()).isEqualTo("cam-a:4");
      assertThat(f.getDetections()).hasSize(1);
      assertThat(f.getTracks()).isEqualTo(a.getTracks());
    }
  }

  @Test
  void theTrackerLivesInTheStoreAndContinuesFromWhatTheStoreHolds() {
    byte[] saved;
    try (Driver d = new Driver("avro")) {
      for (int k = 0; k < 3; k++) {
        d.send("cam", k, T0 + 200L * k, List.of(car(100 + 10 * k, 300)));
      }
      saved = d.stored("cam");
      assertThat(TrackerStateCodec.decode(saved, TrackerConfig.defaults()).nextId()).isEqualTo(2);
    }
    // A new instance whose store holds those bytes (what a restore from the changelog gives; the
    // restore itself is HardKillIT's): the track goes on, and a new object gets id 2, not 1.
    try (Driver d = new Driver("avro")) {
      KeyValueStore<String, byte[]> store = d.driver.getKeyValueStore(TopologyNodes.TRACKER_STORE);
      store.put("cam", saved);
      d.send("cam", 3, T0 + 600, List.of(car(130, 300), car(900, 600)));
      TrackResult r = d.read();
      assertThat(r.getTracks()).extracting(Track::getTrackId).containsExactly(1L, 2L);
      assertThat(r.getTracks().get(0).getAgeFrames()).isEqualTo(4);
      assertThat(r.getTracks().get(0).getState()).isEqualTo(TrackState.CONFIRMED);
      assertThat(r.getStarted()).containsExactly(2L);
    }
  }

  @Test
  void timeRulesAreVisibleInTheRecords() {
    try (Driver d = new Driver("avro")) {
      d.send("cam", 0, T0, List.of(car(100, 300)));
      d.send("cam", 1, T0 + 200, List.of(car(110, 300)));
      d.send("cam", 2, T0 + 100, List.of(car(110, 300))); // late
      d.send("cam", 3, T0 + 60_000, List.of(car(110, 300))); // after a minute
      d.read();
      d.read();
      TrackResult late = d.read();
      assertThat(late.getStatus()).isEqualTo(TrackingStatus.SKIPPED_OUT_OF_ORDER);
      assertThat(late.getTracks()).isEmpty();
      TrackResult gap = d.read();
      assertThat(gap.getStatus()).isEqualTo(TrackingStatus.RESET_AFTER_GAP);
      assertThat(gap.getEnded()).hasSize(1);
      assertThat(gap.getEnded().get(0).getReason()).isEqualTo(TrackEndReason.GAP);
      assertThat(gap.getStarted()).containsExactly(2L);
    }
  }

  @Test
  void badDetectionsAreCountedTheThreadGoesOnAndTheStateStaysBounded() {
    try (Driver d = new Driver("avro")) {
      List<Detection> bad = new ArrayList<>();
      bad.add(det("car", Float.NaN, 1, 1, 10, 10));
      bad.add(det("car", 0.9f, 50, 50, 10, 10));
      bad.add(det("unicorn", 0.9f, 1, 1, 10, 10));
      Random r = new Random(1);
      for (int i = 0; i < 10_000; i++) {
        float x = r.nextInt(1280);
        float y = r.nextInt(720);
        bad.add(det("pedestrian", 0.7f + 0.3f * r.nextFloat(), x, y, x + 9, y + 19));
      }
      int limit = TrackerConfig.defaults().maxDetections();
      for (int k = 0; k < 3; k++) {
        d.send("cam", k, T0 + 200L * k, bad);
        TrackResult out = d.read();
        assertThat(out.getDropped())
            .containsEntry("NON_FINITE", 1)
            .containsEntry("INVERTED_BOX", 1)
            .containsEntry("UNKNOWN_CATEGORY", 1)
            .containsEntry("DETECTION_LIMIT", 10_000 - limit);
        assertThat(out.getTracks().size())
            .isLessThanOrEqualTo(TrackerConfig.defaults().maxTracks());
        assertThat(d.stored("cam").length)
            .isLessThanOrEqualTo(TrackerStateCodec.maxBytes(TrackerConfig.defaults()));
      }
      // the next ordinary frame is tracked as usual
      d.send("cam", 3, T0 + 600, List.of(car(100, 300)));
      assertThat(d.read().getStatus()).isEqualTo(TrackingStatus.TRACKED);
    }
  }

  @Test
  void jsonOutput() {
    try (Driver d = new Driver("json")) {
      d.send("cam", 0, T0, List.of(car(100, 300)));
      JsonNode json = Decoded.decodeJson(d.out.readValue());
      assertThat(json.get("frame_id").asText()).isEqualTo("cam:0");
      assertThat(json.get("status").asText()).isEqualTo("TRACKED");
      JsonNode t = json.get("tracks").get(0);
      assertThat(t.get("track_id").asLong()).isEqualTo(1);
      assertThat(t.get("state").asText()).isEqualTo("CONFIRMED"); // born confirmed by default
      assertThat(t.get("category").asText()).isEqualTo("car");
      assertThat(t.get("box").get("x1").asDouble()).isEqualTo(100.0);
      assertThat(json.get("started").get(0).asLong()).isEqualTo(1);
    }
  }
}
