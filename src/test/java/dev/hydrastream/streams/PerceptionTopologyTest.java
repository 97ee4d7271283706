package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.DetectionResult;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SceneResult;
import dev.hydrastream.schema.SegmentationResult;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The topology driven by {@link TopologyTestDriver} with the real default model: routing to the
 * five result topics, headers, both input forms, both output formats, and every dead-letter reason
 * with the original bytes.
 */
class PerceptionTopologyTest {

  @RegisterExtension static final DefaultServing serving = new DefaultServing();

  /** A driver over the real topology with the given output format. */
  private static final class Driver implements AutoCloseable {
    final TopologyTestDriver driver;
    final Topics topics = new Topics("");
    final TestInputTopic<String, byte[]> in;

    Driver(String format) {
      Settings s =
          Settings.of(
              Map.of(Settings.BOOTSTRAP_SERVERS, "unused:9092", Settings.OUTPUT_FORMAT, format));
      driver = StreamFixtures.driver(PerceptionTopology.build(s, serving::get), s);
      in = StreamFixtures.frameInput(driver, topics);
    }

    TestOutputTopic<String, byte[]> out(Topics.Topic<?, ?> t) {
      return driver.createOutputTopic(
          t.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  private static String header(TestRecord<?, ?> r, String key) {
    return HeaderNames.read(r.headers(), key);
  }

  @Test
  void avroFrameGoesToEveryResultTopic() {
    byte[] jpeg = Frames.jpegs(1).get(0);
    try (Driver d = new Driver("avro")) {
      d.in.pipeInput("cam-1", StreamFixtures.avroFrame("cam-1", 17, 1_700_000_000_000L, jpeg));
      for (Topics.Topic t : d.topics.results()) {
        List<TestRecord<String, byte[]>> recs = d.out(t).readRecordsToList();
        assertThat(recs).as(t.name()).hasSize(1);
        TestRecord<String, byte[]> r = recs.get(0);
        assertThat(r.key()).isEqualTo("cam-1");
        assertThat(header(r, HeaderNames.FRAME_ID)).isEqualTo("cam-1:17");
        assertThat(header(r, HeaderNames.CAMERA_ID)).isEqualTo("cam-1");
        assertThat(header(r, HeaderNames.CAPTURE_TS)).isEqualTo("1700000000000");
        assertThat(header(r, HeaderNames.CONTENT_TYPE))
            .isEqualTo("application/vnd.apache.avro.single-object");
      }
      assertThat(d.out(d.topics.dlq()).isEmpty()).isTrue();
    }
  }

  @Test
  void recordsCarryTheFrameAndEveryHead() {
    byte[] jpeg = Frames.jpegs(1).get(0);
    try (Driver d = new Driver("avro")) {
      d.in.pipeInput("cam-2", StreamFixtures.avroFrame("cam-2", 3, 1_700_000_000_000L, jpeg));
      PerceptionFrame f =
          Decoded.decodeAvro(d.out(d.topics.frames()).readValue(), PerceptionFrame.class);
      assertThat(f.getFrameId()).isEqualTo("cam-2:3");
      assertThat(f.getVehicleId()).isEqualTo("veh-cam-2");
      assertThat(f.getFrameWidth()).isEqualTo(1280);
      assertThat(f.getFrameHeight()).isEqualTo(720);
      assertThat(f.getModel()).isEqualTo(serving.get().card().id());
      assertThat(f.getLatencyMs()).isGreaterThan(0);
      assertThat(f.getWeather().getScores()).hasSize(6);
      assertThat(f.getTimeofday().getScores()).hasSize(3);
      assertThat(f.getScene().getScores()).hasSize(6);
      f.getDetections()
          .forEach(
              det -> {
                assertThat(det.getBox().getX1()).isBetween(0f, 1279f);
                assertThat(det.getBox().getY2()).isBetween(det.getBox().getY1(), 719f);
                assertThat(det.getScore()).isGreaterThanOrEqualTo(0.3f);
              });
      var mask = f.getSegmentation();
      byte[] png = new byte[mask.getPng().remaining()];
      mask.getPng().duplicate().get(png);
      try (Mat m =
          opencv_imgcodecs.imdecode(
              new Mat(new BytePointer(png)), opencv_imgcodecs.IMREAD_UNCHANGED)) {
        assertThat(m.cols()).isEqualTo(mask.getWidth());
        assertThat(m.rows()).isEqualTo(mask.getHeight());
      }
      // A road scene: some drivable area is found.
      assertThat(mask.getClassAreas().get("drivable direct")).isGreaterThan(0.01f);

      // The per-task records agree with the fused one.
      ClassificationResult c =
          Decoded.decodeAvro(
              d.out(d.topics.classification()).readValue(), ClassificationResult.class);
      assertThat(c.getWeather().getLabel()).isEqualTo(f.getWeather().getLabel());
      SceneResult s = Decoded.decodeAvro(d.out(d.topics.scene()).readValue(), SceneResult.class);
      assertThat(s.getScene().getLabel()).isEqualTo(f.getScene().getLabel());
      DetectionResult det =
          Decoded.decodeAvro(d.out(d.topics.detections()).readValue(), DetectionResult.class);
      assertThat(det.getDetections()).isEqualTo(f.getDetections());
      SegmentationResult seg =
          Decoded.decodeAvro(d.out(d.topics.segmentation()).readValue(), SegmentationResult.class);
      assertThat(seg.getMask()).isEqualTo(f.getSegmentation());
    }
  }

  @Test
  void rawJpegWithHeadersAndJsonOutput() {
    byte[] jpeg = Frames.jpegs(1).get(0);
    try (Driver d = new Driver("json")) {
      RecordHeaders h = new RecordHeaders();
      h.add(HeaderNames.CAMERA_ID, "front".getBytes(StandardCharsets.UTF_8));
      h.add(HeaderNames.FRAME_SEQ, "99".getBytes(StandardCharsets.UTF_8));
      h.add(HeaderNames.CAPTURE_TS, "1700000000123".getBytes(StandardCharsets.UTF_8));
      d.in.pipeInput(new TestRecord<>("ignored-key", jpeg, h));
      TestRecord<String, byte[]> r = d.out(d.topics.frames()).readRecord();
      assertThat(r.key()).isEqualTo("front");
      assertThat(header(r, HeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
      JsonNode json = Decoded.decodeJson(r.value());
      assertThat(json.get("frame_id").asText()).isEqualTo("front:99");
      assertThat(json.get("capture_ts").asLong()).isEqualTo(1700000000123L);
      assertThat(json.get("vehicle_id").isNull()).isTrue();
      byte[] png = Base64.getDecoder().decode(json.get("segmentation").get("png").asText());
      assertThat(png[1]).isEqualTo((byte) 'P');
      JsonNode det = Decoded.decodeJson(d.out(d.topics.detections()).readValue());
      assertThat(det.get("frame_id").asText()).isEqualTo("front:99");
      assertThat(det.get("detections").isArray()).isTrue();
    }
  }

  @Test
  void rawJpegWithoutHeadersUsesKeyOffsetAndTimestamp() {
    byte[] jpeg = Frames.jpegs(1).get(0);
    try (Driver d = new Driver("json")) {
      d.in.pipeInput("dashcam", jpeg, 1_700_000_000_555L);
      JsonNode json = Decoded.decodeJson(d.out(d.topics.scene()).readValue());
      assertThat(json.get("camera_id").asText()).isEqualTo("dashcam");
      assertThat(json.get("frame_seq").asLong()).isZero();
      assertThat(json.get("capture_ts").asLong()).isEqualTo(1_700_000_000_555L);
    }
  }

  @Test
  void everyDeadLetterReasonKeepsTheOriginalBytes() {
    byte[] jpeg = Frames.jpegs(1).get(0);
    try (Driver d = new Driver("avro")) {
      for (int i = 0; i < 7; i++) {
        Map.Entry<DlqReason, byte[]> bad = StreamFixtures.corrupt(i, jpeg);
        RecordHeaders h = new RecordHeaders();
        h.add(HeaderNames.CAMERA_ID, ("bad-" + i).getBytes(StandardCharsets.UTF_8));
        h.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        d.in.pipeInput(new TestRecord<>("bad-" + i, bad.getValue(), h));
        TestRecord<String, byte[]> dl = d.out(d.topics.dlq()).readRecord();
        assertThat(header(dl, HeaderNames.DLQ_REASON))
            .as("case %d", i)
            .isEqualTo(bad.getKey().name());
        assertThat(dl.value() == null ? new byte[0] : dl.value()).isEqualTo(bad.getValue());
        assertThat(dl.key()).isEqualTo("bad-" + i);
        assertThat(header(dl, HeaderNames.DLQ_SOURCE_TOPIC)).isEqualTo("camera.frames");
        assertThat(header(dl, HeaderNames.DLQ_SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dl, HeaderNames.DLQ_SOURCE_OFFSET)).isEqualTo(String.valueOf(i));
        assertThat(header(dl, HeaderNames.DLQ_DETAIL)).isNotBlank();
        assertThat(header(dl, "trace")).isEqualTo("t-1");
      }
      // More reasons: a malformed header, a missing camera id, an undecodable JPEG body.
      RecordHeaders h = new RecordHeaders();
      h.add(HeaderNames.FRAME_SEQ, "seven".getBytes(StandardCharsets.UTF_8));
      d.in.pipeInput(new TestRecord<>("cam", jpeg, h));
      assertThat(header(d.out(d.topics.dlq()).readRecord(), HeaderNames.DLQ_REASON))
          .isEqualTo("MALFORMED_HEADER");
      d.in.pipeInput(new TestRecord<String, byte[]>(null, jpeg));
      assertThat(header(d.out(d.topics.dlq()).readRecord(), HeaderNames.DLQ_REASON))
          .isEqualTo("MISSING_CAMERA_ID");
      byte[] scrambled = jpeg.clone();
      for (int i = 700; i < scrambled.length - 2; i++) {
        scrambled[i] = (byte) 0xFF;
      }
      d.in.pipeInput("cam", scrambled);
      List<TestRecord<String, byte[]>> dl = d.out(d.topics.dlq()).readRecordsToList();
      List<TestRecord<String, byte[]>> ok = d.out(d.topics.frames()).readRecordsToList();
      d.topics.results().forEach(t -> d.out(t).readRecordsToList());
      // OpenCV either refuses the body (UNDECODABLE) or decodes garbage pixels; never both.
      assertThat(dl.size() + ok.size()).isEqualTo(1);
      if (!dl.isEmpty()) {
        assertThat(header(dl.get(0), HeaderNames.DLQ_REASON)).isEqualTo("UNDECODABLE");
      }
      // None of the bad inputs produced results; a good frame after them still does.
      d.in.pipeInput("cam", StreamFixtures.avroFrame("cam", 1, 1_700_000_000_000L, jpeg));
      for (Topics.Topic t : d.topics.results()) {
        assertThat(d.out(t).readRecordsToList()).as(t.name()).hasSize(1);
      }
    }
  }
}
