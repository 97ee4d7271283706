package dev.hydrastream.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Byte-array producers and consumers with the settings integration tests need, for any test broker.
 */
public final class KafkaTestClients {
  private KafkaTestClients() {}

  /**
   * A transactional producer ({@code initTransactions()} already called) that may send up to {@code
   * maxRequestBytes}.
   */
  public static KafkaProducer<byte[], byte[]> transactionalProducer(
      String bootstrapServers, int maxRequestBytes) {
    Map<String, Object> config = new HashMap<>(producerConfig(bootstrapServers, maxRequestBytes));
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx-" + UUID.randomUUID());
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  /** A plain (non-transactional) producer that may send up to {@code maxRequestBytes}. */
  public static KafkaProducer<byte[], byte[]> producer(
      String bootstrapServers, int maxRequestBytes) {
    return producer(bootstrapServers, maxRequestBytes, Map.of());
  }

  /** {@link #producer(String, int)} with {@code extra} settings (e.g. SASL). */
  public static KafkaProducer<byte[], byte[]> producer(
      String bootstrapServers, int maxRequestBytes, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(producerConfig(bootstrapServers, maxRequestBytes));
    config.putAll(extra);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Map<String, Object> producerConfig(String bootstrapServers, int maxRequestBytes) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        maxRequestBytes,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        30_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        10_000);
  }

  /**
   * A consumer of {@code topics} from the beginning, as a new group, with {@code read_committed}
   * isolation (what downstream consumers of exactly-once output see) and fetches large enough for
   * camera frames.
   */
  public static KafkaConsumer<byte[], byte[]> committedConsumer(
      String bootstrapServers, List<String> topics) {
    return committedConsumer(bootstrapServers, topics, Map.of());
  }

  /** {@link #committedConsumer(String, List)} with {@code extra} settings (e.g. SASL). */
  public static KafkaConsumer<byte[], byte[]> committedConsumer(
      String bootstrapServers, List<String> topics, Map<String, Object> extra) {
    Map<String, Object> config =
        new HashMap<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-group-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                8 << 20));
    config.putAll(extra);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(topics);
    return consumer;
  }

  /**
   * Reads {@code topic} from the beginning as a new consumer group with {@code read_committed}
   * isolation until {@code expected} records arrived or {@code timeout} passed, and commits.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
      String bootstrapServers, String topic, int expected, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        committedConsumer(bootstrapServers, List.of(topic))) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() - deadline < 0) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      if (!records.isEmpty()) {
        consumer.commitSync(Duration.ofSeconds(10));
      }
    }
    return records;
  }
}
