package dev.hydrastream.testing;

import dev.hydrastream.bench.ServiceChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service ({@code hydrastream run --config FILE}) in a JVM of its own, for tests that kill it:
 * started through {@link ServiceChild} (the benches' launcher) from the test's classpath, its
 * output copied to a log file, ready once it prints {@code hydrastream RUNNING}.
 */
public final class ServiceProcess {

  private final ServiceChild child;

  private ServiceProcess(ServiceChild child) {
    this.child = child;
  }

  /** Starts the service with {@code config} and waits (up to 2 minutes) until it is RUNNING. */
  public static ServiceProcess start(Path config, Path log) throws Exception {
    return start(config, log, Duration.ofMinutes(2));
  }

  /**
   * Starts the service with {@code config} and waits until it is RUNNING, up to {@code timeout} (a
   * loaded machine can take minutes to load TensorFlow); fails at once if the process ends.
   */
  public static ServiceProcess start(Path config, Path log, Duration timeout) throws Exception {
    return start(config, log, timeout, List.of("-Xmx1500m"));
  }

  /**
   * {@link #start(Path, Path, Duration)} with these JVM options (e.g. a fixed, pre-touched heap)
   * instead of the default {@code -Xmx1500m}.
   */
  public static ServiceProcess start(
      Path config, Path log, Duration timeout, List<String> jvmOptions) throws Exception {
    try {
      return new ServiceProcess(ServiceChild.start(config, log, jvmOptions, timeout));
    } catch (IllegalStateException e) {
      throw new AssertionError(e.getMessage() + ": " + read(log), e);
    }
  }

  /**
   * Writes the settings file of a kill test: the service on {@code bootstrap} with two stream
   * threads, creating topics with {@code partitions} partitions, HTTP on any free port, and a short
   * session timeout so that a killed member leaves its group quickly and the restart gets its
   * partitions.
   */
  public static Path config(
      Path file, String bootstrap, String applicationId, Path stateDir, int partitions)
      throws IOException {
    Files.writeString(
        file,
        String.join(
            "\n",
            "bootstrap.servers=" + bootstrap,
            "application.id=" + applicationId,
            "state.dir=" + stateDir,
            "stream.threads=2",
            "topic.partitions=" + partitions,
            // run serves HTTP (default 8080, maybe taken on this machine): any free port
            "http.port=0",
            "kafka.session.timeout.ms=6000",
            "kafka.heartbeat.interval.ms=1000",
            ""));
    return file;
  }

  /** The service's HTTP base URL (as it printed it when RUNNING), ending in {@code /}. */
  public String url() {
    return child.url();
  }

  /** The operating system's process id (for {@code /proc/<pid>/status}). */
  public long pid() {
    return child.process().pid();
  }

  public boolean isAlive() {
    return child.process().isAlive();
  }

  /**
   * SIGKILL (no shutdown hook, no commit) and waits for the process to end.
   *
   * @return its exit value (137 after SIGKILL on Linux)
   */
  public int kill() throws InterruptedException {
    Process process = child.process();
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("service did not die within 30 s of SIGKILL");
    }
    return process.exitValue();
  }

  /** SIGTERM (clean shutdown) and waits up to a minute. */
  public void stop() throws InterruptedException {
    child.process().destroy();
    child.process().waitFor(60, TimeUnit.SECONDS);
  }

  /** What the service printed so far. */
  public String log() {
    return read(child.log());
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
