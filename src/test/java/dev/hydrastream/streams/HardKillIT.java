package dev.hydrastream.streams;

import static dev.hydrastream.streams.StreamFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the service runs in its own JVM ({@code hydrastream run}), is killed
 * with SIGKILL mid-stream and started again; afterwards every input frame has exactly one result on
 * every result topic (read_committed) — nothing lost, nothing duplicated.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HardKillIT {

  private static final int FRAMES = 400;
  private static final int CAMERAS = 4;

  @TempDir Path tmp;

  @Test
  void sigkillMidStreamThenRestartGivesExactlyOneResultPerFrame() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      Topics topics = new Topics("");
      Path config =
          ServiceProcess.config(
              tmp.resolve("service.properties"),
              cluster.bootstrapServers(),
              "hardkill",
              tmp.resolve("state"),
              CAMERAS);
      cluster.createTopics(Map.of(topics.cameraFrames().name(), CAMERAS));
      List<byte[]> jpegs = Frames.jpegs(8);
      try (KafkaProducer<String, byte[]> producer =
          StreamFixtures.producer(cluster.bootstrapServers())) {
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < FRAMES; i++) {
          String camera = "cam-" + (i % CAMERAS);
          producer.send(
              new ProducerRecord<>(
                  topics.cameraFrames().name(),
                  camera,
                  StreamFixtures.avroFrame(camera, i / CAMERAS, t0 + i, jpegs.get(i % 8))));
        }
        producer.flush();
      }

      List<String> names = new ArrayList<>();
      topics.results().forEach(t -> names.add(t.name()));
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got = new HashMap<>();
      names.forEach(n -> got.put(n, new ArrayList<>()));
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(cluster.bootstrapServers(), names)) {
        ServiceProcess first = ServiceProcess.start(config, tmp.resolve("first.log"));
        // Kill once results are flowing but well before the end.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (got.get(topics.frames().name()).size() < 40 && System.nanoTime() < deadline) {
          poll(reader, got);
          assertThat(first.isAlive()).as("service died: %s", first.log()).isTrue();
        }
        assertThat(first.kill()).isEqualTo(137); // SIGKILL: no shutdown hook, no commit
        int beforeKill = got.get(topics.frames().name()).size();
        assertThat(beforeKill).as("killed mid-stream").isLessThan(FRAMES);

        ServiceProcess second = ServiceProcess.start(config, tmp.resolve("second.log"));
        try {
          deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
          while (!names.stream().allMatch(n -> got.get(n).size() >= FRAMES)
              && System.nanoTime() < deadline) {
            poll(reader, got);
          }
          long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (System.nanoTime() < settle) {
            poll(reader, got);
          }
        } finally {
          second.stop();
        }
        System.out.printf(
            "hard kill: %d of %d frames had results at the kill%n", beforeKill, FRAMES);
      }
      for (String n : names) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : got.get(n)) {
          count.merge(header(r, HeaderNames.FRAME_ID), 1, Integer::sum);
        }
        assertThat(count).as(n).hasSize(FRAMES);
        assertThat(count.values()).as("%s: duplicates", n).allMatch(c -> c == 1);
      }
    }
  }

  private static void poll(
      KafkaConsumer<byte[], byte[]> reader, Map<String, List<ConsumerRecord<byte[], byte[]>>> got) {
    for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
      got.get(r.topic()).add(r);
    }
  }
}
