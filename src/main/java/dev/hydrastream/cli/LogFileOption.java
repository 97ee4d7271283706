package dev.hydrastream.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/**
 * The {@code --log-file} option of {@code demo} and {@code run}: where the libraries' logs go. The
 * demo writes them to a new file by default (a user can do nothing about Kafka's retries); {@code
 * run} keeps every log on stderr by default, where a container runtime collects it.
 */
final class LogFileOption {

  /** The value that keeps every log on stderr. */
  static final String STDERR = "-";

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description =
          "Write the full log (Kafka, Jetty and the other libraries, ours included) to FILE; the"
              + " terminal keeps our own messages and the libraries' errors. '-': everything on"
              + " stderr. Default: demo a new file in the temp dir, run '-'.")
  String logFile;

  /**
   * Routes logging as the option says for {@code command} ({@code demo} or {@code run}) and tells
   * {@code err} where the log goes; the result restores the terminal's logging when closed (null:
   * nothing to restore).
   */
  LogRouting apply(String command, Level ours, PrintWriter err) {
    String value = logFile;
    if (value == null) {
      if (!command.equals("demo")) {
        return null;
      }
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      value =
          Path.of(
                  System.getProperty("java.io.tmpdir"),
                  "hydrastream-" + command + "-" + stamp + "-" + ProcessHandle.current().pid() + ".log")
              .toString();
    }
    if (value.equals(STDERR)) {
      return null;
    }
    Path file = Path.of(value).toAbsolutePath();
    LogRouting routing = LogRouting.toFile(file, ours);
    if (routing != null) {
      err.println(command + ": log (Kafka, Jetty, other libraries; --log-file): " + file);
      err.flush();
    }
    return routing;
  }
}
