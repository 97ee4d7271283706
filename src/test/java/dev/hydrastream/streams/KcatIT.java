package dev.hydrastream.streams;

import static dev.hydrastream.streams.StreamFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Corrupt;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.wire.Decoded;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any producer works: a JPEG file sent with Debian's {@code kcat -P} (one file = one message) is
 * processed, with headers or with only a key, and a frame over 1 MB with the README's {@code -X
 * message.max.bytes}. Output in JSON here, to check that format too. Skipped only where kcat is not
 * installed ({@code .ci/run} installs it).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KcatIT {

  @TempDir Path tmp;

  @Test
  void rawJpegFromKcatIsProcessed() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat not installed");
    Path jpeg = tmp.resolve("frame.jpg");
    Files.write(jpeg, Frames.jpegs(1).get(0));
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      Settings s =
          Settings.of(
              Map.of(
                  Settings.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                  Settings.APPLICATION_ID, "it-kcat",
                  Settings.OUTPUT_FORMAT, "json",
                  Settings.STREAM_THREADS, "1",
                  Settings.TOPIC_PARTITIONS, "2",
                  Settings.STATE_DIR, tmp.resolve("state").toString()));
      Topics topics = new Topics("");
      try (PerceptionService service = PerceptionService.create(s).start(Duration.ofSeconds(60))) {
        long capture = System.currentTimeMillis();
        kcat(
            cluster.bootstrapServers(),
            topics.cameraFrames().name(),
            "-k",
            "dashcam-7",
            "-H",
            "camera_id=dashcam-7",
            "-H",
            "frame_seq=42",
            "-H",
            "capture_ts=" + capture,
            "-H",
            "vehicle_id=truck-3",
            jpeg.toString());
        kcat(
            cluster.bootstrapServers(),
            topics.cameraFrames().name(),
            "-k",
            "keyonly",
            jpeg.toString());
        // A frame over 1 MB: kcat refuses it at its 1 MB default, the README's -X lets it through.
        Path big = tmp.resolve("big.jpg");
        Files.write(big, Corrupt.noiseJpeg(1600, 1200, 7));
        assertThat(Files.size(big)).isGreaterThan(1_100_000L);
        String refused =
            kcatFails(cluster.bootstrapServers(), topics.cameraFrames().name(), big.toString());
        assertThat(refused).containsIgnoringCase("too large");
        kcat(
            cluster.bootstrapServers(),
            topics.cameraFrames().name(),
            "-X",
            "message.max.bytes=" + LARGE_MESSAGE_BYTES,
            "-k",
            "bigcam",
            big.toString());
        try (KafkaConsumer<byte[], byte[]> reader =
            KafkaTestClients.committedConsumer(
                cluster.bootstrapServers(), List.of(topics.frames().name()))) {
          List<ConsumerRecord<byte[], byte[]>> got =
              StreamFixtures.readAll(
                      reader,
                      Map.of(topics.frames().name(), 3),
                      Duration.ofSeconds(90),
                      Duration.ofSeconds(1))
                  .get(topics.frames().name());
          assertThat(got).hasSize(3);
          ConsumerRecord<byte[], byte[]> large =
              got.stream()
                  .filter(r -> header(r, HeaderNames.FRAME_ID).startsWith("bigcam:"))
                  .findFirst()
                  .orElseThrow();
          assertThat(Decoded.decodeJson(large.value()).get("frame_width").asInt()).isEqualTo(1600);
          ConsumerRecord<byte[], byte[]> withHeaders =
              got.stream()
                  .filter(r -> "dashcam-7:42".equals(header(r, HeaderNames.FRAME_ID)))
                  .findFirst()
                  .orElseThrow();
          assertThat(header(withHeaders, HeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
          JsonNode json = Decoded.decodeJson(withHeaders.value());
          assertThat(json.get("camera_id").asText()).isEqualTo("dashcam-7");
          assertThat(json.get("vehicle_id").asText()).isEqualTo("truck-3");
          assertThat(json.get("capture_ts").asLong()).isEqualTo(capture);
          assertThat(json.get("frame_width").asInt()).isEqualTo(1280);
          assertThat(json.get("weather").get("label").asText()).isNotBlank();
          assertThat(json.get("detections").isArray()).isTrue();
          assertThat(json.get("segmentation").get("png").asText()).isNotBlank();
          ConsumerRecord<byte[], byte[]> keyOnly =
              got.stream()
                  .filter(r -> header(r, HeaderNames.FRAME_ID).startsWith("keyonly:"))
                  .findFirst()
                  .orElseThrow();
          // Without headers the sequence number is the input offset.
          assertThat(header(keyOnly, HeaderNames.FRAME_ID)).matches("keyonly:\\d+");
        }
      }
    }
  }

  /**
   * The README's {@code -X message.max.bytes}: the topics' own limit ({@code frame.max.bytes} + 64
   * KiB, set by the service when it creates them).
   */
  static final int LARGE_MESSAGE_BYTES = (4 << 20) + (64 << 10);

  /** Runs {@code kcat -P} expecting it to fail; returns what it printed. */
  private static String kcatFails(String bootstrap, String topic, String file) throws Exception {
    Process p =
        new ProcessBuilder("kcat", "-P", "-b", bootstrap, "-t", topic, "-k", "refused", file)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kcat should fail: %s", out).isNotZero();
    return out;
  }

  private static void kcat(String bootstrap, String topic, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(List.of("kcat", "-P", "-b", bootstrap, "-t", topic));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kcat: %s", out).isZero();
  }
}
