package dev.hydrastream.testing;

import dev.hydrastream.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that owns a {@link KafkaCluster}'s life, as Kafka's own {@code
 * EmbeddedKafkaCluster} does for its integration tests: registered on a static field
 * ({@code @RegisterExtension static final KafkaClusterExtension kafka =
 * KafkaClusterExtension.brokers(1)}) one cluster serves the whole class; on an instance field each
 * test gets a cluster of its own. The cluster is up and its brokers ready before the first test (or
 * {@code @BeforeAll}/{@code @BeforeEach} method of the test class) runs, and closed after the last.
 *
 * <p>Topics a test produces to must exist first (KAFKA-15591: a producer's metadata request does
 * not wait for an auto-created topic's leader): create them with {@link #createTopics} or {@link
 * #createTopic}, which return once every partition has a leader.
 */
public final class KafkaClusterExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final int brokers;
  private final Map<String, String> brokerProps;
  private KafkaCluster cluster;
  private boolean perTest;

  private KafkaClusterExtension(int brokers, Map<String, String> brokerProps) {
    this.brokers = brokers;
    this.brokerProps = Map.copyOf(brokerProps);
  }

  /** A plain cluster of {@code brokers} brokers (see {@link KafkaCluster#start(int)}). */
  public static KafkaClusterExtension brokers(int brokers) {
    return new KafkaClusterExtension(brokers, Map.of());
  }

  /** {@link #brokers(int)} with {@code brokerProps} set on every broker. */
  public static KafkaClusterExtension brokers(int brokers, Map<String, String> brokerProps) {
    return new KafkaClusterExtension(brokers, brokerProps);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cluster = KafkaCluster.start(brokers, brokerProps);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    // Registered on an instance field, beforeAll is never called: a cluster per test.
    if (cluster == null) {
      perTest = true;
      cluster = KafkaCluster.start(brokers, brokerProps);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (perTest) {
      close();
    }
  }

  private void close() throws Exception {
    if (cluster != null) {
      try {
        cluster.close();
      } finally {
        cluster = null;
      }
    }
  }

  /** The running cluster (for its test kit, admin client or security settings). */
  public KafkaCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the cluster runs only while the test class or test runs");
    }
    return cluster;
  }

  /** The {@code bootstrap.servers} value for clients of the cluster. */
  public String bootstrap() {
    return cluster().bootstrapServers();
  }

  /** The cluster's admin client (closed with it). */
  public Admin admin() {
    return cluster().admin();
  }

  /**
   * Creates the topics (replication factor min(brokers, 3)) unless they exist and waits until every
   * partition has a leader: produce to them only after this returns.
   */
  public void createTopics(Map<String, Integer> partitionsByName) {
    cluster().createTopics(partitionsByName);
  }

  /** {@link #createTopics} of one topic. */
  public void createTopic(String name, int partitions) {
    createTopics(Map.of(name, partitions));
  }

  /** {@link #serviceSettings(String, String, Path)} on this cluster. */
  public Map<String, Object> serviceSettings(String name, Path stateDir) throws IOException {
    return serviceSettings(bootstrap(), name, stateDir);
  }

  /**
   * The settings of a service instance on {@code bootstrap} (any broker: this extension's, a
   * container's) under test name {@code name}: application id {@code it-NAME}, topics under the
   * prefix {@code NAME.}, state in {@code stateDir} (created). A mutable map, for the test to add
   * its own settings to before {@link Settings#of}.
   */
  public static Map<String, Object> serviceSettings(String bootstrap, String name, Path stateDir)
      throws IOException {
    Map<String, Object> s = new HashMap<>();
    s.put(Settings.BOOTSTRAP_SERVERS, bootstrap);
    s.put(Settings.APPLICATION_ID, "it-" + name);
    s.put(Settings.TOPIC_PREFIX, name + ".");
    s.put(Settings.STATE_DIR, Files.createDirectories(stateDir).toString());
    return s;
  }
}
