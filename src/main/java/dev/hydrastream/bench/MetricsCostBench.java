package dev.hydrastream.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the metrics cost: the service as operators run it ({@code hydrastream run}), twice, each in
 * a JVM of its own ({@link ServiceChild}: its own heap, JIT, GC and TensorFlow thread pools), on
 * one embedded broker: one with {@code metrics.enabled=true} (every stage timed, counters, the
 * watched producer, Kafka's metrics bridged), one with {@code false}; both are scraped over HTTP
 * once a second, more often than Prometheus does. After a warm-up, each round gives each service
 * the same backlog in turn (the order alternates, so the sequence is ABBA ABBA ...); the idle one
 * has no input. A drain's throughput is timed by the broker: the results' log-append times (on a
 * result topic nothing reads back), from the result after the first tenth of the drain to the last,
 * so neither the reader's polling nor the producer writing the backlog is on the clock. The process
 * CPU each service used per frame in the drain is reported too: unlike throughput, it hardly moves
 * when other work on the machine takes cores away. Each round yields its own on/off ratios; the
 * medians are reported with a distribution-free 95% interval. With {@code sameArms} both services
 * run without metrics (an A/A run): its interval is the method's own noise.
 */
public final class MetricsCostBench {

  /** Confidence of the reported intervals. */
  static final double LEVEL = 0.95;

  /**
   * The settings of a run.
   *
   * @param backlog stream threads of each service, frames per drain, frames each service processes
   *     before the first round, and paired on/off drains
   * @param sameArms both services without metrics (A/A: the method's own noise)
   * @param offFirst start (and scrape) the service without metrics first, to check that the
   *     position of a service does not favour it
   * @param overrides service settings of both services
   */
  public record Options(
      Backlog backlog, boolean sameArms, boolean offFirst, Map<String, String> overrides) {}

  /**
   * A median of per-round ratios and its interval.
   *
   * @param median the median ratio
   * @param low lower end of the interval
   * @param high upper end of the interval
   * @param confidence probability that the interval holds the true median
   * @param perRound the ratio of each round
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Ratio(
      double median, double low, double high, double confidence, double[] perRound) {

    static Ratio of(double[] perRound) {
      Paired.Interval i = Paired.medianInterval(perRound, LEVEL);
      return new Ratio(Paired.median(perRound), i.low(), i.high(), i.confidence(), perRound);
    }
  }

  /**
   * Everything one run measured: what {@code bench metrics} reports.
   *
   * @param run the machine, its load before and after, the model ({@link LoadedRun})
   * @param arms {@code on/off}, or {@code off/off} for an A/A run
   * @param startedFirst the service started and scraped first ({@code on} or {@code off})
   * @param onFps throughput of the service with metrics, per round (frames/s)
   * @param offFps throughput without metrics, per round
   * @param onOverOff throughput on / off: the bar (within 3% means a median of at least 0.97)
   * @param onCpuMsPerFrame process CPU per frame with metrics, per round
   * @param offCpuMsPerFrame process CPU per frame without metrics, per round
   * @param cpuOnOverOff CPU per frame on / off (1.03 = the metrics cost 3% more CPU)
   * @param scrapes times each service's {@code /metrics} was fetched
   * @param scrapeMs median wall time of a scrape of the service with metrics
   * @param scrapeBytes size of its last exposition
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      @JsonUnwrapped LoadedRun run,
      Map<String, String> settings,
      String arms,
      String startedFirst,
      int streamThreads,
      int frames,
      int warmupFrames,
      double onMedianFps,
      double offMedianFps,
      Ratio onOverOff,
      double onMedianCpuMsPerFrame,
      double offMedianCpuMsPerFrame,
      Ratio cpuOnOverOff,
      double[] onFps,
      double[] offFps,
      double[] onCpuMsPerFrame,
      double[] offCpuMsPerFrame,
      long scrapes,
      double scrapeMs,
      long scrapeBytes) {}

  private MetricsCostBench() {}

  /** Runs the benchmark and writes {@code metrics.json} into {@code out}. */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    return Reports.measureAndWrite("metrics", out, work -> measure(modelDir, o, work));
  }

  /** One service under test: its process, topics and the clock on its results. */
  private record Arm(ServiceChild child, Topics topics, AppendTimes results) {}

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    String loadBefore = CapacityBench.loadAverage();
    int backlog = o.backlog().frames();
    List<SimFrame> frames = PipelineBench.frames(16);
    Settings base = PipelineBench.base(modelDir, o.overrides());
    double[][] fps = new double[2][o.backlog().rounds()];
    double[][] cpu = new double[2][o.backlog().rounds()];
    Scraper scraper;
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      List<Arm> started = new ArrayList<>();
      try {
        for (boolean isOn :
            o.offFirst() ? new boolean[] {false, true} : new boolean[] {true, false}) {
          started.add(arm(base, bootstrap, isOn ? "on" : "off", isOn, o, work));
        }
        List<Arm> arms = o.offFirst() ? List.of(started.get(1), started.get(0)) : started;
        scraper =
            new Scraper(
                arms.get(0).child().url(),
                started.get(0).child().url(),
                started.get(1).child().url());
        try {
          for (Arm a : arms) {
            drain(a, bootstrap, frames, 0, o.backlog().warmup());
          }
          int done = o.backlog().warmup();
          for (int r = 0; r < o.backlog().rounds(); r++) {
            boolean onFirst = r % 2 == 0;
            for (int k = 0; k < 2; k++) {
              int which = (k == 0) == onFirst ? 0 : 1;
              double[] m = drain(arms.get(which), bootstrap, frames, done, backlog);
              fps[which][r] = m[0];
              cpu[which][r] = m[1];
            }
            done += backlog;
          }
        } finally {
          scraper.close();
        }
      } finally {
        for (Arm a : started) {
          a.results().close();
          a.child().close();
        }
      }
    }
    return new Report(
        LoadedRun.endingNow(modelDir, loadBefore),
        o.overrides(),
        o.sameArms() ? "off/off" : "on/off",
        o.offFirst() ? "off" : "on",
        o.backlog().threads(),
        backlog,
        o.backlog().warmup(),
        Paired.median(fps[0]),
        Paired.median(fps[1]),
        Ratio.of(Paired.ratios(fps[0], fps[1])),
        Paired.median(cpu[0]),
        Paired.median(cpu[1]),
        Ratio.of(Paired.ratios(cpu[0], cpu[1])),
        fps[0],
        fps[1],
        cpu[0],
        cpu[1],
        scraper.count(),
        scraper.medianMillis(),
        scraper.lastBytes());
  }

  /** Creates a service's topics and starts it, {@code metrics} on unless an A/A run. */
  private static Arm arm(
      Settings base, String bootstrap, String name, boolean metrics, Options o, Path work)
      throws Exception {
    Settings s =
        PipelineBench.settings(base, bootstrap, name, o.backlog().threads(), work)
            .with(
                Map.of(
                    Settings.HTTP_PORT,
                    "0",
                    Settings.METRICS_ENABLED,
                    String.valueOf(metrics && !o.sameArms())));
    Topics topics = Topics.of(s);
    ServiceChild child = ServiceChild.start(s, name, work, ServiceChild.JVM_OPTIONS);
    // no frames yet: the results to come are stamped with their append time
    String timed = topics.scene().name();
    appendTime(bootstrap, timed);
    return new Arm(child, topics, new AppendTimes(bootstrap, timed));
  }

  /**
   * Gives {@code arm} frames {@code from .. from + count - 1} and waits for their results; returns
   * its throughput (frames/s, by the broker's clock, after the first tenth) and process CPU per
   * frame (ms).
   */
  private static double[] drain(
      Arm arm, String bootstrap, List<SimFrame> frames, int from, int count)
      throws InterruptedException {
    long cpu0 = arm.child().cpu().toNanos();
    PipelineBench.produceBacklog(bootstrap, arm.topics(), frames, from, count);
    long[] t = arm.results().await(from + count, Duration.ofMinutes(5));
    long cpu1 = arm.child().cpu().toNanos();
    return new double[] {fps(t, from, count), (cpu1 - cpu0) / 1e6 / count};
  }

  /**
   * Frames/s of the drain of results {@code from .. from + count - 1} by their append times
   * (milliseconds): from the first result after the first tenth of the drain to the last.
   */
  static double fps(long[] appendTimes, int from, int count) {
    long[] drained = Arrays.copyOfRange(appendTimes, from + count / 10, from + count);
    Arrays.sort(drained);
    if (drained.length < 2 || drained[drained.length - 1] == drained[0]) {
      throw new IllegalStateException(
          "a drain of " + count + " results is too short to time: append times " + drained.length);
    }
    return (drained.length - 1) / ((drained[drained.length - 1] - drained[0]) / 1e3);
  }

  /** Makes the broker stamp {@code topic}'s records with their append time. */
  private static void appendTime(String bootstrap, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      AlterConfigOp op =
          new AlterConfigOp(
              new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"),
              AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(r, List.<AlterConfigOp>of(op))).all().get();
    }
  }

  /** Reads one result topic (read_committed) and keeps every record's timestamp, in read order. */
  private static final class AppendTimes implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private final List<Long> times = new ArrayList<>();

    AppendTimes(String bootstrap, String topic) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-clock-" + topic);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(topic));
      thread = new Thread(this::loop, "hydra-bench-clock-" + topic);
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      while (!stop.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          synchronized (this) {
            times.add(r.timestamp());
            notifyAll();
          }
        }
      }
      consumer.close(Duration.ofSeconds(5));
    }

    /** Waits until {@code n} records were read; returns their timestamps. */
    synchronized long[] await(int n, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (times.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "only " + times.size() + " of " + n + " results within " + timeout);
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return times.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }
  }

  /** Fetches each service's {@code /metrics} once a second, as a (frequent) Prometheus would. */
  private static final class Scraper implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String measured;
    private final List<String> urls;
    private final List<Double> millis = new ArrayList<>();
    private final Thread thread;
    private volatile long count;
    private volatile long lastBytes;

    /** Scrapes {@code urls} in this order and times the scrapes of {@code measured}. */
    Scraper(String measured, String... urls) {
      this.measured = measured;
      this.urls = List.of(urls);
      thread = new Thread(this::loop, "hydra-bench-scraper");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop() {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(1000);
          for (int i = 0; i < urls.size(); i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r =
                http.send(
                    HttpRequest.newBuilder(URI.create(urls.get(i) + "metrics"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (urls.get(i).equals(measured)) {
              synchronized (this) {
                millis.add((System.nanoTime() - t0) / 1e6);
              }
              lastBytes = r.body().length;
            }
          }
          count++;
        }
      } catch (InterruptedException e) {
        // done
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    long count() {
      return count;
    }

    long lastBytes() {
      return lastBytes;
    }

    synchronized double medianMillis() {
      return millis.isEmpty() ? Double.NaN : Paired.median(toArray(millis));
    }

    private static double[] toArray(Collection<Double> v) {
      return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(10_000);
    }
  }
}
