package dev.hydrastream.testing;

import dev.hydrastream.kafka.BrokerLogging;
import dev.hydrastream.streams.admin.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A throw-away KRaft cluster for integration tests, started with Kafka's own test kit ({@link
 * KafkaClusterTestKit}); JUnit-agnostic, so use it with try-with-resources or from
 * {@code @BeforeAll}/{@code @AfterAll}.
 *
 * <p>Node 0 is a combined broker+controller, further brokers are pure brokers. Internal topics get
 * replication factor min(brokers, 3) and min ISR 1 (so transactions keep working with one broker
 * down), and there is no initial rebalance delay. Data lives in a temp dir deleted on close.
 */
public final class KafkaCluster implements AutoCloseable {
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaClusterTestKit testKit;
  private final Admin admin;
  private final short replicationFactor;
  private final Duration startupTime;
  private final boolean secured;

  /** The super user of a {@link #startSecured} cluster (PLAIN). */
  public static final String SUPER_USER = JaasUtils.KAFKA_PLAIN_ADMIN;

  private KafkaCluster(
      KafkaClusterTestKit testKit, short replicationFactor, Duration startupTime, boolean secured) {
    this.testKit = testKit;
    this.secured = secured;
    this.admin = testKit.admin();
    this.replicationFactor = replicationFactor;
    this.startupTime = startupTime;
  }

  /**
   * Formats and starts a cluster of {@code brokers} brokers and waits until all are registered and
   * unfenced.
   */
  public static KafkaCluster start(int brokers) throws Exception {
    return start(brokers, false, Map.of());
  }

  /**
   * Like {@link #start(int)}, with {@code brokerProps} set on every broker (e.g. {@code
   * min.insync.replicas}).
   */
  public static KafkaCluster start(int brokers, Map<String, String> brokerProps) throws Exception {
    return start(brokers, false, brokerProps);
  }

  /**
   * A cluster whose clients authenticate with SASL (listener {@code SASL_PLAINTEXT}, mechanisms
   * PLAIN and SCRAM-SHA-512) and are authorized by the standard authorizer (no ACL: no access;
   * {@link #SUPER_USER} is a super user and is who {@link #admin()} and {@link #clientConfig()}
   * authenticate as). SCRAM users are added with {@link #addScramUser}.
   */
  public static KafkaCluster startSecured(int brokers) throws Exception {
    return start(brokers, true, Map.of());
  }

  private static KafkaCluster start(int brokers, boolean secured, Map<String, String> brokerProps)
      throws Exception {
    if (brokers < 1) {
      throw new IllegalArgumentException("need at least one broker, got " + brokers);
    }
    BrokerLogging.quietUnlessConfigured();
    long t0 = System.nanoTime();
    short rf = (short) Math.min(brokers, 3);
    TestKitNodes.Builder nodes =
        new TestKitNodes.Builder(productionBootstrapMetadata())
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(1);
    if (secured) {
      // The test kit then configures PLAIN with its users and the standard authorizer.
      nodes
          .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
          .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT);
    }
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build());
    if (secured) {
      builder
          .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
          .setConfigProp(
              "listener.name.external.scram-sha-512.sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    brokerProps.forEach(builder::setConfigProp);
    KafkaClusterTestKit kit =
        builder
            .setConfigProp("offsets.topic.replication.factor", String.valueOf(rf))
            .setConfigProp("transaction.state.log.replication.factor", String.valueOf(rf))
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("share.coordinator.state.topic.replication.factor", String.valueOf(rf))
            .setConfigProp("share.coordinator.state.topic.min.isr", "1")
            // Fewer internal partitions: the first group join / transaction creates them all.
            .setConfigProp("offsets.topic.num.partitions", "4")
            .setConfigProp("transaction.state.log.num.partitions", "4")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    try {
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return new KafkaCluster(kit, rf, Duration.ofNanos(System.nanoTime() - t0), secured);
    } catch (Exception | Error e) {
      try {
        kit.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * The features a real broker is formatted with ({@code kafka-storage.sh format}, EmbeddedKafka):
   * by default the test kit bootstraps only an unreleased metadata.version and leaves
   * transaction.version, group.version and streams.version at 0, i.e. without the KIP-890
   * transaction protocol and the KIP-848/KIP-1071 rebalance protocols.
   */
  private static BootstrapMetadata productionBootstrapMetadata() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> levels = new TreeMap<>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      levels.put(feature.featureName(), feature.defaultLevel(version));
    }
    return BootstrapMetadata.fromVersions(version, levels, "hydrastream KafkaCluster");
  }

  /**
   * Security settings of a client of this cluster (none for a plain cluster; the super user's SASL
   * login for a secured one): add them to any test client's configuration.
   */
  public Map<String, Object> clientConfig() {
    if (!secured) {
      return Map.of();
    }
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        plainLogin(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD));
  }

  /** A PLAIN login module configuration ({@code sasl.jaas.config}). */
  public static String plainLogin(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** A SCRAM login module configuration ({@code sasl.jaas.config}). */
  public static String scramLogin(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** Adds (or changes) a SCRAM-SHA-512 user of a secured cluster. */
  public void addScramUser(String user, String password) throws Exception {
    admin
        .alterUserScramCredentials(
            List.of(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /** The {@code bootstrap.servers} value for clients of this cluster. */
  public String bootstrapServers() {
    return testKit.bootstrapServers();
  }

  /**
   * Creates the topics (replication factor min(brokers, 3)) unless they exist and waits for their
   * leaders.
   */
  public void createTopics(Map<String, Integer> partitionsByName) {
    TopicAdmin.createAndAwait(admin, partitionsByName, replicationFactor, TOPIC_TIMEOUT);
  }

  /** An admin client owned by this cluster (closed with it). */
  public Admin admin() {
    return admin;
  }

  /** The underlying test kit, for tests that stop brokers or inspect controllers. */
  public KafkaClusterTestKit testKit() {
    return testKit;
  }

  /** Time from building the test kit to all brokers ready. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Stops all nodes, deletes the data and rethrows the first fault a node reported while running.
   */
  @Override
  public void close() throws Exception {
    try {
      admin.close(Duration.ofSeconds(5));
    } finally {
      testKit.close();
    }
  }
}
