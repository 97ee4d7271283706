package dev.hydrastream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code hydrastream} command in a JVM of its own, as an operator runs it: the test's classpath,
 * its stdout and stderr in separate files (so a test can say what reached stderr), signals sent
 * with {@code kill}, and waits on what it printed or on its exit, each bounded.
 */
public final class CliProcess implements AutoCloseable {

  private final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code hydrastream ARGS...}; its output goes to {@code dir/NAME.out} and {@code
   * dir/NAME.err}.
   *
   * @param jvmOptions extra JVM options, e.g. {@code -Djava.io.tmpdir=...}
   */
  public static CliProcess start(Path dir, String name, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    // A JVM started with SIGINT ignored (any job started in the background by a non-interactive
    // shell, e.g. `nohup .ci/run &`, passes that on) never sees Ctrl-C: Java cannot handle a
    // signal ignored at its start. Reset it, as a terminal would have it.
    cmd.addAll(List.of("env", "--default-signal=INT"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1500m");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.hydrastream.cli.Main");
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
    return new CliProcess(pb.start(), out, err);
  }

  /**
   * Starts {@code hydrastream run --set KEY=VALUE...} with {@code settings}; output in {@code
   * dir/run.out} and {@code dir/run.err}.
   */
  public static CliProcess run(Path dir, Map<String, String> settings) throws IOException {
    List<String> args = new ArrayList<>(List.of("run"));
    settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    return start(dir, "run", List.of(), args.toArray(String[]::new));
  }

  /** What it printed on stdout so far. */
  public String out() {
    return read(out);
  }

  /** What it printed on stderr so far. */
  public String err() {
    return read(err);
  }

  /**
   * Waits until stderr (where progress goes) or stdout satisfies {@code condition}.
   *
   * @throws AssertionError with both outputs if it does not within {@code timeout}, or the process
   *     ends first
   */
  public void awaitOutput(String what, Predicate<String> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(out() + "\n" + err())) {
      if (!process.isAlive()) {
        throw new AssertionError("exited (" + process.exitValue() + ") before " + what + report());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + timeout + report());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Sends a signal ({@code INT}, {@code TERM}, ...) the way a shell does. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /**
   * Waits for the process to end.
   *
   * @return its exit code
   * @throws AssertionError with both outputs if it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + report());
    }
    return process.exitValue();
  }

  private String report() {
    return "\n--- stdout\n" + out() + "\n--- stderr\n" + err();
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Kills the process if it is still running (SIGKILL). */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
