package dev.hydrastream.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread (Linux's nice value is per thread), for work that
 * should take the cores only when serving does not need them: loading and warming a candidate
 * model, and a shadow model's calls ({@code background.nice}). Threads the calling thread starts
 * afterwards inherit the value: a TensorFlow session with thread pools of its own, created from a
 * lowered thread, computes on lowered threads. A thread cannot raise its priority back without
 * privileges, so only threads that stay in the background are lowered.
 */
public final class BackgroundPriority {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);

  private BackgroundPriority() {}

  /**
   * Sets the calling thread's nice value to {@code nice} (1-19; 0 leaves it as it is) with {@code
   * renice} on its thread id.
   *
   * @return whether the thread now runs at {@code nice}; false (logged at INFO, not an error: the
   *     work still runs, at the service's priority) where there is no {@code /proc/thread-self} or
   *     {@code renice}
   */
  public static boolean lowerCurrentThread(int nice) {
    if (nice <= 0) {
      return false;
    }
    if (nice > 19) {
      throw new IllegalArgumentException("nice value " + nice + " is beyond 19");
    }
    String tid;
    try {
      tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info("no /proc/thread-self; {} keeps the service's priority", threadName());
      return false;
    }
    try {
      Process p =
          new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        LOG.info("renice failed ({}); {} keeps the service's priority", out, threadName());
        return false;
      }
    } catch (IOException e) {
      LOG.info("no renice ({}); {} keeps the service's priority", e.getMessage(), threadName());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return currentNice() == nice;
  }

  /** The calling thread's nice value ({@link #niceOf} of {@code /proc/thread-self}). */
  public static int currentNice() {
    return niceOf(Path.of("/proc/thread-self"));
  }

  /**
   * The nice value of the thread whose {@code /proc} directory is {@code task} (e.g. {@code
   * /proc/self/task/TID}), from its {@code stat} (field 19); 0 where it cannot be read.
   */
  public static int niceOf(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
      // the command name (field 2) is in parentheses and may hold spaces: count after its end
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return Integer.parseInt(f[16]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Runs {@code work} on a new thread named {@code name} at nice {@code nice} and waits for it: for
   * work whose threads must start in the background (a session with thread pools of its own).
   *
   * @throws RuntimeException what {@code work} threw (checked exceptions wrapped)
   */
  public static <T> T callLowered(String name, int nice, Callable<T> work)
      throws InterruptedException {
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              lowerCurrentThread(nice);
              return work.call();
            });
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(name + " failed: " + e.getCause().getMessage(), e);
    }
  }

  private static String threadName() {
    return "thread " + Thread.currentThread().getName();
  }
}
