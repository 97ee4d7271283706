package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimulatedCamera;
import dev.hydrastream.streams.replay.Replay;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28's replay bar: a recorded drive of 2,000 frames answered by the service with batching on
 * (four stream threads on four partitions, a burst, batches of up to 8), then replayed over its
 * time range; every result topic of the replay holds the same records, byte for byte (key, value,
 * headers but the latency header), per camera in frame order.
 */
@Timeout(600)
class ReplayIT {

  @RegisterExtension static final KafkaClusterExtension KAFKA = KafkaClusterExtension.brokers(1);

  static final int CAMERAS = 4;
  static final int FRAMES_PER_CAMERA = 500;

  @TempDir Path state;

  @Test
  void aReplayOfARecordedDriveGivesByteIdenticalResultRecords() throws Exception {
    Map<String, Object> s =
        KafkaClusterExtension.serviceSettings(KAFKA.bootstrap(), "replayit", state);
    s.put(Settings.STREAM_THREADS, 4);
    s.put(Settings.TELEMETRY_ENABLED, false);
    s.put(Settings.BATCH_MAX_SIZE, 8);
    s.put(Settings.BATCH_MAX_WAIT_MS, 20);
    s.put(Settings.TOPIC_PARTITIONS, 4);
    s.put(Settings.RESULTS_LATENCY, Settings.LATENCY_HEADER);
    Settings settings = Settings.of(s);
    Topics topics = Topics.of(settings);
    KAFKA.createTopic(topics.cameraFrames().name(), 4);

    // The drive: the simulator's cameras, small frames (the model letterboxes), sent as a burst.
    long t1 = System.currentTimeMillis();
    try (FrameProducer producer =
        new FrameProducer(
            KAFKA.bootstrap(), topics.cameraFrames().name(), FrameProducer.Format.AVRO, Map.of())) {
      List<SimulatedCamera> cams = new ArrayList<>();
      for (int c = 0; c < CAMERAS; c++) {
        cams.add(new SimulatedCamera("cam-" + c, "veh-" + c, 100 + c, 256, 144, 10));
      }
      for (int seq = 0; seq < FRAMES_PER_CAMERA; seq++) {
        for (SimulatedCamera cam : cams) {
          producer.send(cam.frame(seq));
        }
      }
      producer.flush();
      cams.forEach(SimulatedCamera::close);
      assertThat(producer.failed()).isZero();
    }
    long t2 = System.currentTimeMillis() + 1;
    int frames = CAMERAS * FRAMES_PER_CAMERA;

    try (PerceptionService service = PerceptionService.create(settings);
        CommittedResults results = new CommittedResults(KAFKA.bootstrap(), topics)) {
      service.start(Duration.ofSeconds(120));
      results.until(() -> results.complete(frames), Duration.ofMinutes(4));
      var stats = service.serving().stats();
      System.err.printf("ReplayIT: %d frames in %d batches%n", stats.frames(), stats.batches());
      assertThat(stats.frames()).as("frames through the batcher").isGreaterThanOrEqualTo(frames);
      assertThat(stats.batches())
          .as("batches of more than one frame formed")
          .isLessThan(stats.frames());
    }

    Replay.Summary summary =
        Replay.run(
            settings,
            new Replay.Request(
                topics.cameraFrames().name(),
                t1,
                t2,
                "replayit.replay.",
                null,
                Duration.ofMinutes(4)),
            System.err::println);
    assertThat(summary.offsets()).isEqualTo(frames);
    Topics replay = new Topics("replayit.replay.");
    for (int i = 0; i < topics.results().size(); i++) {
      String original = topics.results().get(i).name();
      String replayed = replay.results().get(i).name();
      assertThat(summary.records()).containsEntry(replayed, (long) frames);
      Map<String, List<String>> a = byCamera(original, frames);
      Map<String, List<String>> b = byCamera(replayed, frames);
      assertThat(a.values().stream().mapToInt(List::size).sum()).isEqualTo(frames);
      assertThat(b.keySet()).isEqualTo(a.keySet());
      for (String camera : a.keySet()) {
        List<String> x = a.get(camera);
        List<String> y = b.get(camera);
        assertThat(y).hasSameSizeAs(x);
        for (int k = 0; k < x.size(); k++) {
          assertThat(y.get(k)).as("%s record %d of %s", replayed, k, camera).isEqualTo(x.get(k));
        }
      }
    }
  }

  /**
   * A topic's records per camera in frame order: key, value and headers as hex, bar the latency.
   */
  private static Map<String, List<String>> byCamera(String topic, int expected) {
    Map<String, List<String>> out = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (ConsumerRecord<byte[], byte[]> r :
        KafkaTestClients.readCommitted(KAFKA.bootstrap(), topic, expected, Duration.ofMinutes(1))) {
      StringBuilder sb = new StringBuilder(hex.formatHex(r.key())).append('|');
      sb.append(hex.formatHex(r.value()));
      for (Header h : r.headers()) {
        if (!h.key().equals(HeaderNames.LATENCY_MS)) {
          sb.append('|').append(h.key()).append('=').append(hex.formatHex(h.value()));
        }
      }
      sb.append("|ts=").append(r.timestamp());
      out.computeIfAbsent(new String(r.key()), k -> new ArrayList<>()).add(sb.toString());
    }
    return out;
  }
}
