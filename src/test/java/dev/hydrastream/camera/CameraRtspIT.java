package dev.hydrastream.camera;

import static dev.hydrastream.camera.CameraITSupport.captureTs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live RTSP camera (GStreamer's RTSP server in a local process, serving an H.264 clip of real
 * frames in real time) through the gateway into the real service; the server is killed in the
 * middle and restarted 3 s later. The gap is counted, nothing the camera sent is lost, frame_seq
 * goes on across the reconnect and results resume within 5 s of the server's return.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CameraRtspIT {

  private static final Path SERVER = Path.of("src/test/resources/camera/rtsp_server.py");

  @RegisterExtension final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @TempDir Path tmp;

  @Test
  void aLostRtspServerIsReconnectedAndNothingSentIsLost() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 not installed");
    assumeTrue(
        rtspServerAvailable(), "GStreamer RTSP server (python3-gi, gir1.2-gst-rtsp-server-1.0)");
    // 40 s of video: longer than the test runs, so the stream never ends by itself.
    Path clip = TestClips.encode(tmp.resolve("clip.mp4"), "libx264", 5, 40);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "rtsp://127.0.0.1:" + port + "/cam";
    Topics topics = new Topics("rtsp.");
    List<String> tasks = CameraITSupport.taskTopics(topics);
    Process server = startServer(clip, port);
    try (PerceptionService service = CameraITSupport.service(kafka.bootstrap(), tmp, "rtsp");
        FrameProducer producer =
            new FrameProducer(
                kafka.bootstrap(),
                topics.cameraFrames().name(),
                FrameProducer.Format.RAW,
                Map.of());
        KafkaConsumer<byte[], byte[]> reader =
            KafkaTestClients.committedConsumer(kafka.bootstrap(), tasks)) {
      CameraSettings settings =
          CameraSettings.defaults().withBackoff(Duration.ofMillis(250), Duration.ofSeconds(1));
      CameraGateway gateway =
          new CameraGateway(List.of(CameraSource.of("roof", url)), settings, producer::sendAcked)
              .open();
      CompletableFuture<List<CameraSummary>> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return gateway.run(Duration.ofMinutes(3));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      var got = CameraITSupport.empty();
      String frames = topics.frames().name();
      pollUntil(reader, got, () -> got.getOrDefault(frames, List.of()).size() >= 5, 120);

      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long killedAt = System.currentTimeMillis();
      pollUntil(reader, got, () -> System.currentTimeMillis() - killedAt >= 3000, 10);
      server = startServer(clip, port);
      long backAt = System.currentTimeMillis();
      pollUntil(
          reader,
          got,
          () -> got.getOrDefault(frames, List.of()).stream().anyMatch(r -> captureTs(r) >= backAt),
          60);
      long resumedAfter = System.currentTimeMillis() - backAt;
      assertThat(resumedAfter)
          .as("results resume within 5 s of the server's return")
          .isLessThan(5000);
      pollUntil(reader, got, () -> System.currentTimeMillis() - backAt >= resumedAfter + 2000, 10);

      gateway.stop();
      run.get(60, TimeUnit.SECONDS);
      producer.flush();
      CameraSummary s = gateway.summaries().get(0);
      gateway.close();
      assertThat(s.reconnects()).as("the gap is counted").isGreaterThanOrEqualTo(1);
      assertThat(s.gapSeconds()).isBetween(2.0, 10.0);
      assertThat(s.gapFramesEstimated()).isGreaterThan(5);
      assertThat(s.failed() + s.refused() + s.dropped()).isZero();
      assertThat(s.sent()).isEqualTo(s.framesRead());

      CameraITSupport.readAll(reader, got, tasks, s.sent(), Duration.ofMinutes(2));
      for (String t : tasks) {
        List<Long> seqs =
            got.getOrDefault(t, List.of()).stream().map(CameraITSupport::seq).sorted().toList();
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < s.sent(); i++) {
          expected.add(i);
        }
        assertThat(seqs)
            .as("%s: every frame sent, once, frame_seq continuous", t)
            .isEqualTo(expected);
      }
      List<ConsumerRecord<byte[], byte[]>> fused = got.get(frames);
      long before = fused.stream().filter(r -> captureTs(r) < killedAt).count();
      long after = fused.stream().filter(r -> captureTs(r) >= backAt).count();
      assertThat(before).isPositive();
      assertThat(after).isPositive();
      assertThat(fused.stream().mapToLong(CameraITSupport::seq).max().orElseThrow())
          .isEqualTo(s.sent() - 1);
    } finally {
      server.destroyForcibly();
    }
  }

  private static void pollUntil(
      KafkaConsumer<byte[], byte[]> reader,
      java.util.Map<String, List<ConsumerRecord<byte[], byte[]>>> got,
      BooleanSupplier done,
      int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %d s", seconds).isLessThan(deadline);
      CameraITSupport.poll(reader, got);
    }
  }

  private static boolean rtspServerAvailable() throws Exception {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import gi; gi.require_version('GstRtspServer','1.0');"
                    + " from gi.repository import GstRtspServer")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  /** Starts the server script and waits for its "ready" line. */
  private static Process startServer(Path clip, int port) throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/python3", SERVER.toString(), clip.toString(), "" + port)
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("RTSP server on port %d", port).isEqualTo("ready");
    return p;
  }
}
