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

  /** Seconds of CPU per pool since the process started. */
  public synchronized Map<Pool, Double> seconds() {
    Map<Pool, Long> nanos = new EnumMap<>(Pool.class);
    for (Pool p : Pool.values()) {
      nanos.put(p, 0L);
    }
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids, 0);
    for (int i = 0; i < ids.length; i++) {
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (infos[i] != null && cpu >= 0) {
        seen.put(ids[i], new Reading(poolOf(infos[i].getThreadName()), cpu));
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
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve("task"))) {
        for (Path t : tasks) {
          try {
            String comm = Files.readString(t.resolve("comm")).strip();
            if (isJvmThread(comm)) {
              jvm += ticks(Files.readString(t.resolve("stat")));
            }
          } catch (IOException e) {
            // the thread ended while we looked
          }
        }
      }
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
