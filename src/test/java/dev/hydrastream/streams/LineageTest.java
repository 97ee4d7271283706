package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.ResultSettings;
import dev.hydrastream.config.ServiceVersion;
import dev.hydrastream.config.Settings;
import dev.hydrastream.config.TrackingSettings;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.topics.Lineage;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lineage headers ({@link HeaderNames#LINEAGE}) on every result topic, with the real default
 * model under {@link TopologyTestDriver}: each result names the model that answered its frame (the
 * SHA-256 of the graph on disk), its frame's topic, partition and offset, the service version and
 * the settings digest; the digest moves with a result-changing setting and not with a port.
 */
class LineageTest {

  @RegisterExtension static final DefaultServing serving = new DefaultServing();

  static final long T0 = 1_700_000_000_000L;

  static Settings settings(Map<String, Object> more) {
    Map<String, Object> values = new HashMap<>(more);
    values.put(Settings.BOOTSTRAP_SERVERS, "unused:9092");
    return Settings.of(values);
  }

  @Test
  void everyResultNamesItsModelItsFrameTheServiceAndTheSettings() {
    Settings s = settings(Map.of());
    Topics topics = Topics.of(s);
    ModelIdentity model = serving.get().identity();
    assertThat(model.sha256())
        .isEqualTo(ModelCard.sha256(Path.of("models/hydranet/saved_model.pb")));
    List<byte[]> jpegs = Frames.jpegs(3);
    // frame sequence numbers that are not the offsets, and a record before them that is no frame
    Map<String, Long> offsetOfFrame = new HashMap<>();
    try (TopologyTestDriver driver =
        StreamFixtures.driver(PerceptionTopology.build(s, serving::get), s)) {
      TestInputTopic<String, byte[]> in = StreamFixtures.frameInput(driver, topics);
      in.pipeInput("cam-1", new byte[0]); // offset 0: dead-lettered
      for (int i = 0; i < jpegs.size(); i++) {
        String camera = "cam-" + (i % 2);
        long seq = 40 + i;
        in.pipeInput(camera, StreamFixtures.avroFrame(camera, seq, T0 + i * 100L, jpegs.get(i)));
        offsetOfFrame.put(camera + ":" + seq, i + 1L);
      }
      driver.advanceWallClockTime(Duration.ofSeconds(5)); // releases the events
      List<Topics.Topic<?, ?>> outputs = new ArrayList<>(topics.results());
      outputs.add(topics.events());
      String digest = Lineage.of(s).digest(model);
      for (Topics.Topic<?, ?> t : outputs) {
        List<TestRecord<String, byte[]>> recs =
            driver
                .createOutputTopic(t.name(), new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
        assertThat(recs).as(t.name()).hasSize(jpegs.size());
        for (TestRecord<String, byte[]> r : recs) {
          String frame = header(r, HeaderNames.FRAME_ID);
          assertThat(header(r, HeaderNames.MODEL_NAME)).as(t.name()).isEqualTo("hydranet");
          assertThat(header(r, HeaderNames.MODEL_VERSION)).as(t.name()).isEqualTo(model.version());
          assertThat(header(r, HeaderNames.MODEL_SHA256)).as(t.name()).isEqualTo(model.sha256());
          assertThat(header(r, HeaderNames.SOURCE_TOPIC)).as(t.name()).isEqualTo("camera.frames");
          assertThat(header(r, HeaderNames.SOURCE_PARTITION)).as(t.name()).isEqualTo("0");
          assertThat(header(r, HeaderNames.SOURCE_OFFSET))
              .as("%s %s", t.name(), frame)
              .isEqualTo(String.valueOf(offsetOfFrame.get(frame)));
          assertThat(header(r, HeaderNames.SERVICE_VERSION))
              .as(t.name())
              .isEqualTo(ServiceVersion.get());
          assertThat(header(r, HeaderNames.SETTINGS_DIGEST)).as(t.name()).isEqualTo(digest);
          for (String name : HeaderNames.LINEAGE) {
            assertThat(r.headers().headers(name)).as("%s %s once", t.name(), name).hasSize(1);
          }
        }
      }
    }
  }

  @Test
  void theDigestMovesWithResultChangingSettingsOnly() {
    ModelIdentity model = new ModelIdentity("hydranet", "2", "ab".repeat(32));
    String base = Lineage.of(settings(Map.of())).digest(model);
    assertThat(base).matches("[0-9a-f]{64}");
    // where, how fast, on which machine: the same results
    for (Map.Entry<String, Object> same :
        List.of(
            Map.entry(Settings.HTTP_PORT, (Object) 9999),
            Map.entry(Settings.STREAM_THREADS, (Object) 3),
            Map.entry(Settings.BATCH_MAX_SIZE, (Object) 2),
            Map.entry(Settings.MODEL_DIR, (Object) "elsewhere/hydranet"),
            Map.entry(Settings.MODEL_DEVICE, (Object) "cpu"),
            Map.entry(Settings.TOPIC_PREFIX, (Object) "fleet1."),
            Map.entry(Settings.MODEL_MIN_SCORE, (Object) "0.30"))) {
      assertThat(Lineage.of(settings(Map.ofEntries(same))).digest(model))
          .as(same.getKey())
          .isEqualTo(base);
    }
    for (Map.Entry<String, Object> other :
        List.of(
            Map.entry(Settings.MODEL_MIN_SCORE, (Object) "0.4"),
            Map.entry(Settings.OUTPUT_FORMAT, (Object) "json"),
            Map.entry(TrackingSettings.MIN_HITS, (Object) 3),
            Map.entry(Settings.FRAME_LATE_POLICY, (Object) Settings.POLICY_DEAD_LETTER),
            Map.entry(Settings.CAMERA_VEHICLES, (Object) "cam-0:truck-7"),
            Map.entry(Settings.TELEMETRY_ENABLED, (Object) false))) {
      assertThat(Lineage.of(settings(Map.ofEntries(other))).digest(model))
          .as(other.getKey())
          .isNotEqualTo(base);
    }
    // another model, or the same name and version with another graph
    Lineage l = Lineage.of(settings(Map.of()));
    assertThat(l.digest(new ModelIdentity("hydranet", "3", model.sha256()))).isNotEqualTo(base);
    assertThat(l.digest(new ModelIdentity("hydranet", "2", "cd".repeat(32)))).isNotEqualTo(base);
    // every setting in the digest is a setting
    assertThat(Settings.DEF.names()).containsAll(ResultSettings.names());
  }

  private static String header(TestRecord<?, ?> r, String key) {
    return HeaderNames.read(r.headers(), key);
  }
}
