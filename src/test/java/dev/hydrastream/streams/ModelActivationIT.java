package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.cli.CliRun;
import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.streams.control.ControlRecords;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ModelVersions;
import dev.hydrastream.wire.Decoded;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A model switch under a steady stream of frames, on a real broker with real TensorFlow: the
 * service serves version 1 of a repository built at test time; an activation of version 2 on
 * perception.control switches it (every frame answered once, by one version, the version changing
 * once per partition in frame order); then a candidate with a truncated graph and one whose card
 * names an output the graph lacks are refused (logged, counted) while version 2 keeps answering.
 * Last, {@code model activate --wait} and {@code model status} see the instance's answers, and a
 * restarted instance serves the active version from its start.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ModelActivationIT {

  private static final int CAMERAS = 4;
  private static final String NAME = "hydranet";

  @RegisterExtension static final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @TempDir Path tmp;

  @Test
  void switchesUnderLoadAndRefusesBrokenCandidates() throws Exception {
    Path repo = tmp.resolve("models");
    Path v1 = ModelVersions.copy(repo, NAME, "1");
    ModelVersions.copy(repo, NAME, "2");
    ModelVersions.truncateGraph(ModelVersions.copy(repo, NAME, "3"));
    ModelVersions.renameOutput(ModelVersions.copy(repo, NAME, "4"), "segmentation", "seg", "mask");

    String bootstrap = kafka.bootstrap();
    Map<String, Object> s = KafkaClusterExtension.serviceSettings(bootstrap, "switch", tmp);
    s.put(Settings.TOPIC_PARTITIONS, "2");
    s.put(Settings.STREAM_THREADS, "2");
    s.put(Settings.MODEL_DIR, v1.toString());
    s.put(Settings.MODEL_REPOSITORY, repo.toString());
    s.put(Settings.INSTANCE_ID, "it-switch");
    s.put(Settings.TELEMETRY_ENABLED, "false");
    Topics topics = new Topics("switch.");

    ListAppender<ILoggingEvent> refusals = new ListAppender<>();
    Logger servingLog = (Logger) LoggerFactory.getLogger(Serving.class);
    refusals.start();
    servingLog.addAppender(refusals);

    List<byte[]> jpegs = Frames.jpegs(8);
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean sending = new AtomicBoolean(true);
    try (PerceptionService service =
            PerceptionService.create(Settings.of(s)).start(Duration.ofSeconds(90));
        KafkaProducer<byte[], byte[]> frames = KafkaTestClients.producer(bootstrap, 8 << 20);
        KafkaProducer<String, String> control = controlProducer(bootstrap)) {
      assertThat(service.serving().card().id()).isEqualTo(NAME + "@1");
      // A steady stream: 25 frames/s over four cameras until told to stop.
      Thread camera =
          new Thread(
              () -> {
                long t0 = System.currentTimeMillis();
                while (sending.get()) {
                  int i = sent.getAndIncrement();
                  StreamFixtures.sendFrame(frames, topics, i, CAMERAS, jpegs, t0 + i * 40L);
                  sleep(40);
                }
                frames.flush();
              },
              "it-camera");
      camera.start();
      awaitSent(sent, 100);

      activate(control, topics, "2");
      awaitOutcome(service, "2", "activated");
      assertThat(service.serving().card().id()).isEqualTo(NAME + "@2");
      awaitSent(sent, sent.get() + 50);

      activate(control, topics, "3");
      ControlRecords.LastActivation truncated = awaitOutcome(service, "3", "refused");
      assertThat(truncated.reason()).contains("saved_model.pb").contains("SHA-256");
      awaitSent(sent, sent.get() + 25);

      activate(control, topics, "4");
      ControlRecords.LastActivation wrong = awaitOutcome(service, "4", "refused");
      assertThat(wrong.reason()).contains("mask");
      assertThat(service.serving().card().id()).isEqualTo(NAME + "@2");
      awaitSent(sent, sent.get() + 50);
      sending.set(false);
      camera.join();
      int total = sent.get();

      List<String> names = topics.results().stream().map(Topics.Topic::name).toList();
      Map<String, List<ConsumerRecord<byte[], byte[]>>> got;
      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(bootstrap, names)) {
        got =
            StreamFixtures.readAll(
                reader,
                StreamFixtures.onEveryResultTopic(topics, total),
                Duration.ofMinutes(3),
                Duration.ofSeconds(3));
      }
      StreamFixtures.assertEachFrameOnce(got, topics, total, CAMERAS);

      // Per partition, in frame order: version 1, then version 2, once.
      Map<Integer, List<String>> versions = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : got.get(topics.frames().name())) {
        String model = Decoded.decodeAvro(r.value(), PerceptionFrame.class).getModel().toString();
        List<String> seq = versions.computeIfAbsent(r.partition(), p -> new ArrayList<>());
        if (seq.isEmpty() || !seq.get(seq.size() - 1).equals(model)) {
          seq.add(model);
        }
      }
      for (Map.Entry<Integer, List<String>> e : versions.entrySet()) {
        assertThat(e.getValue())
            .as("models answering partition %d, in order", e.getKey())
            .containsExactly(NAME + "@1", NAME + "@2");
      }

      String metrics = scrape(service);
      assertThat(metrics)
          .containsPattern(activations("2", "activated") + " 1\\.0")
          .containsPattern(activations("3", "refused") + " 1\\.0")
          .containsPattern(activations("4", "refused") + " 1\\.0")
          .containsPattern("hydrastream_model_info\\{[^}]*version=\"2\"");
      List<String> errors =
          refusals.list.stream()
              .filter(e -> e.getLevel() == Level.ERROR)
              .map(ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(errors)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("version 3")
                      .contains(repo.resolve(NAME + "/3").toString()))
          .anySatisfy(m -> assertThat(m).contains("version 4").contains("mask"));

      ControlRecords.Status status = readStatus(bootstrap, topics, "it-switch");
      assertThat(status.version()).isEqualTo("2");
      assertThat(status.last().version()).isEqualTo("4");
      assertThat(status.last().outcome()).isEqualTo("refused");
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

      // The commands a fleet operator uses, on the same cluster and repository.
      String[] cluster = {
        "--set",
        "bootstrap.servers=" + bootstrap,
        "--set",
        "topic.prefix=switch.",
        "--set",
        "model.repository=" + repo,
        "--json"
      };
      CliRun again =
          CliRun.of(concat(new String[] {"model", "activate", NAME, "2", "--wait"}, cluster));
      assertThat(again.code()).as(again.err()).isZero();
      JsonNode answered = CliRun.onlyDocument(again.out()).path("instances");
      assertThat(answered).hasSize(1);
      assertThat(answered.get(0).path("outcome").asText()).isEqualTo("activated");
      CliRun refused = CliRun.of(concat(new String[] {"model", "activate", NAME, "3"}, cluster));
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).contains("saved_model.pb").contains("SHA-256");
      JsonNode fleet =
          CliRun.onlyDocument(CliRun.of(concat(new String[] {"model", "status"}, cluster)).out());
      assertThat(fleet.path("instances").get(0).path("instance").asText()).isEqualTo("it-switch");
      assertThat(fleet.path("instances").get(0).path("serves").asText()).isEqualTo(NAME + "@2");
      System.out.printf("%d frames through a switch and two refusals%n", total);
    } finally {
      servingLog.detachAppender(refusals);
    }
    // A restarted instance, still told model.dir=version 1, serves the active version before its
    // first frame: the last activation on perception.control (version 2, by the command above).
    try (PerceptionService restarted =
        PerceptionService.create(Settings.of(s)).start(Duration.ofSeconds(90))) {
      assertThat(restarted.serving().card().id()).isEqualTo(NAME + "@2");
    }
  }

  private static String activations(String version, String outcome) {
    return "hydrastream_model_activations_total\\{(?=[^}]*model=\""
        + NAME
        + "\")(?=[^}]*version=\""
        + version
        + "\")(?=[^}]*outcome=\""
        + outcome
        + "\")[^}]*\\}";
  }

  private static KafkaProducer<String, String> controlProducer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap),
        new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.StringSerializer());
  }

  private static void activate(KafkaProducer<String, String> control, Topics topics, String v)
      throws Exception {
    control
        .send(
            new ProducerRecord<>(
                topics.control().name(),
                NAME,
                ControlRecords.Activate.of(NAME, v, "it-" + v).toJson()))
        .get(30, TimeUnit.SECONDS);
  }

  private static ControlRecords.LastActivation awaitOutcome(
      PerceptionService service, String version, String outcome) throws InterruptedException {
    ControlRecords.LastActivation last =
        Eventually.await(
            "the activation of version " + version,
            Duration.ofMinutes(2),
            () -> service.modelControl().last(),
            l -> l.version().equals(version));
    assertThat(last.outcome()).as("version %s: %s", version, last.reason()).isEqualTo(outcome);
    return last;
  }

  private static void awaitSent(AtomicInteger sent, int n) throws InterruptedException {
    Eventually.await("frames sent", Duration.ofMinutes(1), sent::get, v -> v >= n);
  }

  private static String scrape(PerceptionService service) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    service.metrics().scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static ControlRecords.Status readStatus(String bootstrap, Topics topics, String instance)
      throws InterruptedException {
    return Eventually.await(
        "the status of " + instance,
        Duration.ofSeconds(30),
        () -> {
          ControlRecords.Status found = null;
          for (ConsumerRecord<byte[], byte[]> r :
              KafkaTestClients.readCommitted(
                  bootstrap, topics.modelStatus().name(), 1_000, Duration.ofSeconds(3))) {
            if (instance.equals(new String(r.key(), StandardCharsets.UTF_8)) && r.value() != null) {
              found = ControlRecords.Status.parse(new String(r.value(), StandardCharsets.UTF_8));
            }
          }
          return found;
        },
        st -> st.last() != null && st.last().version().equals("4"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
