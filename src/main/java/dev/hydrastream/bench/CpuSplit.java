package dev.hydrastream.bench;

import dev.hydrastream.metrics.ThreadCpu;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The CPU time of this process split by who spent it, for a bench that runs the service next to an
 * embedded broker and its own clients: the service's Java threads and the Java threads that call
 * the model (both picked by name), every other Java thread (the broker, the bench's producers and
 * readers), the JVM's own threads (GC, JIT), RocksDB's background threads, and the rest: native
 * threads the JVM did not start, which in this process are TensorFlow's compute threads. Java
 * threads are read from {@link java.lang.management.ThreadMXBean} (nanoseconds), native threads
 * from {@code /proc/self/task} (clock ticks). A thread that ends between two samples loses what it
 * used since the first; that time lands in the native rest.
 */
final class CpuSplit {

  /**
   * CPU nanoseconds spent over a window.
   *
   * @param process the whole process
   * @param serviceJava the service's Java threads, except those calling the model
   * @param modelJava the Java threads calling the model (TensorFlow computes on them too)
   * @param otherJava every other Java thread
   * @param jvm GC, JIT and VM threads
   * @param jvmOfService the part of {@code jvm} the service's allocations account for: {@code jvm}
   *     split in proportion to the bytes the service's and the other Java threads allocated (the
   *     in-process broker's garbage is the broker's)
   * @param rocksdb RocksDB's flush and compaction threads
   * @param nativeRest process − the five above: TensorFlow's threads (and threads that ended)
   */
  record Sample(
      long process,
      long serviceJava,
      long modelJava,
      long otherJava,
      long jvm,
      long jvmOfService,
      long rocksdb,
      long nativeRest) {

    /** The service's share: everything but the other Java threads (GC serves both). */
    long service() {
      return process - otherJava;
    }

    /** The model's share: the threads calling it and TensorFlow's own. */
    long model() {
      return modelJava + nativeRest;
    }

    /** The service's share without the model's. */
    long serviceWithoutModel() {
      return serviceJava + jvmOfService + rocksdb;
    }
  }

  /** Cumulative readings of every thread at one moment. */
  static final class Snapshot {
    private final long process;
    private final Map<Long, Long> serviceJava = new HashMap<>();
    private final Map<Long, Long> modelJava = new HashMap<>();
    private final Map<Long, Long> otherJava = new HashMap<>();
    private final Map<Long, Long> jvm = new HashMap<>();
    private final Map<Long, Long> serviceAllocated = new HashMap<>();
    private final Map<Long, Long> otherAllocated = new HashMap<>();
    private final Map<Long, Long> rocksdb = new HashMap<>();

    private Snapshot(long process) {
      this.process = process;
    }

    /**
     * What was spent from {@code start} to this snapshot, thread by thread: a thread new since
     * {@code start} counts from zero, a thread that ended in between counts nothing (its time is in
     * the native rest).
     */
    Sample since(Snapshot start) {
      long s = delta(serviceJava, start.serviceJava);
      long m = delta(modelJava, start.modelJava);
      long o = delta(otherJava, start.otherJava);
      long j = delta(jvm, start.jvm);
      double a = delta(serviceAllocated, start.serviceAllocated);
      double b = delta(otherAllocated, start.otherAllocated);
      long js = a + b > 0 ? Math.round(j * a / (a + b)) : j;
      long r = delta(rocksdb, start.rocksdb);
      long p = process - start.process;
      return new Sample(p, s, m, o, j, js, r, p - s - m - o - j - r);
    }

    private static long delta(Map<Long, Long> end, Map<Long, Long> start) {
      long sum = 0;
      for (Map.Entry<Long, Long> e : end.entrySet()) {
        sum += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L));
      }
      return sum;
    }
  }

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ: 100 on Linux

  private final com.sun.management.ThreadMXBean mx =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Predicate<String> service;
  private final Predicate<String> model;

  /**
   * @param service names the service's Java threads
   * @param model names those of them that call the model
   */
  CpuSplit(Predicate<String> service, Predicate<String> model) {
    this.service = service;
    this.model = model;
  }

  /** Every thread's CPU time so far. */
  Snapshot snapshot() {
    Snapshot s =
        new Snapshot(
            ((com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
    long[] ids = mx.getAllThreadIds();
    ThreadInfo[] infos = mx.getThreadInfo(ids, 0);
    Set<String> javaComms = new HashSet<>();
    for (int i = 0; i < ids.length; i++) {
      long cpu = mx.getThreadCpuTime(ids[i]);
      if (infos[i] == null || cpu < 0) {
        continue;
      }
      String name = infos[i].getThreadName();
      javaComms.add(name.length() > 15 ? name.substring(0, 15) : name);
      (model.test(name) ? s.modelJava : service.test(name) ? s.serviceJava : s.otherJava)
          .put(ids[i], cpu);
      long allocated = mx.getThreadAllocatedBytes(ids[i]);
      if (allocated >= 0) {
        (service.test(name) ? s.serviceAllocated : s.otherAllocated).put(ids[i], allocated);
      }
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path t : tasks) {
        try {
          String comm = Files.readString(t.resolve("comm")).strip();
          Map<Long, Long> into =
              javaComms.contains(comm)
                  ? null
                  : ThreadCpu.isJvmThread(comm)
                      ? s.jvm
                      : comm.startsWith("rocksdb") ? s.rocksdb : null;
          if (into != null) {
            into.put(
                Long.parseLong(t.getFileName().toString()),
                ThreadCpu.ticks(Files.readString(t.resolve("stat"))) * TICK_NANOS);
          }
        } catch (IOException | NumberFormatException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      // not Linux: the JVM's and RocksDB's threads count as native
    }
    return s;
  }
}
