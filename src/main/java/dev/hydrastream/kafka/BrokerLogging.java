package dev.hydrastream.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-process Kafka broker's INFO logging (hundreds of lines per start) out of the output,
 * without overriding levels the user chose.
 */
public final class BrokerLogging {
  /**
   * Broker logger prefixes and their level: Scala code logs under "kafka.", Java code under
   * "org.apache.kafka.". The controller logs "Performing controller activation" at WARN on every
   * start; its other warnings are about multi-controller leadership, moot for one node. The default
   * {@code logback.xml} sets the same levels.
   */
  private static final Map<String, Level> BROKER_LOGGERS =
      Map.of(
          "kafka", Level.WARN,
          "org.apache.kafka", Level.WARN,
          "state.change.logger", Level.WARN,
          "org.apache.kafka.controller.QuorumController", Level.ERROR);

  private BrokerLogging() {}

  /**
   * Sets the broker's loggers to WARN (one to ERROR) unless the logging configuration (the default
   * {@code logback.xml} or the user's {@code -Dlogback.configurationFile}) already sets them. Call
   * before starting a broker; it does nothing with another slf4j backend than logback.
   */
  public static void quietUnlessConfigured() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    BROKER_LOGGERS.forEach(
        (name, level) -> {
          ch.qos.logback.classic.Logger logger = context.getLogger(name);
          if (logger.getLevel() == null) {
            logger.setLevel(level);
          }
        });
  }
}
