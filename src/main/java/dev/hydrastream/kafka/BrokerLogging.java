package dev.hydrastream.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps an in-process Kafka broker's INFO logging (hundreds of lines per start) out of the output,
 * without overriding levels the user chose.
 */
public final class BrokerLogging {
  /**
   * Broker logger prefixes and their level: Scala code logs under "kafka.", Java code under
   * "org.apache.kafka.". The controller logs "Performing controller activation" at WARN on every
   * start; its other warnings are about multi-controller leadership, moot for one node.
   */
  private static final Map<String, String> BROKER_LOGGERS =
      Map.of(
          "kafka", "warn",
          "org.apache.kafka", "warn",
          "state.change.logger", "warn",
          "org.apache.kafka.controller.QuorumController", "error");

  private static final String SIMPLE_LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";

  private BrokerLogging() {}

  /**
   * Sets the broker's slf4j-simple loggers to WARN (one to ERROR) unless a system property or
   * {@code simplelogger.properties} already sets them. slf4j-simple reads a logger's level when the
   * logger is created, i.e. when the broker classes first log, so call this before starting a
   * broker; it has no effect with another slf4j binding.
   */
  public static void quietUnlessConfigured() {
    Properties file = new Properties();
    try (InputStream in =
        BrokerLogging.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        file.load(in);
      }
    } catch (IOException e) {
      // An unreadable file configures nothing.
    }
    BROKER_LOGGERS.forEach(
        (name, level) -> {
          String key = SIMPLE_LOGGER_PREFIX + name;
          if (System.getProperty(key) == null && !file.containsKey(key)) {
            System.setProperty(key, level);
          }
        });
  }
}
