package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.ReliabilityTest;
import dev.hydrastream.testing.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's {@code streams_eos_test}, ours: under {@code exactly_once_v2} the service JVM is
 * SIGKILLed again and again at random points while 5,000 frames flow, and after the last restart
 * every frame has exactly one result per task topic (read_committed); and with two instances, one
 * killed, the other takes over with the same guarantee. Long: only under {@code -Preliability}.
 */
@ReliabilityTest
class RepeatedCrashIT {

  private static final int CAMERAS = 4;
  private static final int PARTITIONS = 4;

  /** A start after a kill restores state, and the JVM alone took 96 s at load 30. */
  private static final Duration START = Duration.ofMinutes(6);

  @TempDir Path tmp;

  @Test
  void fiveSigkillsAtRandomPointsThenEveryFrameOnce() throws Exception {
    int frames = 5000;
    int kills = 5;
    Random rnd = new Random(18);
    try (KillRig rig = KillRig.start(PARTITIONS)) {
      Topics topics = rig.topics();
      Path config = rig.config(tmp.resolve("service.properties"), "crashes", tmp.resolve("state"));
      rig.send(0, frames, CAMERAS);
      try (CommittedResults results = rig.results()) {
        List<String> killedAt = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < kills; k++) {
          ServiceProcess p = rig.startService(config, tmp.resolve("run-" + k + ".log"), START);
          // A random point: after 0 to 400 more results (0: right after RUNNING, mid-restore).
          int target = results.fused() + rnd.nextInt(401);
          results.until(
              () -> results.fused() >= Math.min(target, frames - 1) || !p.isAlive(),
              Duration.ofMinutes(5));
          assertThat(p.isAlive()).as("run %d died by itself: %s", k, p.log()).isTrue();
          assertThat(p.kill()).isEqualTo(137);
          killedAt.add(results.fused() + "/" + frames);
        }
        ServiceProcess last = rig.startService(config, tmp.resolve("last.log"), START);
        try {
          results.until(() -> results.complete(frames), Duration.ofMinutes(15));
          results.settle();
        } finally {
          last.stop();
        }
        StreamFixtures.assertEachFrameOnce(results.got, topics, frames, CAMERAS);
        System.out.printf(
            "repeated crashes: %d SIGKILLs survived (fused results seen at each kill: %s), %d"
                + " frames, lost 0, duplicated 0, %.0f s%n",
            kills, killedAt, frames, (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  @Test
  void twoInstancesOneKilledTheOtherTakesOver() throws Exception {
    int frames = 2000;
    try (KillRig rig = KillRig.start(PARTITIONS)) {
      Topics topics = rig.topics();
      Path a = rig.config(tmp.resolve("a.properties"), "takeover", tmp.resolve("state-a"));
      Path b = rig.config(tmp.resolve("b.properties"), "takeover", tmp.resolve("state-b"));
      ServiceProcess first = rig.startService(a, tmp.resolve("a.log"), START);
      ServiceProcess second = rig.startService(b, tmp.resolve("b.log"), START);
      try {
        rig.send(0, frames, CAMERAS);
        try (CommittedResults results = rig.results()) {
          results.until(() -> results.fused() >= 300, Duration.ofMinutes(5));
          assertThat(first.kill()).isEqualTo(137);
          int atKill = results.fused();
          long killed = System.nanoTime();
          results.until(() -> results.complete(frames), Duration.ofMinutes(15));
          double takeover = (System.nanoTime() - killed) / 1e9;
          results.settle();
          assertThat(second.isAlive()).as(second.log()).isTrue();
          StreamFixtures.assertEachFrameOnce(results.got, topics, frames, CAMERAS);
          System.out.printf(
              "takeover: instance A killed at %d/%d fused results, B finished the rest in %.1f s;"
                  + " lost 0, duplicated 0%n",
              atKill, frames, takeover);
        }
      } finally {
        second.stop();
      }
    }
  }
}
