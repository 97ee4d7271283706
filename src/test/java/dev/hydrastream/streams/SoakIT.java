package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.testing.ServiceProbe;
import dev.hydrastream.testing.ServiceProbe.Sample;
import dev.hydrastream.util.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak: frames at half the capacity measured in the run for {@code hydra.soak.minutes} (30),
 * the service sampled every 10 s. Its native memory (RSS minus the heap; the heap is fixed and
 * pre-touched, {@code -Xms} = {@code -Xmx} with {@code -XX:+AlwaysPreTouch}, so that difference is
 * exactly the resident memory outside the heap, TensorFlow's and OpenCV's allocations included,
 * which Native Memory Tracking would not see) must stay flat after a warm-up of the first sixth:
 * the median of the last sixth within ±10% of the median of the sixth after the warm-up, no sample
 * beyond ±20% of it; and every frame exactly once at the end. Writes the samples as CSV and the
 * curve as PNG to {@code target/soak/}. Only under {@code -Psoak}.
 */
@Tag("soak")
@Timeout(value = 120, unit = TimeUnit.MINUTES)
class SoakIT {

  private static final double MEDIAN_BOUND = 0.10;
  private static final double SAMPLE_BOUND = 0.20;
  private static final Path OUT = Path.of("target", "soak");

  @Test
  void halfCapacityKeepsNativeMemoryFlat() throws Exception {
    int minutes = Integer.getInteger("hydra.soak.minutes", 30);
    List<String> jvm = List.of("-Xms1500m", "-Xmx1500m", "-XX:+AlwaysPreTouch");
    try (LoadRun run = LoadRun.start("soak", jvm, Duration.ofSeconds(10))) {
      run.phase("warmup");
      run.backlog(100, Duration.ofMinutes(10));
      run.phase("capacity");
      double capacity = run.backlog(300, Duration.ofMinutes(10));
      run.phase("soak");
      LoadRun.Paced paced = run.paced(capacity / 2, Duration.ofMinutes(minutes));
      run.phase("drain");
      double drain = run.drain(Duration.ofMinutes(20));
      run.assertNothingLost();

      List<Sample> soak = run.samples("soak");
      long start = soak.get(0).tMillis();
      long sixth = minutes * 60_000L / 6;
      List<Sample> after = window(soak, start + sixth, Long.MAX_VALUE);
      List<Sample> first = window(soak, start + sixth, start + 2 * sixth);
      List<Sample> last = window(soak, start + 5 * sixth, Long.MAX_VALUE);
      assertThat(first).as("samples in the first window").isNotEmpty();
      assertThat(last).as("samples in the last window").isNotEmpty();
      double firstMedian = median(first, Sample::nativeBytes);
      double lastMedian = median(last, Sample::nativeBytes);
      double change = lastMedian / firstMedian - 1;
      double slope = slopeMbPerHour(after);
      double lo = after.stream().mapToLong(Sample::nativeBytes).min().orElseThrow();
      double hi = after.stream().mapToLong(Sample::nativeBytes).max().orElseThrow();

      Files.createDirectories(OUT);
      List<String> csv = new ArrayList<>(List.of(Sample.csvHeader()));
      run.samples().forEach(s -> csv.add(s.csv()));
      Files.write(OUT.resolve("samples.csv"), csv);
      chart(run.samples(), capacity / 2, minutes);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("capacity_frames_per_s", round(capacity));
      summary.put("input_frames_per_s", round(capacity / 2));
      summary.put("minutes", minutes);
      summary.put("frames_in_soak", paced.frames());
      summary.put("frames_total", run.sent());
      summary.put("native_first_window_median_mb", round(ServiceProbe.mb((long) firstMedian)));
      summary.put("native_last_window_median_mb", round(ServiceProbe.mb((long) lastMedian)));
      summary.put("native_change_pct", round(100 * change));
      summary.put("native_min_mb_after_warmup", round(ServiceProbe.mb((long) lo)));
      summary.put("native_max_mb_after_warmup", round(ServiceProbe.mb((long) hi)));
      summary.put("native_slope_mb_per_hour", round(slope));
      summary.put("rss_peak_mb", round(ServiceProbe.mb(max(run.samples(), Sample::rss))));
      summary.put(
          "heap_used_peak_mb", round(ServiceProbe.mb(max(run.samples(), Sample::heapUsed))));
      summary.put("drain_s", round(drain));
      summary.put("lost", 0);
      summary.put("duplicates", 0);
      summary.put("unanswered_samples", run.sampleErrors());
      LoadRun.writeJson(OUT.resolve("soak.json"), summary);
      System.out.printf(
          Locale.ROOT,
          "soak: capacity C %.1f frames/s, input %.1f frames/s (C/2) for %d min, %d frames; native"
              + " memory (RSS - heap) median %.0f MiB after warm-up, %.0f MiB at the end (%+.1f%%),"
              + " range %.0f-%.0f MiB, slope %+.1f MiB/h; lost 0, duplicates 0; %s%n",
          capacity,
          capacity / 2,
          minutes,
          paced.frames(),
          ServiceProbe.mb((long) firstMedian),
          ServiceProbe.mb((long) lastMedian),
          100 * change,
          ServiceProbe.mb((long) lo),
          ServiceProbe.mb((long) hi),
          slope,
          OUT.resolve("soak.png"));

      assertThat(Math.abs(change))
          .as("native memory: last window's median vs the first's (after warm-up)")
          .isLessThanOrEqualTo(MEDIAN_BOUND);
      assertThat(after)
          .as("every native-memory sample after warm-up within ±20%% of the first window's median")
          .allMatch(s -> Math.abs(s.nativeBytes() / firstMedian - 1) <= SAMPLE_BOUND);
    }
  }

  private static List<Sample> window(List<Sample> samples, long from, long to) {
    return samples.stream().filter(s -> s.tMillis() >= from && s.tMillis() < to).toList();
  }

  private static double median(List<Sample> samples, ToLongFunction<Sample> f) {
    long[] v = samples.stream().mapToLong(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  private static long max(List<Sample> samples, ToLongFunction<Sample> f) {
    return samples.stream().mapToLong(f).max().orElseThrow();
  }

  /** Least-squares slope of native memory over time, in MiB per hour. */
  private static double slopeMbPerHour(List<Sample> samples) {
    double n = samples.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Sample s : samples) {
      double x = s.tMillis() / 3.6e6;
      double y = ServiceProbe.mb(s.nativeBytes());
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  /** RSS, heap used / committed and native memory over the run, in MiB against minutes. */
  private static void chart(List<Sample> samples, double rate, int minutes) throws Exception {
    Charts.LineChart chart =
        Charts.lines(
                1100,
                550,
                String.format(
                    Locale.ROOT,
                    "hydrastream soak: %.1f frames/s (half the measured capacity) for %d min",
                    rate,
                    minutes),
                "minutes since the service was RUNNING",
                "MiB")
            .subtitle("native = RSS - heap committed (heap fixed and pre-touched: -Xms = -Xmx)")
            .yInclude(0, 1);
    double[] t = samples.stream().mapToDouble(s -> s.tMillis() / 60_000.0).toArray();
    List<ToLongFunction<Sample>> curves =
        List.of(Sample::rss, Sample::heapCommitted, Sample::heapUsed, Sample::nativeBytes);
    List<String> names = List.of("RSS", "heap committed", "heap used", "native");
    for (int i = 0; i < curves.size(); i++) {
      ToLongFunction<Sample> f = curves.get(i);
      double[] y = samples.stream().mapToDouble(s -> ServiceProbe.mb(f.applyAsLong(s))).toArray();
      chart.add(new Charts.Line(names.get(i), Charts.color(i), 2f, t, y, false));
    }
    if (!ImageIO.write(chart.render(), "png", OUT.resolve("soak.png").toFile())) {
      throw new IllegalStateException("no PNG writer");
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
