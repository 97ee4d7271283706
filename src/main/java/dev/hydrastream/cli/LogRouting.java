package dev.hydrastream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Sends the full log to a file and keeps only what a user can act on on the terminal: our own
 * messages from {@code ours} up (WARN for {@code demo}, INFO for {@code run}) and the libraries'
 * errors, except an embedded broker's (its errors are Kafka's transactional retries seen from the
 * broker side, and a broker that really fails shows up as our own error). Library warnings (Kafka
 * clients' retries, Streams' state-dir notice, Jetty and Javalin banners) go to the file only.
 *
 * <p>Works on the default {@code logback.xml}'s {@code STDERR} appender; with another backend or a
 * user's {@code -Dlogback.configurationFile} it changes nothing.
 */
final class LogRouting implements AutoCloseable {

  /** Our loggers' prefix: their warnings always reach the terminal. */
  static final String OURS = "dev.hydrastream.";

  /** Loggers of Kafka's broker side (embedded in demo, benches and tests). */
  private static final List<String> BROKER =
      List.of(
          "kafka.",
          "state.change.logger",
          "org.apache.kafka.controller.",
          "org.apache.kafka.coordinator.",
          "org.apache.kafka.image.",
          "org.apache.kafka.metadata.",
          "org.apache.kafka.queue.",
          "org.apache.kafka.raft.",
          "org.apache.kafka.server.",
          "org.apache.kafka.snapshot.",
          "org.apache.kafka.storage.");

  private static final String FILE_PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n";

  private final Appender<ILoggingEvent> console;
  private final List<Filter<ILoggingEvent>> consoleFilters;
  private final FileAppender<ILoggingEvent> file;

  private LogRouting(
      Appender<ILoggingEvent> console,
      List<Filter<ILoggingEvent>> consoleFilters,
      FileAppender<ILoggingEvent> file) {
    this.console = console;
    this.consoleFilters = consoleFilters;
    this.file = file;
  }

  /**
   * Routes logging to {@code logFile} (appending; its directory is created) until {@link #close()};
   * null when logging is not the default logback configuration, so it stays as configured.
   */
  static LogRouting toFile(Path logFile, Level ours) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
        || System.getProperty("logback.configurationFile") != null) {
      return null;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> console = root.getAppender("STDERR");
    if (console == null) {
      return null;
    }
    try {
      Path parent = logFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log file's directory: " + e, e);
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(FILE_PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setName("FILE");
    file.setFile(logFile.toString());
    file.setAppend(true);
    file.setEncoder(encoder);
    file.start();
    if (!file.isStarted()) {
      throw new IllegalStateException("cannot write the log file " + logFile);
    }
    List<Filter<ILoggingEvent>> previous = console.getCopyOfAttachedFiltersList();
    Filter<ILoggingEvent> terminal = new TerminalFilter(ours);
    terminal.setContext(context);
    terminal.start();
    console.addFilter(terminal);
    root.addAppender(file);
    return new LogRouting(console, previous, file);
  }

  /** Whether an event reaches the terminal when a log file takes the rest. */
  static boolean toTerminal(String logger, Level level, Level ours) {
    if (logger.startsWith(OURS)) {
      return level.isGreaterOrEqual(ours);
    }
    return level.isGreaterOrEqual(Level.ERROR) && BROKER.stream().noneMatch(logger::startsWith);
  }

  /** Restores the terminal's logging and closes the file. */
  @Override
  public void close() {
    console.clearAllFilters();
    consoleFilters.forEach(console::addFilter);
    LoggerContext context = (LoggerContext) file.getContext();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(file);
    file.stop();
  }

  private static final class TerminalFilter extends Filter<ILoggingEvent> {
    private final Level ours;

    TerminalFilter(Level ours) {
      this.ours = ours;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
      return toTerminal(event.getLoggerName(), event.getLevel(), ours)
          ? FilterReply.NEUTRAL
          : FilterReply.DENY;
    }
  }
}
