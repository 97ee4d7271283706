package dev.hydrastream.cli;

import ch.qos.logback.classic.Level;
import dev.hydrastream.runtime.NativeRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The {@code --log-file} option of {@code demo} and {@code run}: where the libraries' logs go. The
 * demo writes them to a new file by default (a user can do nothing about Kafka's retries), in the
 * cache directory rather than the temp dir, which the demo leaves as it found it; {@code run} keeps
 * every log on stderr by default, where a container runtime collects it.
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
              + " stderr. Default: demo a new file under ~/.cache/hydrastream/logs (HYDRA_CACHE_DIR;"
              + " the newest 20 are kept), run '-'.")
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
      value = defaultFile(NativeRuntime.cacheRoot().resolve("logs"), command).toString();
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

  /** The newest log files of a command that {@link #defaultFile} keeps. */
  static final int KEPT = 20;

  /**
   * A new file {@code COMMAND-yyyyMMdd-HHmmss-PID.log} in {@code dir}; deletes the command's older
   * files there beyond the newest {@link #KEPT} - 1, so that a demo run often fills no disk.
   */
  static Path defaultFile(Path dir, String command) {
    String prefix = command + "-";
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> old =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .filter(f -> f.getFileName().toString().endsWith(".log"))
              .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed())
              .toList();
      for (Path f : old.subList(Math.min(old.size(), KEPT - 1), old.size())) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // No directory yet, or one we cannot prune: the new file is what matters.
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return dir.resolve(prefix + stamp + "-" + ProcessHandle.current().pid() + ".log");
  }
}
