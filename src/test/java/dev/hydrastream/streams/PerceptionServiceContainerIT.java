package dev.hydrastream.streams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The main integration test ({@link PerceptionServiceIT#run}: 500 frames, every topic, exactly
 * once, in camera order, bad frames dead-lettered) against the official {@code apache/kafka} image
 * of the Kafka version we build with, the broker docker-compose.yml runs. Skipped where no Docker
 * engine runs (as on the development machines and CI here): the in-process cluster of {@link
 * PerceptionServiceIT} is the proof there.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PerceptionServiceContainerIT {

  @Container
  static final KafkaContainer KAFKA =
      new KafkaContainer(DockerImageName.parse("apache/kafka:" + AppInfoParser.getVersion()));

  @TempDir static Path tmp;

  @Test
  void everyFrameOnceOnEveryTopicInCameraOrder() throws Exception {
    PerceptionServiceIT.run(KAFKA.getBootstrapServers(), tmp, "container", 0);
  }

  @Test
  void corruptFramesAreDeadLetteredAndNothingElseIsLost() throws Exception {
    PerceptionServiceIT.run(KAFKA.getBootstrapServers(), tmp, "container-corrupt", 50);
  }
}
