package dev.hydrastream.camera;

import static dev.hydrastream.camera.CameraITSupport.captureTs;
import static dev.hydrastream.camera.CameraITSupport.seq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaClusterExtension;
import dev.hydrastream.testing.KafkaTestClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H.264 MP4 of real street frames through the camera gateway into the real service: every frame
 * gets a result on every task topic, under its frame_seq, with the capture time taken from the PTS
 * (1/fps apart although the file is read as fast as it decodes).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CameraFileIT {

  private static final int FPS = 5;
  private static final int FRAMES = 15;

  @RegisterExtension final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @TempDir Path tmp;

  @Test
  void everyFrameOfAFileGetsResultsWithCaptureTimesFromThePts() throws Exception {
    Path clip = TestClips.encode(tmp.resolve("clip.mp4"), "libx264", FPS, FRAMES / 5);
    Topics topics = new Topics("file.");
    List<String> tasks = CameraITSupport.taskTopics(topics);
    try (PerceptionService service = CameraITSupport.service(kafka.bootstrap(), tmp, "file")) {
      List<CameraSummary> summaries;
      // Produced only now that the service has created the topics (KAFKA-15591).
      try (FrameProducer producer =
              new FrameProducer(
                  kafka.bootstrap(),
                  topics.cameraFrames().name(),
                  FrameProducer.Format.RAW,
                  Map.of());
          CameraGateway gateway =
              new CameraGateway(
                      List.of(CameraSource.of("cab", clip.toString())),
                      CameraSettings.defaults(),
                      producer::sendAcked)
                  .open()) {
        gateway.run(Duration.ofMinutes(1));
        producer.flush();
        summaries = gateway.summaries();
      }
      CameraSummary s = summaries.get(0);
      assertThat(s.state()).isEqualTo("ended");
      assertThat(s.sent()).isEqualTo(FRAMES);
      assertThat(s.unaccounted()).isZero();

      try (KafkaConsumer<byte[], byte[]> reader =
          KafkaTestClients.committedConsumer(kafka.bootstrap(), tasks)) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> got =
            CameraITSupport.readAll(
                reader, CameraITSupport.empty(), tasks, FRAMES, Duration.ofMinutes(3));
        for (String t : tasks) {
          List<ConsumerRecord<byte[], byte[]>> recs =
              got.getOrDefault(t, List.of()).stream()
                  .sorted(Comparator.comparingLong(CameraITSupport::seq))
                  .toList();
          assertThat(recs).as(t).hasSize(FRAMES);
          for (int i = 0; i < FRAMES; i++) {
            assertThat(seq(recs.get(i))).as(t).isEqualTo(i);
            assertThat(CameraITSupport.header(recs.get(i), "camera_id")).isEqualTo("cab");
            assertThat(captureTs(recs.get(i)) - captureTs(recs.get(0)))
                .as("%s frame %d: capture_ts from the PTS, 1/fps apart", t, i)
                .isEqualTo(i * 1000L / FPS);
          }
          assertThat(captureTs(recs.get(0))).isEqualTo(s.firstCaptureTs());
        }
      }
    }
  }
}
