package dev.hydrastream.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which settings hold secrets, and the settings as they may be shown: in logs, {@code doctor} and
 * error messages a secret's value is replaced by {@value #HIDDEN}, as Kafka prints its own password
 * settings. A setting is secret when any Kafka client declares it a password ({@code
 * sasl.jaas.config}, {@code ssl.keystore.password}, {@code ssl.key.password}, ...) or its name says
 * so (password, secret, jaas, credential, token), whatever its prefix ({@code kafka.}, {@code
 * producer.}, {@code main.consumer.}, ...).
 */
public final class Secrets {

  /** What is shown instead of a secret (Kafka's own choice). */
  public static final String HIDDEN = "[hidden]";

  private static final String[] WORDS = {"password", "secret", "jaas", "credential", "token"};

  private Secrets() {}

  /** Whether {@code name} (a setting or a Kafka client setting, any prefix) holds a secret. */
  public static boolean isSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String w : WORDS) {
      if (lower.contains(w)) {
        return true;
      }
    }
    // A client setting under any prefix: kafka.producer.ssl.key.password → ssl.key.password.
    int from = 0;
    while (true) {
      if (password(name.substring(from))) {
        return true;
      }
      int dot = name.indexOf('.', from);
      if (dot < 0) {
        return false;
      }
      from = dot + 1;
    }
  }

  private static boolean password(String name) {
    for (ConfigDef def :
        new ConfigDef[] {
          ProducerConfig.configDef(),
          ConsumerConfig.configDef(),
          AdminClientConfig.configDef(),
          StreamsConfig.configDef()
        }) {
      ConfigDef.ConfigKey key = def.configKeys().get(name);
      if (key != null && key.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    return false;
  }

  /** {@code value} as it may be shown for setting {@code name}. */
  public static Object shown(String name, Object value) {
    return value != null && isSecret(name) ? HIDDEN : value;
  }

  /**
   * Every setting with its effective value (defaults included) and every {@code kafka.*}
   * pass-through, sorted by name, secrets hidden: what the service logs at start and {@code doctor}
   * prints.
   */
  public static Map<String, String> dump(Settings settings) {
    Map<String, String> out = new TreeMap<>();
    settings.values().forEach((k, v) -> out.put(k, String.valueOf(shown(k, v))));
    settings
        .kafkaOverrides()
        .forEach(
            (k, v) ->
                out.put(Settings.KAFKA_PREFIX + k, String.valueOf(shown(k, String.valueOf(v)))));
    return out;
  }
}
