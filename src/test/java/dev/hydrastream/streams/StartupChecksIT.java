package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.cli.Main;
import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.CliProcess;
import dev.hydrastream.testing.KafkaCluster;
import dev.hydrastream.util.Trees;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} fails fast and plainly when the cluster is not there or not ready: an unreachable
 * broker within {@code bootstrap.timeout.ms} (15 s by default) with the address named, a missing
 * topic with {@code topic.create=false} named, and no stack trace on stderr in either case.
 */
class StartupChecksIT {

  @TempDir Path tmp;

  /** Exit code, stderr and duration of one {@code run}. */
  record Outcome(int exit, String err, Duration took) {}

  private static Outcome run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    long t0 = System.nanoTime();
    int exit = cli.execute(args);
    return new Outcome(exit, err.toString(), Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * {@code run} against a broker address nobody listens on, HTTP on a free port, then {@code more}.
   */
  private static Outcome runWithoutBroker(String... more) {
    String[] args = {
      "run",
      "--set",
      Settings.BOOTSTRAP_SERVERS + "=127.0.0.1:1",
      "--set",
      Settings.HTTP_PORT + "=0"
    };
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return run(all);
  }

  @Test
  @Timeout(60)
  void unreachableBrokerFailsWithinTheTimeoutNamingTheAddress() {
    // The command line and the settings loaded first (as in a started JVM): the bound is on the
    // wait for the broker (bootstrap.timeout.ms, 15 s), not on class loading of a busy machine.
    assertThat(run("run", "--help").exit()).isZero();
    Outcome o = runWithoutBroker();
    assertThat(o.exit()).isNotZero();
    assertThat(o.err()).contains("cannot reach Kafka at 127.0.0.1:1").doesNotContain("\tat ");
    assertThat(o.took()).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  @Timeout(60)
  void aDamagedModelIsNamedBeforeTheBrokerIsTried() throws Exception {
    Path model = tmp.resolve("hydranet");
    Trees.copy(Path.of("models/hydranet"), model);
    Path pb = model.resolve("saved_model.pb");
    byte[] bytes = Files.readAllBytes(pb);
    Files.write(pb, Arrays.copyOf(bytes, bytes.length / 2));
    Outcome o = runWithoutBroker("--set", Settings.MODEL_DIR + "=" + model);
    assertThat(o.exit()).isNotZero();
    assertThat(o.err())
        .contains(pb.toString())
        .contains("truncated")
        .doesNotContain("cannot reach Kafka")
        .doesNotContain("\tat ");
  }

  @Test
  @Timeout(240)
  void missingTopicIsNamedWhenTopicsAreNotCreated() throws Exception {
    try (KafkaCluster kafka = KafkaCluster.start(1)) {
      Topics topics = new Topics("");
      Map<String, Object> conf =
          Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      try (Admin admin = Admin.create(conf)) {
        var present = new java.util.ArrayList<NewTopic>();
        for (Topics.Topic<?, ?> t : topics.all()) {
          if (!t.name().equals(topics.scene().name())) {
            present.add(new NewTopic(t.name(), 1, (short) 1));
          }
        }
        TopicAdmin.createAndAwait(admin, present, Duration.ofSeconds(30));
      }
      // In a JVM of its own: stderr is all of it, logs included, as an operator sees it.
      try (CliProcess run =
          CliProcess.run(
              tmp,
              Map.of(
                  Settings.BOOTSTRAP_SERVERS,
                  kafka.bootstrapServers(),
                  Settings.TOPIC_CREATE,
                  "false"))) {
        assertThat(run.awaitExit(Duration.ofMinutes(2))).isNotZero();
        assertThat(run.err())
            .contains("topics missing")
            .contains(topics.scene().name())
            .doesNotContain(topics.frames().name())
            .doesNotContain("\tat ")
            .doesNotContain("Exception");
      }
    }
  }
}
