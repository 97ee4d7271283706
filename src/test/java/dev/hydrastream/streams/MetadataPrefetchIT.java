package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaClusterExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client supplier fetches the metadata of the topics a service writes into each producer it
 * made, once per producer, on a real broker.
 */
class MetadataPrefetchIT {

  @RegisterExtension final KafkaClusterExtension kafka = KafkaClusterExtension.brokers(1);

  @Test
  void eachProducerIsToldEachTopicOnce() throws Exception {
    kafka.createTopic("results-a", 2);
    kafka.createTopic("results-b", 3);
    CommitObserver clients = new CommitObserver(ServiceMetrics.create(), new Topics("t"));
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    List<String> topics = List.of("results-a", "results-b");
    try (Producer<byte[], byte[]> first = clients.getProducer(config);
        Producer<byte[], byte[]> second = clients.getProducer(config)) {
      assertThat(clients.prefetch(topics)).isEqualTo(4);
      // what was fetched is the topic as it is
      assertThat(first.partitionsFor("results-b")).hasSize(3);
      assertThat(clients.prefetch(topics)).isZero();
      try (Producer<byte[], byte[]> third = clients.getProducer(config)) {
        Producer<byte[], byte[]> closed = clients.getProducer(config);
        closed.close();
        // a producer closed with its stream thread is skipped, not waited for
        assertThat(clients.prefetch(topics)).isEqualTo(2);
        assertThat(third.partitionsFor("results-a")).hasSize(2);
      }
    }
  }
}
