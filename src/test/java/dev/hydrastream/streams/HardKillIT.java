package dev.hydrastream.streams;

import static dev.hydrastream.streams.StreamFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.ServiceProcess;
import dev.hydrastream.wire.HeaderNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    try (KillRig rig = KillRig.start(CAMERAS)) {
      Topics topics = rig.topics();
      Path config = rig.config(tmp.resolve("service.properties"), "hardkill", tmp.resolve("state"));
      rig.send(0, FRAMES, CAMERAS);

      List<String> names = new ArrayList<>();
      topics.results().forEach(t -> names.add(t.name()));
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got;
      try (CommittedResults results = rig.results()) {
        got = results.got;
        ServiceProcess first = rig.startService(config, tmp.resolve("first.log"));
        // Kill once results are flowing but well before the end.
        results.readUntil(
            () -> {
              assertThat(first.isAlive()).as("service died: %s", first.log()).isTrue();
              return results.fused() >= 40;
            },
            Duration.ofMinutes(3));
        assertThat(first.kill()).isEqualTo(137); // SIGKILL: no shutdown hook, no commit
        int beforeKill = results.fused();
        assertThat(beforeKill).as("killed mid-stream").isLessThan(FRAMES);

        ServiceProcess second = rig.startService(config, tmp.resolve("second.log"));
        try {
          results.readUntil(() -> results.complete(FRAMES), Duration.ofMinutes(4));
          results.settle();
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
}
