package dev.hydrastream.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process by thread pool, for capacity planning: what the Kafka Streams threads,
 * the model, the Kafka clients, the HTTP server and the JVM itself cost. Java threads are measured
 * one by one ({@link ThreadMXBean}, classified by name); threads the JVM did not start as Java
 * threads are TensorFlow's compute threads, which the JVM cannot see: they are the process's CPU
 * time (from {@code /proc/self/stat}) minus the Java threads and the JVM's own threads (GC, JIT
 * compilers, VM thread: named in {@code /proc/self/task/}). Linux only; elsewhere {@link
 * #available()} is false. A Java thread that ends keeps its last measured time in its pool, so
 * pools only grow; what it used after the last reading lands in {@link Pool#NATIVE}.
 */
public final class ThreadCpu {

  /** Where a thread's CPU time is counted; label values are the lower-case names. */
  public enum Pool {
    /** Kafka Streams' stream threads: polling, decoding, waiting for the batch, results. */
    STREAM,
    /** The batching predictor's threads, which call the model. */
    MODEL,
    /** TensorFlow's own compute threads (not Java threads): the model's arithmetic. */
    NATIVE,
    /** Kafka clients' network and heartbeat threads (producer, consumer, admin). */
    KAFKA_CLIENT,
    /** The HTTP server and the dashboard's event loop. */
    HTTP,
    /** The JVM: garbage collection, JIT compilers, VM operations. */
    JVM,
    /** Every other Java thread. */
    OTHER;

    /** The label value. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Path PROC = Path.of("/proc/self");
  private static final List<String> JVM_THREADS =
      List.of(
          "GC Thread",
          "G1 ",
          "VM Thread",
          "VM Periodic Tas",
          "C1 CompilerThre",
          "C2 CompilerThre",
          "Service Thread",
          "Monitor Deflati",
          "Sweeper thread");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final long ticksPerSecond;

  /** Last reading of every Java thread seen: id → (pool, nanoseconds). */
  private final Map<Long, Reading> seen = new HashMap<>();

  private record Reading(Pool pool, long nanos) {}

  /** Every task of this process seen at the last reading: tid → whether it is a JVM thread. */
  private Map<String, Boolean> jvmTasks = new HashMap<>();

  public ThreadCpu() {
    this.ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture the JVM runs on
  }

  /** Whether this platform lets us measure (Linux with per-thread CPU clocks). */
  public boolean available() {
    return Files.isReadable(PROC.resolve("stat")) && threads.isThreadCpuTimeSupported();
  }

  /** The pool a Java thread's name belongs to. */
  static Pool poolOf(String name) {
    // Client threads first: their names end with the stream thread's they belong to.
    if (name.startsWith("kafka-producer-network-thread")
        || name.startsWith("kafka-coordinator-heartbeat-thread")
        || name.startsWith("kafka-admin-client-thread")
        || name.startsWith("consumer_background_thread")) {
      return Pool.KAFKA_CLIENT;
    }
    if (name.contains("-StreamThread-")
        || name.contains("-StateUpdater-")
        || name.contains("-CleanupThread")) {
      return Pool.STREAM;
    }
    if (name.startsWith("hydra-batcher-")) {
      return Pool.MODEL;
    }
    if (name.startsWith("JettyServerThreadPool")
        || name.startsWith("qtp")
        || name.startsWith("Scheduler-")
        || name.startsWith("hydra-dashboard")) {
      return Pool.HTTP;
    }
    return Pool.OTHER;
  }

  /**
   * Seconds of CPU per pool since the process started. A scrape calls this once a second, so it
   * names each thread only once: {@code getThreadInfo} (a safepoint that stops every Java thread)
   * only for Java threads not seen before (thread ids are never reused; our pools name their
   * threads when they create them), and {@code /proc/self/task/TID/comm} only for tasks not seen
   * before; per reading it costs one CPU clock read per Java thread and one {@code stat} per JVM
   * thread.
   */
  public synchronized Map<Pool, Double> seconds() {
    Map<Pool, Long> nanos = new EnumMap<>(Pool.class);
    for (Pool p : Pool.values()) {
      nanos.put(p, 0L);
    }
    long[] ids = threads.getAllThreadIds();
    long[] fresh = java.util.Arrays.stream(ids).filter(id -> !seen.containsKey(id)).toArray();
    Map<Long, Pool> named = new HashMap<>();
    if (fresh.length > 0) {
      ThreadInfo[] infos = threads.getThreadInfo(fresh, 0);
      for (int i = 0; i < fresh.length; i++) {
        if (infos[i] != null) {
          named.put(fresh[i], poolOf(infos[i].getThreadName()));
        }
      }
    }
    for (long id : ids) {
      Reading last = seen.get(id);
      Pool pool = last != null ? last.pool() : named.get(id);
      long cpu = threads.getThreadCpuTime(id);
      if (pool != null && cpu >= 0) {
        seen.put(id, new Reading(pool, cpu));
      }
    }
    long java = 0;
    for (Reading r : seen.values()) {
      nanos.merge(r.pool(), r.nanos(), Long::sum);
      java += r.nanos();
    }
    long jvm = 0;
    long process = 0;
    try {
      process = ticks(Files.readString(PROC.resolve("stat")));
      Map<String, Boolean> tasks = new HashMap<>();
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC.resolve("task"))) {
        for (Path t : dir) {
          try {
            String tid = t.getFileName().toString();
            Boolean isJvm = jvmTasks.get(tid);
            if (isJvm == null) {
              String comm = Files.readString(t.resolve("comm")).strip();
              isJvm = isJvmThread(comm);
            }
            tasks.put(tid, isJvm);
            if (isJvm) {
              jvm += ticks(Files.readString(t.resolve("stat")));
            }
          } catch (IOException e) {
            // the thread ended while we looked
          }
        }
      }
      jvmTasks = tasks; // forgets the tasks that ended (a new task may get an old tid)
    } catch (IOException e) {
      // not Linux: no process total, no native or JVM share
    }
    long tick = 1_000_000_000L / ticksPerSecond;
    nanos.put(Pool.JVM, jvm * tick);
    nanos.put(Pool.NATIVE, Math.max(0, process * tick - java - jvm * tick));
    Map<Pool, Double> out = new EnumMap<>(Pool.class);
    nanos.forEach((p, n) -> out.put(p, n / 1e9));
    return out;
  }

  /** Whether a native thread name ({@code /proc/.../comm}) is the JVM's own: GC, JIT, VM. */
  public static boolean isJvmThread(String comm) {
    return JVM_THREADS.stream().anyMatch(comm::startsWith);
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code stat} line, in clock ticks. The command name
   * (field 2) is in parentheses and may hold spaces, so fields are counted after its closing one.
   */
  public static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
