package dev.hydrastream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.testing.KafkaTestClients;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker is a real broker: topics, transactions, large records, restarts, clean-up.
 */
class EmbeddedKafkaIT {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void transactionalRoundTripOfALargeRecordOnAFourPartitionTopic() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      System.out.printf(
          "[EmbeddedKafkaTest] embedded broker ready in %d ms%n", kafka.startupTime().toMillis());
      assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
      kafka.createTopics(Map.of("frames", 4));
      kafka.createTopics(Map.of("frames", 4)); // idempotent
      byte[] frame = randomBytes(1_500_000);
      byte[] aborted = randomBytes(100);

      try (KafkaProducer<byte[], byte[]> producer =
          KafkaTestClients.transactionalProducer(
              kafka.bootstrapServers(), kafka.maxMessageBytes())) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("frames", 2, null, aborted)).get();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("frames", 2, "cam0".getBytes(), frame)).get();
        producer.commitTransaction();
      }

      List<ConsumerRecord<byte[], byte[]>> read =
          KafkaTestClients.readCommitted(kafka.bootstrapServers(), "frames", 1, READ_TIMEOUT);
      assertThat(read).hasSize(1);
      assertThat(read.get(0).partition()).isEqualTo(2);
      assertThat(read.get(0).value()).isEqualTo(frame);
    }
  }

  /**
   * KAFKA-15591: an idempotent producer that writes to a partition its leader has not applied yet
   * gets NOT_LEADER_OR_FOLLOWER for its first request; if a later request lands first, the retried
   * one is refused as out of order until it expires, and its records are lost. Topic creation must
   * therefore wait until the leaders serve the partitions, not only name them.
   */
  @Test
  void producingRightAfterTopicCreationLosesNothing() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (int t = 0; t < 4; t++) {
        String topic = "fresh-" + t;
        kafka.createTopics(Map.of(topic, 8));
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          sent.add(producer.send(new ProducerRecord<>(topic, i % 8, null, randomBytes(2_000))));
        }
        producer.flush();
        for (Future<?> f : sent) {
          f.get(); // throws on an out-of-order or expired batch
        }
      }
    }
  }

  @Test
  void brokerRejectsRecordsAboveMaxMessageBytes() throws Exception {
    try (EmbeddedKafka kafka =
            EmbeddedKafka.builder().optMaxMessageBytes(1024 * 1024).build().start();
        KafkaProducer<byte[], byte[]> producer =
            KafkaTestClients.producer(kafka.bootstrapServers(), 8 << 20)) {
      kafka.createTopics(Map.of("frames", 1));
      producer.send(new ProducerRecord<>("frames", randomBytes(900_000))).get();
      // The producer would allow it (max.request.size 8 MiB), so the rejection is the broker's.
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>("frames", randomBytes(1_500_000))).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(RecordTooLargeException.class);
    }
  }

  @Test
  void restartOnTheSameDataDirKeepsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
    byte[] value = randomBytes(1000);
    String clusterId;
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().optDataDir(dataDir).build().start()) {
      kafka.createTopics(Map.of("detections", 4));
      try (KafkaProducer<byte[], byte[]> producer =
          KafkaTestClients.transactionalProducer(
              kafka.bootstrapServers(), kafka.maxMessageBytes())) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("detections", 1, null, value));
        producer.commitTransaction();
      }
      clusterId = clusterId(dataDir);
    }
    assertThat(dataDir.resolve("kafka-logs")).isDirectory();

    try (EmbeddedKafka kafka = EmbeddedKafka.builder().optDataDir(dataDir).build().start()) {
      System.out.printf(
          "[EmbeddedKafkaTest] restart on an existing data dir ready in %d ms%n",
          kafka.startupTime().toMillis());
      assertThat(clusterId(dataDir)).as("not re-formatted").isEqualTo(clusterId);
      kafka.createTopics(Map.of("detections", 4)); // exists: no-op
      assertThatThrownBy(() -> kafka.createTopics(Map.of("detections", 2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already exists with 4 partitions");
      List<ConsumerRecord<byte[], byte[]>> read =
          KafkaTestClients.readCommitted(kafka.bootstrapServers(), "detections", 1, READ_TIMEOUT);
      assertThat(read).extracting(ConsumerRecord::value).containsExactly(value);
    }
    assertThat(dataDir).as("a caller's data dir is kept").isDirectory();
  }

  @Test
  void closeStopsTheBrokerAndDeletesTheTempDir() {
    EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
    Path dataDir = kafka.dataDir();
    assertThat(dataDir.resolve("kafka-logs/meta.properties")).isRegularFile();
    kafka.close();
    assertThat(dataDir).doesNotExist();
    kafka.close(); // idempotent
    assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(kafka::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void requestedPortIsUsedAndAnOccupiedPortFailsAtOnce() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
      assertThatThrownBy(() -> EmbeddedKafka.builder().optPort(port).build().start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + port + " is not available");
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().optPort(port).build().start()) {
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
    }
  }

  @Test
  void startTimeoutFailsWithAClearMessageAndCleansUp() throws Exception {
    Set<Path> before = embeddedTempDirs();
    // Far below the ~150 ms a warm start takes; Kafka's own start-up deadline fires first.
    EmbeddedKafka kafka = EmbeddedKafka.builder().optStartTimeout(Duration.ofMillis(20)).build();
    assertThatThrownBy(kafka::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not ready within the start timeout of 20 ms");
    assertThat(embeddedTempDirs()).as("temp dir deleted").isSubsetOf(before);
  }

  @Test
  void singleNodeDefaultsAreBrokerSettingsAndLayoutSettingsAreReserved() {
    // A misspelt key would only be logged as "unused" by the broker, so check them here.
    assertThat(KafkaConfig.configDef().names())
        .containsAll(EmbeddedKafka.singleNodeDefaults(1, Duration.ofSeconds(1)).keySet());
    assertThatThrownBy(
            () -> EmbeddedKafka.builder().optConfig("listeners", "PLAINTEXT://0.0.0.0:9092"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Set<Path> embeddedTempDirs() throws Exception {
    try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("hydrastream-kafka-"))
          .collect(Collectors.toSet());
    }
  }

  private static String clusterId(Path dataDir) throws Exception {
    return Files.readAllLines(dataDir.resolve("kafka-logs/meta.properties")).stream()
        .filter(l -> l.startsWith("cluster.id="))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
