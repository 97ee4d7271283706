package dev.hydrastream.camera;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** The service and result reading shared by the camera ITs. */
final class CameraITSupport {

  private CameraITSupport() {}

  /** The per-task topics every frame must reach. */
  static List<String> taskTopics(Topics t) {
    return List.of(
        t.classification().name(),
        t.detections().name(),
        t.segmentation().name(),
        t.scene().name(),
        t.frames().name());
  }

  /** The service on {@code bootstrap}, topics under {@code name.}, created and awaited. */
  static PerceptionService service(String bootstrap, Path tmp, String name) throws Exception {
    Map<String, Object> s =
        KafkaClusterExtension.serviceSettings(bootstrap, name, tmp.resolve(name));
    s.put(Settings.STREAM_THREADS, "1");
    s.put(Settings.TOPIC_PARTITIONS, "2");
    return PerceptionService.create(Settings.of(s)).start(Duration.ofSeconds(60));
  }

  /** Polls once into {@code got} (by topic). */
  static void poll(
      KafkaConsumer<byte[], byte[]> c, Map<String, List<ConsumerRecord<byte[], byte[]>>> got) {
    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
      got.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r);
    }
  }

  /** Polls until every topic of {@code topics} holds {@code count} records or time is up. */
  static Map<String, List<ConsumerRecord<byte[], byte[]>>> readAll(
      KafkaConsumer<byte[], byte[]> c,
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got,
      List<String> topics,
      long count,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline
        && !topics.stream().allMatch(t -> got.getOrDefault(t, List.of()).size() >= count)) {
      poll(c, got);
    }
    // A little longer, to catch duplicates.
    long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < settle) {
      poll(c, got);
    }
    return got;
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    return HeaderNames.read(r.headers(), name);
  }

  /** frame_seq of a result, from its {@code frame_id} header ({@code camera:seq}). */
  static long seq(ConsumerRecord<?, ?> r) {
    String id = header(r, HeaderNames.FRAME_ID);
    return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
  }

  static long captureTs(ConsumerRecord<?, ?> r) {
    return Long.parseLong(header(r, HeaderNames.CAPTURE_TS));
  }

  static Map<String, List<ConsumerRecord<byte[], byte[]>>> empty() {
    return new HashMap<>();
  }
}
