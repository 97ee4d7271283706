package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ReliabilityTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker bounced under load on a 3-broker cluster (replication factor 3, {@code
 * min.insync.replicas} 2, transactions and offsets alike): once with a clean (controlled) shutdown,
 * once with a hard stop (no controlled shutdown: leadership is not handed over first; in-process,
 * so not a SIGKILL of a broker process). No frame lost or duplicated, the app RUNNING afterwards,
 * and the recovery time reported: from the broker's stop to the first frame committed after it.
 * Only under {@code -Preliability}.
 */
@ReliabilityTest
class BrokerBounceIT {

  private static final int CAMERAS = 4;
  private static final int BATCH = 500;

  @RegisterExtension
  final KafkaClusterExtension kafka =
      KafkaClusterExtension.brokers(
          3,
          Map.of(
              "min.insync.replicas", "2",
              "default.replication.factor", "3",
              "transaction.state.log.min.isr", "2"));

  @TempDir Path tmp;

  @Test
  void cleanAndHardBrokerBouncesLoseNothingAndDuplicateNothing() throws Exception {
    KafkaCluster cluster = kafka.cluster();
    Topics topics = new Topics("bounce.");
    Map<String, Object> values = kafka.serviceSettings("bounce", tmp.resolve("state"));
    values.put(Settings.TOPIC_PARTITIONS, "4");
    values.put(Settings.TOPIC_REPLICATION, "3");
    values.put("kafka.replication.factor", "3");
    values.put(Settings.STREAM_THREADS, "2");
    Settings s = Settings.of(values);
    List<byte[]> jpegs = Frames.jpegs(8);
    List<String> report = new ArrayList<>();
    try (PerceptionService service = PerceptionService.create(s).start(Duration.ofMinutes(2));
        KafkaProducer<byte[], byte[]> producer =
            KafkaTestClients.producer(kafka.bootstrap(), 4 << 20);
        CommittedResults results = new CommittedResults(kafka.bootstrap(), topics)) {
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got = results.got;
      String fused = topics.frames().name();
      int sent = 0;
      for (boolean hard : new boolean[] {false, true}) {
        StreamFixtures.sendFrames(producer, topics, sent, sent + BATCH, CAMERAS, jpegs);
        sent += BATCH;
        int half = sent - BATCH / 2;
        await(results, () -> got.get(fused).size() >= half, "half the batch");
        // A broker that is not the controller, in turn: 1, then 2.
        BrokerServer broker = cluster.testKit().brokers().get(hard ? 2 : 1);
        int before = got.get(fused).size();
        long stopped = System.nanoTime();
        if (hard) {
          broker.shutdown(Duration.ZERO);
        } else {
          broker.shutdown();
        }
        broker.awaitShutdown();
        // Load goes on while the broker is down.
        StreamFixtures.sendFrames(producer, topics, sent, sent + BATCH, CAMERAS, jpegs);
        sent += BATCH;
        await(results, () -> got.get(fused).size() > before, "a frame after the stop");
        double firstAfter = (System.nanoTime() - stopped) / 1e9;
        broker.startup();
        cluster.testKit().waitForReadyBrokers();
        double back = (System.nanoTime() - stopped) / 1e9;
        int total = sent;
        await(results, () -> got.get(fused).size() >= total, "every frame so far");
        KafkaStreams.State state =
            Eventually.await(
                "RUNNING",
                Duration.ofMinutes(2),
                () -> service.streams().state(),
                x -> x == KafkaStreams.State.RUNNING);
        report.add(
            String.format(
                "%s stop of broker %d: first frame committed %.1f s after the stop, broker back"
                    + " at %.1f s, all %d frames at %.1f s, app %s",
                hard ? "hard" : "clean",
                hard ? 2 : 1,
                firstAfter,
                back,
                total,
                (System.nanoTime() - stopped) / 1e9,
                state));
      }
      int total = sent;
      Map<String, Integer> want = StreamFixtures.onEveryResultTopic(topics, total);
      await(
          results,
          () -> want.entrySet().stream().allMatch(e -> got.get(e.getKey()).size() >= total),
          "every result topic");
      results.settle();
      StreamFixtures.assertEachFrameOnce(got, topics, total, CAMERAS);
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      System.out.println(
          "broker bounces: 2 survived, "
              + total
              + " frames, lost 0, duplicated 0\n  "
              + String.join("\n  ", report));
    }
  }

  private static void await(CommittedResults results, BooleanSupplier done, String what) {
    results.until(done, Duration.ofMinutes(8), "waiting for " + what);
  }
}
