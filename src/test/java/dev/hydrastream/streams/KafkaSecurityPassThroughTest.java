package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.control.ModelControl;
import dev.hydrastream.streams.events.RecentAlerts;
import dev.hydrastream.streams.perception.PerceptionTopology;
import dev.hydrastream.streams.replay.Replay;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SASL and TLS client settings given as {@code kafka.*} reach every Kafka client the service
 * creates: Kafka Streams' main, restore and global consumers, its producer and admin, and the admin
 * clients of {@link TopicAdmin} (which also checks the telemetry co-partitioning) and {@link
 * ServiceAcls}. A new place that creates a client fails {@link
 * #kafkaClientsAreCreatedOnlyWhereTheirConfigurationIsKnown} until it is added there (with its
 * configuration from {@link TopicAdmin#adminConfig} or Kafka Streams).
 */
class KafkaSecurityPassThroughTest {

  private static final String JAAS_PLAIN =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\""
          + " password=\"pw\";";
  private static final String JAAS_SCRAM =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
          + " password=\"pw\";";

  private static Map<String, Object> security(String mechanism) {
    return Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", mechanism,
        "sasl.jaas.config", mechanism.equals("PLAIN") ? JAAS_PLAIN : JAAS_SCRAM,
        "ssl.truststore.location", "/etc/kafka/truststore.p12",
        "ssl.truststore.type", "PKCS12",
        "ssl.endpoint.identification.algorithm", "https");
  }

  private static Settings settings(Map<String, Object> security) {
    Map<String, Object> all = new java.util.HashMap<>();
    all.put(Settings.BOOTSTRAP_SERVERS, "broker:9093");
    security.forEach((k, v) -> all.put(Settings.KAFKA_PREFIX + k, v));
    return Settings.of(all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
  void saslAndTlsSettingsReachEveryClient(String mechanism) {
    Map<String, Object> security = security(mechanism);
    Settings s = settings(security);
    StreamsConfig streams = new StreamsConfig(PerceptionTopology.streamsConfig(s));
    Map<String, Map<String, Object>> clients =
        Map.of(
            "main consumer", streams.getMainConsumerConfigs("g", "c", 0),
            "restore consumer", streams.getRestoreConsumerConfigs("c"),
            "global consumer", streams.getGlobalConsumerConfigs("c"),
            "producer", streams.getProducerConfigs("c"),
            "Kafka Streams' admin", streams.getAdminConfigs("c"),
            "TopicAdmin, ServiceAcls admin", TopicAdmin.adminConfig(s));
    clients.forEach(
        (client, config) ->
            security.forEach(
                (k, v) -> {
                  Object got = config.get(k);
                  assertThat(got == null ? null : got.toString())
                      .as("%s: %s", client, k)
                      .isEqualTo(v.toString());
                }));
  }

  @Test
  void kafkaClientsAreCreatedOnlyWhereTheirConfigurationIsKnown() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.hydrastream");
    Set<String> creators = new TreeSet<>();
    for (JavaClass c : classes) {
      String pkg = c.getPackageName();
      // The tools (demo, bench, the embedded broker, the simulator) are not the service.
      if (pkg.matches("dev\\.hydrastream\\.(cli|demo|bench|kafka|sim|data|model|eval).*")) {
        continue;
      }
      c.getMethodCallsFromSelf().stream()
          .filter(
              m ->
                  m.getTargetOwner().getName().equals("org.apache.kafka.clients.admin.Admin")
                      && m.getName().equals("create"))
          .forEach(m -> creators.add(c.getName().replaceAll("\\$.*", "")));
      c.getConstructorCallsFromSelf().stream()
          .filter(
              m ->
                  m.getTargetOwner()
                      .getName()
                      .matches(
                          "org\\.apache\\.kafka\\.clients\\.(producer\\.KafkaProducer|consumer"
                              + "\\.KafkaConsumer|admin\\.KafkaAdminClient)|org\\.apache\\.kafka"
                              + "\\.streams\\.KafkaStreams"))
          .forEach(m -> creators.add(c.getName().replaceAll("\\$.*", "")));
    }
    assertThat(creators)
        .containsExactlyInAnyOrder(
            TopicAdmin.class.getName(),
            // the dashboard's recent-alerts consumer: kafka.* plus the bootstrap servers
            RecentAlerts.class.getName(),
            // Kafka Streams' clients, built from the configuration Kafka Streams hands it.
            CommitObserver.class.getName(),
            PerceptionService.class.getName(),
            // perception.control's reader and perception.model-status's writer, and the
            // replay's offset lookups: TopicAdmin.clientConfig / adminConfig
            ModelControl.class.getName(),
            Replay.class.getName());
  }
}
