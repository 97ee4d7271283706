package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.ResultsReader;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.TopicAdmin;
import dev.hydrastream.streams.Topics;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the metrics cost: the same pipeline (embedded broker, exactly-once, batching) twice in one
 * JVM, one service with {@code metrics.enabled=true} (every stage timed, counters, the watched
 * producer, Kafka's metrics bridged, and {@code /metrics} rendered every second, more often than
 * Prometheus scrapes), one with {@code false}. Each processes a warm-up backlog; then, in each
 * round, both are paused, a backlog is produced for each, and they drain it one after the other
 * (the order alternates), so each round yields its own on/off throughput ratio; the median of the
 * per-round ratios is reported.
 */
public final class MetricsCostBench {

  /**
   * The settings of a run.
   *
   * @param threads stream threads of each service
   * @param backlog frames per drain
   * @param warmup frames each service processes before the first round
   * @param rounds paired on/off drains
   * @param overrides service settings of both services
   */
  public record Options(
      int threads, int backlog, int warmup, int rounds, Map<String, String> overrides) {}

  /**
   * Everything one run measured: what {@code bench metrics} reports.
   *
   * @param onFps throughput with metrics, per round
   * @param offFps throughput without metrics, per round
   * @param onOverOffPerRound on / off per round
   * @param onOverOff the median of {@code onOverOffPerRound}
   * @param scrapes times the registry was rendered during the run
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine,
      String model,
      Map<String, String> settings,
      int streamThreads,
      int frames,
      int warmupFrames,
      double onMedianFps,
      double offMedianFps,
      double onOverOff,
      double[] onFps,
      double[] offFps,
      double[] onOverOffPerRound,
      long scrapes) {}

  private MetricsCostBench() {}

  /** Runs the benchmark and writes {@code metrics.json} into {@code out}. */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    Report r = Reports.inScratch("hydra-bench-metrics", work -> measure(modelDir, o, work));
    Reports.write(out, "metrics", r);
    return r;
  }

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    int backlog = o.backlog();
    int warmup = o.warmup();
    List<SimFrame> frames = PipelineBench.frames(16);
    Settings base = PipelineBench.base(modelDir, o.overrides());
    double[] on = new double[o.rounds()];
    double[] off = new double[o.rounds()];
    long[] scrapes = {0};
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Settings sOn = PipelineBench.settings(base, bootstrap, "on", o.threads(), work);
      Settings sOff = PipelineBench.settings(base, bootstrap, "off", o.threads(), work);
      Topics tOn = new Topics("on.");
      Topics tOff = new Topics("off.");
      TopicAdmin.createServiceTopics(sOn);
      TopicAdmin.createServiceTopics(sOff);
      PipelineBench.produceBacklog(bootstrap, tOn, frames, 0, warmup);
      PipelineBench.produceBacklog(bootstrap, tOff, frames, 0, warmup);
      try (PerceptionService withMetrics = PerceptionService.create(sOn, ServiceMetrics.create());
          PerceptionService without = PerceptionService.create(sOff, ServiceMetrics.disabled());
          ResultsReader rOn = new ResultsReader(bootstrap, tOn, "reader-on");
          ResultsReader rOff = new ResultsReader(bootstrap, tOff, "reader-off")) {
        Thread scraper = scraper(withMetrics.metrics(), scrapes);
        try {
          withMetrics.start(Duration.ofSeconds(120));
          PipelineBench.rate(rOn, tOn, 0, warmup, Duration.ofMinutes(5));
          withMetrics.streams().pause();
          without.start(Duration.ofSeconds(120));
          PipelineBench.rate(rOff, tOff, 0, warmup, Duration.ofMinutes(5));
          without.streams().pause();
          int done = warmup;
          for (int r = 0; r < o.rounds(); r++) {
            PipelineBench.produceBacklog(bootstrap, tOn, frames, done, backlog);
            PipelineBench.produceBacklog(bootstrap, tOff, frames, done, backlog);
            boolean onFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
              boolean isOn = (k == 0) == onFirst;
              PerceptionService s = isOn ? withMetrics : without;
              s.streams().resume();
              double fps =
                  PipelineBench.rate(
                      isOn ? rOn : rOff, isOn ? tOn : tOff, done, backlog, Duration.ofMinutes(5));
              s.streams().pause();
              (isOn ? on : off)[r] = fps;
            }
            done += backlog;
          }
        } finally {
          scraper.interrupt();
        }
      }
    }
    double[] ratios = Paired.ratios(on, off);
    return new Report(
        Reports.machine(),
        modelDir.toString(),
        o.overrides(),
        o.threads(),
        backlog,
        warmup,
        Paired.median(on),
        Paired.median(off),
        Paired.median(ratios),
        on,
        off,
        ratios,
        scrapes[0]);
  }

  /** Renders the registry once a second, as a (frequent) Prometheus scrape would. */
  private static Thread scraper(ServiceMetrics metrics, long[] count) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  Thread.sleep(1000);
                  metrics.scrape(OutputStream.nullOutputStream());
                  count[0]++;
                }
              } catch (InterruptedException e) {
                // done
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            "bench-scraper");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
