package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.admin.ServiceAcls;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.testing.KafkaTestClients;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a cluster that authenticates with SASL (SCRAM-SHA-512 for the service, given only
 * as {@code kafka.*} settings) and authorizes with the standard authorizer: without ACLs it fails
 * to start naming the permissions it lacks; with the least-privilege set of {@link ServiceAcls}
 * (and nothing more) it runs 500 frames exactly once. Its password appears nowhere in what the run
 * printed or logged.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecuredClusterIT {

  private static final int CAMERAS = 4;
  private static final int FRAMES = 500;
  private static final String USER = "perception";

  @TempDir Path tmp;

  @Test
  void leastPrivilegeIsEnoughAndItsAbsenceIsNamed() throws Exception {
    String password = "pw-" + UUID.randomUUID();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(new Tee(out, printed), true));
    System.setErr(new PrintStream(new Tee(err, printed), true));
    try (KafkaCluster cluster = KafkaCluster.startSecured(1)) {
      cluster.addScramUser(USER, password);
      Settings s = settings(cluster, password);
      Topics topics = Topics.of(s);
      String app = s.getString(Settings.APPLICATION_ID);
      Map<String, Integer> names = new HashMap<>();
      topics.all().forEach(t -> names.put(t.name(), 4));
      names.put(LatestFrames.changelog(app), 4);
      cluster.createTopics(names);

      assertThatThrownBy(() -> PerceptionService.create(s))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not authorized")
          .hasMessageContaining("READ on TOPIC " + topics.cameraFrames().name())
          .hasMessageContaining("WRITE on TOPIC " + topics.dlq().name())
          .hasMessageContaining("WRITE on TOPIC " + topics.frames().name())
          .hasMessageContaining("READ on GROUP prefixed " + app)
          .hasMessageContaining("WRITE on TRANSACTIONAL_ID prefixed " + app)
          .hasMessageContaining("ALL on TOPIC prefixed " + app);

      cluster
          .admin()
          .createAcls(ServiceAcls.bindings(s, "User:" + USER))
          .all()
          .get(30, TimeUnit.SECONDS);
      // ACLs reach the authorizer through the metadata log: wait until the check passes.
      PerceptionService created =
          Eventually.await(
              "the ACLs to take effect",
              Duration.ofSeconds(60),
              () -> PerceptionService.create(s),
              x -> true);
      try (PerceptionService service = created.start(Duration.ofSeconds(120));
          KafkaProducer<byte[], byte[]> producer =
              KafkaTestClients.producer(
                  cluster.bootstrapServers(), 4 << 20, cluster.clientConfig())) {
        long t0 = System.nanoTime();
        StreamFixtures.sendFrames(producer, topics, 0, FRAMES, CAMERAS, Frames.jpegs(8));
        Map<String, List<ConsumerRecord<byte[], byte[]>>> got;
        Map<String, Integer> want = StreamFixtures.onEveryResultTopic(topics, FRAMES);
        try (KafkaConsumer<byte[], byte[]> reader =
            KafkaTestClients.committedConsumer(
                cluster.bootstrapServers(),
                new ArrayList<>(want.keySet()),
                cluster.clientConfig())) {
          got = StreamFixtures.readAll(reader, want, Duration.ofMinutes(5), Duration.ofSeconds(3));
        }
        StreamFixtures.assertEachFrameOnce(got, topics, FRAMES, CAMERAS);
        assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        System.out.printf(
            "secured: %d frames exactly once over SASL_PLAINTEXT/SCRAM-SHA-512 with %d ACLs in"
                + " %.1f s%n",
            FRAMES, ServiceAcls.bindings(s, "User:" + USER).size(), (System.nanoTime() - t0) / 1e9);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String all = printed.toString(StandardCharsets.UTF_8);
    assertThat(all).as("what the run printed and logged").contains("settings: {");
    assertThat(all.contains(password)).as("the service's password in the output").isFalse();
  }

  private Settings settings(KafkaCluster cluster, String password) throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put(Settings.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    m.put(Settings.APPLICATION_ID, "secured-app");
    m.put(Settings.TOPIC_PREFIX, "sec.");
    m.put(Settings.TOPIC_CREATE, "false");
    m.put(Settings.STREAM_THREADS, "2");
    m.put(Settings.STATE_DIR, Files.createDirectories(tmp.resolve("state")).toString());
    m.put("kafka.security.protocol", "SASL_PLAINTEXT");
    m.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    m.put("kafka.sasl.jaas.config", KafkaCluster.scramLogin(USER, password));
    return Settings.of(m);
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      synchronized (b) {
        b.write(x);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
