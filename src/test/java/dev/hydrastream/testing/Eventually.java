package dev.hydrastream.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waiting on state with a bounded timeout (never a fixed sleep): polls a probe until it yields what
 * the test waits for, failing with the last value seen when the time is up.
 */
public final class Eventually {

  private static final long POLL_MS = 100;

  private Eventually() {}

  /**
   * Polls {@code probe} until {@code done} accepts its value; returns that value. A probe that
   * throws counts as not done (e.g. a server that is not listening yet).
   *
   * @throws AssertionError after {@code timeout}, naming {@code what} and the last value or error
   */
  public static <T> T await(String what, Duration timeout, Callable<T> probe, Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (true) {
      try {
        T v = probe.call();
        if (v != null && done.test(v)) {
          return v;
        }
        last = v;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + "; last: " + last);
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MS);
    }
  }

  /** Polls until {@code probe} returns a present value. */
  public static <T> T present(String what, Duration timeout, Callable<Optional<T>> probe)
      throws InterruptedException {
    return await(what, timeout, probe, Optional::isPresent).orElseThrow();
  }
}
