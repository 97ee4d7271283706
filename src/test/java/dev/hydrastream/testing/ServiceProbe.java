package dev.hydrastream.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link ServiceProcess} shows from outside at one instant, for the overload and soak tests:
 * its resident memory from {@code /proc/<pid>/status} and, from its own {@code /metrics}, heap used
 * / committed / max, the consumer lag on its input and its stream threads.
 */
public final class ServiceProbe {

  /** One sample; memory in bytes, {@code tMillis} since the probe was made. */
  public record Sample(
      long tMillis,
      String phase,
      long rss,
      long heapUsed,
      long heapCommitted,
      long heapMax,
      long lag,
      int aliveThreads,
      int failedThreads) {

    /** Resident memory that is not the Java heap: RSS minus heap committed. */
    public long nativeBytes() {
      return rss - heapCommitted;
    }

    /** CSV header of {@link #csv()}. */
    public static String csvHeader() {
      return "t_s,phase,rss_mb,heap_used_mb,heap_committed_mb,heap_max_mb,native_mb,lag_records,"
          + "alive_stream_threads,failed_stream_threads";
    }

    /** This sample as a CSV line, memory in MiB. */
    public String csv() {
      return String.format(
          Locale.ROOT,
          "%.1f,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d",
          tMillis / 1e3,
          phase,
          mb(rss),
          mb(heapUsed),
          mb(heapCommitted),
          mb(heapMax),
          mb(nativeBytes()),
          lag,
          aliveThreads,
          failedThreads);
    }
  }

  private final ServiceProcess service;
  private final long t0 = System.nanoTime();

  public ServiceProbe(ServiceProcess service) {
    this.service = service;
  }

  /** Samples the service now, the sample tagged with {@code phase}. */
  public Sample sample(String phase) throws IOException, InterruptedException {
    long rss = rss(service.pid());
    Http.Response r = Http.get(service.url() + "metrics");
    if (r.status() != 200) {
      throw new IOException("/metrics answered " + r.status());
    }
    List<String> lines = r.body().lines().filter(l -> !l.startsWith("#")).toList();
    return new Sample(
        (System.nanoTime() - t0) / 1_000_000,
        phase,
        rss,
        (long) sum(lines, "jvm_memory_used_bytes{", "area=\"heap\""),
        (long) sum(lines, "jvm_memory_committed_bytes{", "area=\"heap\""),
        (long) sum(lines, "jvm_memory_max_bytes{", "area=\"heap\""),
        (long) sum(lines, "hydrastream_kafka_consumer_records_lag{", ""),
        (int) sum(lines, "hydrastream_kafka_streams_alive_stream_threads", ""),
        (int) sum(lines, "hydrastream_kafka_streams_failed_stream_threads", ""));
  }

  /** Sum of the samples whose name and labels start with {@code prefix} and contain {@code has}. */
  static double sum(List<String> lines, String prefix, String has) {
    double total = 0;
    for (String l : lines) {
      if (l.startsWith(prefix) && l.contains(has)) {
        String v = l.substring(l.lastIndexOf(' ') + 1);
        if (!v.equals("NaN")) {
          total += Double.parseDouble(v);
        }
      }
    }
    return total;
  }

  /** VmRSS of process {@code pid}, in bytes. */
  public static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.trim().split("\\s+"); // VmRSS:  123456 kB
        return Long.parseLong(f[1]) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }

  /** Bytes to MiB. */
  public static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
