package dev.hydrastream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Kafka's KRaft test kit runs from the test classpath and supports transactions via {@link
 * KafkaCluster}.
 */
class KafkaClusterTestKitSmokeIT {

  @Test
  void oneBrokerClusterDoesATransactionalRoundTrip() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(1)) {
      System.out.printf(
          "[KafkaClusterTestKitSmokeTest] test kit cluster ready in %d ms%n",
          cluster.startupTime().toMillis());
      assertThat(cluster.admin().describeCluster().nodes().get()).hasSize(1);
      // Same features as a real 4.3 broker, e.g. the KIP-890 transaction protocol.
      assertThat(cluster.admin().describeFeatures().featureMetadata().get().finalizedFeatures())
          .hasEntrySatisfying(
              "transaction.version", v -> assertThat(v.maxVersionLevel()).isEqualTo((short) 2))
          .containsKeys("group.version", "streams.version");
      cluster.createTopics(Map.of("lanes", 2));
      try (KafkaProducer<byte[], byte[]> producer =
          KafkaTestClients.transactionalProducer(cluster.bootstrapServers(), 1 << 20)) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("lanes", 0, null, "a".getBytes()));
        producer.send(new ProducerRecord<>("lanes", 1, null, "b".getBytes()));
        producer.commitTransaction();
      }
      List<ConsumerRecord<byte[], byte[]>> read =
          KafkaTestClients.readCommitted(
              cluster.bootstrapServers(), "lanes", 2, Duration.ofSeconds(30));
      assertThat(read).extracting(r -> new String(r.value())).containsExactlyInAnyOrder("a", "b");
    }
  }
}
