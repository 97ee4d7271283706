package dev.hydrastream.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for executors whose threads must never keep the JVM alive: a pool left to the
 * garbage collector, or not shut down on an error path, does not hang the exit.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Daemon threads all named {@code name}, for a single-thread executor. */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  /** Daemon threads named {@code prefix0}, {@code prefix1}, ... in the order they are made. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemon(r, prefix + n.getAndIncrement());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
