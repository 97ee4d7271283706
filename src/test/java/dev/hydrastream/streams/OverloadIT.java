package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.testing.ReliabilityTest;
import dev.hydrastream.testing.ServiceProbe;
import dev.hydrastream.testing.ServiceProbe.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Overload: the service's sustained capacity C is measured in the run (a 300-frame backlog after a
 * 100-frame warm-up), then frames arrive at 3 x C for {@code hydra.overload.seconds} (60 s). Memory
 * must stay bounded (heap peak well below the maximum; RSS in the last third of the overload no
 * higher than the first third's peak plus 10%: a service that held the growing backlog would grow
 * with it), nothing may be dropped or dead-lettered, no stream thread may die, and the lag must
 * drain afterwards (the drain time is reported). Only under {@code -Preliability}.
 */
@ReliabilityTest
class OverloadIT {

  /** Heap used must stay below this share of the maximum heap. */
  private static final double HEAP_BOUND = 0.9;

  /** RSS in the overload's last third may exceed its first third's peak by at most this share. */
  private static final double RSS_MARGIN = 0.10;

  @Test
  void threeTimesCapacityKeepsMemoryBoundedLosesNothingAndDrains() throws Exception {
    int seconds = Integer.getInteger("hydra.overload.seconds", 60);
    try (LoadRun run = LoadRun.start("overload", List.of("-Xmx1500m"), Duration.ofSeconds(1))) {
      run.phase("warmup");
      run.backlog(100, Duration.ofMinutes(10));
      run.phase("capacity");
      double capacity = run.backlog(300, Duration.ofMinutes(10));
      double rate = 3 * capacity;
      run.phase("overload");
      LoadRun.Paced paced = run.paced(rate, Duration.ofSeconds(seconds));
      run.phase("drain");
      double drain = run.drain(Duration.ofMinutes(20));
      run.assertNothingLost();

      List<Sample> over = run.samples("overload");
      List<Sample> loaded = new java.util.ArrayList<>(over);
      loaded.addAll(run.samples("drain"));
      assertThat(over).as("samples during the overload").hasSizeGreaterThanOrEqualTo(6);
      long heapMax = over.get(0).heapMax();
      long heapPeak = max(loaded, Sample::heapUsed);
      long rssPeak = max(loaded, Sample::rss);
      int third = over.size() / 3;
      long rssFirst = max(over.subList(0, third), Sample::rss);
      long rssLast = max(over.subList(over.size() - third, over.size()), Sample::rss);
      long lagPeak = max(loaded, Sample::lag);

      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("capacity_frames_per_s", round(capacity));
      summary.put("input_frames_per_s", round(rate));
      summary.put("overload_s", seconds);
      summary.put("frames_in_overload", paced.frames());
      summary.put("frames_total", run.sent());
      summary.put("backlog_at_end_of_overload", paced.backlogAtEnd());
      summary.put("lag_peak_records", lagPeak);
      summary.put("heap_peak_mb", round(ServiceProbe.mb(heapPeak)));
      summary.put("heap_max_mb", round(ServiceProbe.mb(heapMax)));
      summary.put("rss_peak_mb", round(ServiceProbe.mb(rssPeak)));
      summary.put("rss_first_third_peak_mb", round(ServiceProbe.mb(rssFirst)));
      summary.put("rss_last_third_peak_mb", round(ServiceProbe.mb(rssLast)));
      summary.put("drain_s", round(drain));
      summary.put("lost", 0);
      summary.put("duplicates", 0);
      summary.put("dead_lettered", 0);
      summary.put("failed_stream_threads", 0);
      summary.put("unanswered_samples", run.sampleErrors());
      LoadRun.writeJson(Path.of("target", "overload.json"), summary);
      System.out.printf(
          Locale.ROOT,
          "overload: capacity C %.1f frames/s, input %.1f frames/s (3 x C) for %d s, %d frames"
              + " (%d in all), backlog at the end %d, heap peak %.0f MiB of %.0f, RSS peak %.0f MiB"
              + " (first third %.0f, last third %.0f), drain %.1f s, lost 0, duplicates 0%n",
          capacity,
          rate,
          seconds,
          paced.frames(),
          run.sent(),
          paced.backlogAtEnd(),
          ServiceProbe.mb(heapPeak),
          ServiceProbe.mb(heapMax),
          ServiceProbe.mb(rssPeak),
          ServiceProbe.mb(rssFirst),
          ServiceProbe.mb(rssLast),
          drain);

      // The input outran the service: otherwise this was no overload.
      assertThat(paced.backlogAtEnd())
          .as("frames without results when the overload ended")
          .isGreaterThan(paced.frames() / 4);
      assertThat(heapPeak).as("heap peak vs max").isLessThan((long) (HEAP_BOUND * heapMax));
      assertThat(rssLast)
          .as("RSS peak of the overload's last third vs its first third's")
          .isLessThanOrEqualTo((long) (rssFirst * (1 + RSS_MARGIN)));
    }
  }

  private static long max(List<Sample> samples, ToLongFunction<Sample> f) {
    return samples.stream().mapToLong(f).max().orElseThrow();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
