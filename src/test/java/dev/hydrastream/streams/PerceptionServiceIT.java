package dev.hydrastream.streams;

import static dev.hydrastream.streams.StreamFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a real in-process KRaft broker with the real default model: every frame's results
 * exactly once per topic (read_committed), per-camera order, bad frames dead-lettered with their
 * reason while the app keeps RUNNING, and raw JPEGs from {@code kcat -P}. {@link #run} is the
 * scenario; {@code PerceptionServiceContainerIT} runs it on a Kafka container too.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PerceptionServiceIT {

  private static final int CAMERAS = 4;
  private static final int FRAMES = 500;

  @RegisterExtension static final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @TempDir static Path tmp;

  private static PerceptionService start(String bootstrap, Path tmp, String name) throws Exception {
    Map<String, Object> s =
        KafkaClusterExtension.serviceSettings(bootstrap, name, tmp.resolve(name));
    s.put(Settings.TOPIC_PARTITIONS, "4");
    s.put(Settings.STREAM_THREADS, "4");
    return PerceptionService.create(Settings.of(s)).start(Duration.ofSeconds(60));
  }

  @Test
  void everyFrameOnceOnEveryTopicInCameraOrder() throws Exception {
    run(kafka.bootstrap(), tmp, "clean", 0);
  }

  @Test
  void corruptFramesAreDeadLetteredAndNothingElseIsLost() throws Exception {
    run(kafka.bootstrap(), tmp, "corrupt", 50);
  }

  /**
   * The scenario: {@value #FRAMES} frames of {@value #CAMERAS} cameras (and {@code corrupt} bad
   * ones) through the service on {@code bootstrap}, topics under the prefix {@code name.}; every
   * frame's results once per topic in camera order, every bad frame dead-lettered.
   */
  static void run(String bootstrap, Path tmp, String name, int corrupt) throws Exception {
    Topics topics = new Topics(name + ".");
    List<byte[]> jpegs = Frames.jpegs(8);
    try (PerceptionService service = start(bootstrap, tmp, name);
        KafkaProducer<String, byte[]> producer = StreamFixtures.producer(bootstrap)) {
      Map<String, byte[]> sentCorrupt = new LinkedHashMap<>();
      Map<String, DlqReason> expectedReason = new HashMap<>();
      int every = corrupt == 0 ? Integer.MAX_VALUE : FRAMES / corrupt;
      int c = 0;
      long t0 = System.currentTimeMillis();
      for (int i = 0; i < FRAMES; i++) {
        String camera = "cam-" + (i % CAMERAS);
        long seq = i / CAMERAS;
        producer.send(
            new ProducerRecord<>(
                topics.cameraFrames().name(),
                camera,
                StreamFixtures.avroFrame(camera, seq, t0 + i, jpegs.get(i % jpegs.size()))));
        if (i % every == 0 && c < corrupt) {
          Map.Entry<DlqReason, byte[]> bad = StreamFixtures.corrupt(c, jpegs.get(0));
          String badCamera = "bad-" + c;
          producer.send(
              StreamFixtures.raw(topics.cameraFrames().name(), badCamera, c, bad.getValue()));
          sentCorrupt.put(badCamera, bad.getValue());
          expectedReason.put(badCamera, bad.getKey());
          c++;
        }
      }
      producer.flush();
      assertThat(c).isEqualTo(corrupt);

      Map<String, Integer> expected = new LinkedHashMap<>();
      topics.results().forEach(t -> expected.put(t.name(), FRAMES));
      expected.put(topics.dlq().name(), corrupt);
      List<String> names = new ArrayList<>(expected.keySet());
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got;
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(bootstrap, names)) {
        got =
            StreamFixtures.readAll(reader, expected, Duration.ofMinutes(4), Duration.ofSeconds(3));
      }

      for (Topics.Topic t : topics.results()) {
        List<ConsumerRecord<byte[], byte[]>> recs = got.get(t.name());
        assertThat(recs).as(t.name()).hasSize(FRAMES);
        Set<String> ids = new HashSet<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : recs) {
          String id = header(r, HeaderNames.FRAME_ID);
          assertThat(ids.add(id)).as("%s: %s once", t.name(), id).isTrue();
          String camera = new String(r.key());
          long seq = Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
          assertThat(id).startsWith(camera + ":");
          Long prev = lastSeq.put(camera, seq);
          assertThat(prev == null || prev < seq).as("%s: order of %s", t.name(), camera).isTrue();
        }
        for (int i = 0; i < FRAMES; i++) {
          assertThat(ids).contains(FrameMeta.frameId("cam-" + (i % CAMERAS), i / CAMERAS));
        }
      }
      PerceptionFrame first =
          Decoded.decodeAvro(got.get(topics.frames().name()).get(0).value(), PerceptionFrame.class);
      assertThat(first.getFrameWidth()).isEqualTo(1280);
      assertThat(first.getFrameHeight()).isEqualTo(720);
      assertThat(first.getModel()).contains("@");

      List<ConsumerRecord<byte[], byte[]>> dlq = got.get(topics.dlq().name());
      assertThat(dlq).hasSize(corrupt);
      for (ConsumerRecord<byte[], byte[]> r : dlq) {
        String camera = new String(r.key());
        assertThat(header(r, HeaderNames.DLQ_REASON))
            .as(camera)
            .isEqualTo(expectedReason.get(camera).name());
        assertThat(r.value() == null ? new byte[0] : r.value())
            .as(camera)
            .isEqualTo(sentCorrupt.get(camera));
        assertThat(header(r, HeaderNames.DLQ_SOURCE_TOPIC)).isEqualTo(topics.cameraFrames().name());
        assertThat(header(r, HeaderNames.DLQ_SOURCE_OFFSET)).isNotNull();
        assertThat(header(r, HeaderNames.DLQ_DETAIL)).isNotBlank();
      }
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      System.out.printf(
          "%s: %d frames + %d corrupt in %.1f s, mean batch %.2f%n",
          name,
          FRAMES,
          corrupt,
          (System.currentTimeMillis() - t0) / 1000.0,
          service.serving().stats().meanBatch());
    }
  }
}
