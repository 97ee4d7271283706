package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.CliProcess;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clean shutdown as an operator meets it, each command in a JVM of its own: Ctrl-C (SIGINT) on
 * {@code demo} stops the cameras, drains, prints the summary, exits 0 and leaves nothing in the
 * temp dir (its topics keep a bounded history meanwhile); SIGTERM on {@code run} closes Kafka
 * Streams and the model and exits 0.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ShutdownIT {

  @TempDir Path tmp;

  @Test
  void sigintOnTheDemoPrintsTheSummaryExitsZeroAndLeavesNoFile() throws Exception {
    Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
    try (CliProcess demo =
        CliProcess.start(
            tmp,
            "demo",
            List.of("-Djava.io.tmpdir=" + tmpdir),
            "demo",
            "--cameras",
            "2",
            "--fps",
            "2",
            "--size",
            "640x360",
            "--http-port",
            "0")) {
      // Interrupt it mid-stream: once results are flowing.
      demo.awaitOutput(
          "results in a progress line",
          s -> s.matches("(?s).*demo: sent \\d+, results [1-9].*"),
          Duration.ofMinutes(4));
      assertThat(Files.list(tmpdir)).as("the demo's broker and state dirs exist").isNotEmpty();
      // Its topics keep a bounded history: a demo left running does not fill the disk.
      Matcher broker = Pattern.compile("Kafka KRaft on (\\S+) ").matcher(demo.err());
      assertThat(broker.find()).isTrue();
      Map<String, String> frames =
          topicConfig(broker.group(1), new Topics("").cameraFrames().name());
      assertThat(frames).containsEntry("retention.bytes", String.valueOf(64L << 20));
      assertThat(frames).containsEntry("retention.ms", String.valueOf(10 * 60_000));
      demo.signal("INT");
      assertThat(demo.awaitExit(Duration.ofMinutes(3))).as(demo.err()).isZero();
      assertThat(demo.err()).contains("SIGINT received").contains("stopped after");
      assertThat(demo.err()).doesNotContain("GlobalThread");
      assertThat(demo.out())
          .contains("frames_in")
          .contains("mean_batch")
          .contains("latency_ms_p50");
      assertThat(demo.out()).containsPattern("frames_lost +0\n");
      try (Stream<Path> left = Files.walk(tmpdir)) {
        assertThat(left.filter(p -> !p.equals(tmpdir))).as("left in java.io.tmpdir").isEmpty();
      }
    }
  }

  /** The effective configuration of a topic (broker defaults included). */
  private static Map<String, String> topicConfig(String bootstrap, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Map<String, String> out = new HashMap<>();
      admin
          .describeConfigs(List.of(r))
          .all()
          .get(30, TimeUnit.SECONDS)
          .get(r)
          .entries()
          .forEach(e -> out.put(e.name(), e.value()));
      return out;
    }
  }

  @Test
  void sigtermOnRunClosesTheServiceAndExitsZero() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      Topics topics = new Topics("");
      cluster.createTopics(Map.of(topics.cameraFrames().name(), 2));
      try (CliProcess run =
          CliProcess.run(
              tmp,
              Map.of(
                  Settings.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                  Settings.APPLICATION_ID, "it-shutdown",
                  Settings.STATE_DIR, tmp.resolve("state").toString(),
                  Settings.STREAM_THREADS, "2",
                  Settings.TOPIC_PARTITIONS, "2",
                  Settings.HTTP_PORT, "0"))) {
        run.awaitOutput(
            "hydrastream RUNNING", s -> s.contains("hydrastream RUNNING"), Duration.ofMinutes(3));
        // Frames in flight while it stops: the close commits what was processed.
        try (KafkaProducer<String, byte[]> producer =
            StreamFixtures.producer(cluster.bootstrapServers())) {
          byte[] jpeg = Frames.jpegs(1).get(0);
          for (int i = 0; i < 20; i++) {
            producer.send(
                new ProducerRecord<>(
                    topics.cameraFrames().name(),
                    "cam-" + (i % 2),
                    StreamFixtures.avroFrame("cam-" + (i % 2), i / 2, 1_700_000_000_000L, jpeg)));
          }
        }
        run.signal("TERM");
        // The bound: Kafka Streams gets at most its close timeout (30 s), the model a moment.
        assertThat(run.awaitExit(Duration.ofSeconds(90))).as(run.err()).isZero();
        assertThat(run.err()).contains("SIGTERM received").doesNotContain("\tat ");
        // Kafka Streams' per-thread StreamsConfig warning about the global-thread exception
        // handler is not printed (the flag reaches the partition assignor's config too).
        assertThat(run.err()).doesNotContain("GlobalThread");
        assertThat(run.out())
            .contains("hydrastream stopped: Kafka Streams, the model and HTTP closed");
      }
    }
  }
}
