package dev.hydrastream.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.config.Settings;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Frames;
import dev.hydrastream.testing.Http;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.util.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service with its HTTP server on a real in-process KRaft cluster and the real model: {@code
 * /readyz} follows the model and Kafka Streams, and with two instances of one application, a camera
 * held by instance B is answered by instance A (query metadata + HTTP forwarding).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServiceHostIT {

  private static final Duration START = Duration.ofMinutes(3);

  @RegisterExtension static final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @TempDir static Path tmp;

  private static Settings settings(String app, String instance, int threads) throws Exception {
    Map<String, Object> v = kafka.serviceSettings(app, tmp.resolve(app + "-" + instance));
    v.put(Settings.TOPIC_PARTITIONS, "4");
    v.put(Settings.STREAM_THREADS, String.valueOf(threads));
    v.put(Settings.HTTP_PORT, "0");
    v.put(Settings.DASHBOARD_UPDATE_MS, "0");
    return Settings.of(v);
  }

  private static int status(String url) throws Exception {
    return Http.get(url).status();
  }

  @Test
  void readyzIs503UntilModelAndStreamsAreUpAnd503AgainWhenStreamsStop() throws Exception {
    try (ServiceHost host = ServiceHost.open(settings("ready", "a", 1))) {
      String readyz = "http://127.0.0.1:" + host.port() + "/readyz";
      Http.Response before = Http.get(readyz);
      assertThat(before.status()).isEqualTo(503);
      assertThat(Json.MAPPER.readTree(before.body()).path("model_loaded").asBoolean()).isFalse();
      assertThat(status("http://127.0.0.1:" + host.port() + "/healthz")).isEqualTo(200);

      CompletableFuture<ServiceHost> started =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return host.start(START);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      Eventually.await("/readyz 200", START, () -> status(readyz), s -> s == 200);
      assertThat(started.get(1, TimeUnit.MINUTES).service().ready()).isTrue();
      assertThat(Http.get("http://127.0.0.1:" + host.port() + "/metrics").body())
          .contains("hydrastream_ready 1.0")
          .contains("hydrastream_model_info{");

      host.service().streams().close(Duration.ofSeconds(30));
      Eventually.await(
          "/readyz 503 after stop", Duration.ofMinutes(1), () -> status(readyz), s -> s == 503);
      assertThat(Json.MAPPER.readTree(Http.get(readyz).body()).path("streams_state").asText())
          .isEqualTo("NOT_RUNNING");
    }
  }

  @Test
  void aCameraHeldByInstanceBIsAnsweredByInstanceA() throws Exception {
    String app = "pair";
    try (ServiceHost a = ServiceHost.open(settings(app, "a", 2));
        ServiceHost b = ServiceHost.open(settings(app, "b", 2))) {
      CompletableFuture<ServiceHost> startA = CompletableFuture.supplyAsync(() -> start(a));
      CompletableFuture<ServiceHost> startB = CompletableFuture.supplyAsync(() -> start(b));
      startA.get(4, TimeUnit.MINUTES);
      startB.get(4, TimeUnit.MINUTES);
      String baseA = "http://127.0.0.1:" + a.port();
      List<String> cameras = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        cameras.add("cam-" + c);
      }
      // Frames keep coming until both instances hold cameras (a rebalance may move them).
      List<byte[]> jpegs = Frames.jpegs(2);
      Topics topics = new Topics(app + ".");
      HostInfo selfB = b.service().latestFrames().self().orElseThrow();
      try (FrameProducer producer =
          new FrameProducer(
              kafka.bootstrap(),
              topics.cameraFrames().name(),
              FrameProducer.Format.AVRO,
              Map.of())) {
        long[] seq = {0};
        String held =
            Eventually.present(
                "a camera held by B and listed by A",
                Duration.ofMinutes(3),
                () -> {
                  for (String cam : cameras) {
                    byte[] jpeg = jpegs.get((int) (seq[0] % jpegs.size()));
                    producer.send(
                        new SimFrame(
                            cam, "veh", seq[0], System.currentTimeMillis(), jpeg, 1280, 720, null));
                  }
                  seq[0]++;
                  producer.flush();
                  Set<String> onB = b.service().latestFrames().localAll().keySet();
                  Set<String> onA = a.service().latestFrames().localAll().keySet();
                  return onB.stream()
                      .filter(c -> !onA.contains(c))
                      .filter(c -> b.service().latestFrames().owner(c).orElseThrow().equals(selfB))
                      .findFirst();
                });
        Http.Response r = Http.get(baseA + "/api/cameras/" + held + "/latest");
        assertThat(r.status()).isEqualTo(200);
        JsonNode frame = Json.MAPPER.readTree(r.body());
        assertThat(frame.path("camera_id").asText()).isEqualTo(held);
        assertThat(frame.path("thumbnail").path("jpeg").asText()).isNotEmpty();
        assertThat(frame.path("mask").path("data").asText()).isNotEmpty();

        JsonNode list =
            Json.MAPPER.readTree(
                Eventually.await(
                        "A lists every camera",
                        Duration.ofMinutes(1),
                        () -> Http.get(baseA + "/api/cameras"),
                        x -> x.status() == 200 && x.body().split("camera_id").length > 8)
                    .body());
        List<String> listed = new ArrayList<>();
        Set<String> instances = new java.util.HashSet<>();
        list.path("cameras")
            .forEach(
                c -> {
                  listed.add(c.path("camera_id").asText());
                  instances.add(c.path("instance").asText());
                  // the camera-clock store's counts, from whichever instance holds the camera
                  assertThat(c.path("late").isIntegralNumber()).as("late of %s", c).isTrue();
                  assertThat(c.path("outOfOrder").isIntegralNumber()).isTrue();
                  assertThat(c.path("deadLettered").isIntegralNumber()).isTrue();
                  assertThat(c.path("lastAnsweredTs").isIntegralNumber()).isTrue();
                });
        assertThat(listed).containsExactlyElementsOf(cameras);
        assertThat(instances).hasSize(2);

        Http.Response unknown = Http.get(baseA + "/api/cameras/no-such-camera/latest");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("error").asText())
            .isEqualTo("unknown camera");
      }
    }
  }

  private static ServiceHost start(ServiceHost h) {
    try {
      return h.start(START);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
