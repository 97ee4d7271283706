package dev.hydrastream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Secrets are recognised under any prefix and never shown by the settings dump or errors. */
class SecretsTest {

  static final String PASSWORD = "s3cr3t-" + Long.toHexString(System.nanoTime());
  static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
          + " password=\""
          + PASSWORD
          + "\";";

  /** Settings with every kind of Kafka secret, all holding {@link #PASSWORD}. */
  static Map<String, String> secured() {
    return Map.of(
        Settings.BOOTSTRAP_SERVERS,
        "broker:9093",
        "kafka.security.protocol",
        "SASL_SSL",
        "kafka.sasl.mechanism",
        "SCRAM-SHA-512",
        "kafka.sasl.jaas.config",
        JAAS,
        "kafka.ssl.truststore.location",
        "/etc/kafka/truststore.p12",
        "kafka.ssl.truststore.password",
        PASSWORD,
        "kafka.ssl.keystore.password",
        PASSWORD,
        "kafka.producer.ssl.key.password",
        PASSWORD);
  }

  @Test
  void kafkaPasswordSettingsAreSecretUnderAnyPrefix() {
    for (String name :
        new String[] {
          "kafka.sasl.jaas.config",
          "sasl.jaas.config",
          "kafka.ssl.keystore.password",
          "kafka.ssl.key.password",
          "kafka.producer.ssl.key.password",
          "kafka.main.consumer.sasl.jaas.config",
          "kafka.sasl.oauthbearer.client.credentials.client.secret",
          "kafka.ssl.keystore.key"
        }) {
      assertThat(Secrets.isSecret(name)).as(name).isTrue();
    }
    for (String name :
        new String[] {
          "bootstrap.servers",
          "kafka.security.protocol",
          "kafka.sasl.mechanism",
          "kafka.ssl.truststore.location",
          "application.id"
        }) {
      assertThat(Secrets.isSecret(name)).as(name).isFalse();
    }
  }

  @Test
  void theSettingsDumpHidesSecretsAndShowsTheRest() {
    Map<String, String> dump = Secrets.dump(Settings.of(secured()));
    assertThat(dump.toString()).doesNotContain(PASSWORD);
    assertThat(dump)
        .containsEntry("kafka.sasl.jaas.config", Secrets.HIDDEN)
        .containsEntry("kafka.ssl.truststore.password", Secrets.HIDDEN)
        .containsEntry("kafka.producer.ssl.key.password", Secrets.HIDDEN)
        .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("kafka.ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsKey(Settings.APPLICATION_ID);
  }

  @Test
  void aSecretGivenWithoutItsPrefixIsNotEchoedByTheError() {
    // The likeliest slip: a client setting copied from Kafka's docs without "kafka.".
    assertThatThrownBy(() -> Settings.of(Map.of("sasl.jaas.config", JAAS)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sasl.jaas.config")
        .hasMessageContaining("kafka.")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    assertThatThrownBy(() -> Settings.of(Map.of("ssl.keystore.password", PASSWORD)))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
  }
}
