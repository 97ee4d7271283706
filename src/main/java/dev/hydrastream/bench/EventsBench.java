package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.ResultsReader;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.schema.Gear;
import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.TopicAdmin;
import dev.hydrastream.streams.Topics;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the telemetry join and the alert rules cost the service: CPU seconds per frame of the same
 * frames through two instances of the service in one process and one embedded broker, one without
 * the event stages ({@code telemetry.enabled=false}) and one with them (two telemetry records per
 * frame, as 10 Hz telemetry with 5 fps cameras gives). Both run side by side, paused in turn: in
 * each round a backlog of frames (and their vehicles' telemetry) is produced for one instance while
 * both are paused, then that instance alone resumes and the process CPU time is taken from the
 * resume until its last record is read (the fused result without the join, the event with it). The
 * order alternates between rounds; the reported overhead is the median of the per-round ratios, so
 * a shared machine's drift cancels within each pair. The process CPU includes the broker and the
 * results reader, which both instances have.
 */
public final class EventsBench {

  /**
   * @param backlog frames per measurement, and per instance before the first
   * @param rounds paired measurements
   * @param overrides service settings of both instances (e.g. stream.threads)
   */
  public record Options(int backlog, int rounds, Map<String, String> overrides) {}

  /**
   * @param cpuMsPerFrameWithout process CPU ms per frame without the event stages, per round
   * @param cpuMsPerFrameWith the same with them, per round
   * @param overheadPerRound with / without - 1, per round
   * @param overhead the median of {@code overheadPerRound}
   * @param loadAverage the machine's 1-minute load average at the start of each round
   * @param jvmCpuMsPerFrameWithout CPU ms per frame of the JVM's threads (Kafka, broker, our Java;
   *     not TensorFlow's native threads, whose identical work is most of the noise) without the
   *     event stages, per round
   * @param jvmCpuMsPerFrameWith the same with them
   * @param addedShare (JVM CPU with - JVM CPU without) / process CPU without, per round: what the
   *     event stages add, over what a frame costs the service
   * @param addedShareMedian the median of {@code addedShare}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine,
      String model,
      int streamThreads,
      int frames,
      int rounds,
      double[] cpuMsPerFrameWithout,
      double[] cpuMsPerFrameWith,
      double[] overheadPerRound,
      double cpuMsPerFrameWithoutMedian,
      double cpuMsPerFrameWithMedian,
      double overhead,
      double overheadMin,
      double overheadMax,
      double[] loadAverage,
      double[] jvmCpuMsPerFrameWithout,
      double[] jvmCpuMsPerFrameWith,
      double[] addedShare,
      double addedShareMedian,
      Map<String, Long> eventsByTelemetryStatus,
      Map<String, Long> alertsByRule) {}

  /** Vehicles of the bench's frames (8 cameras, one vehicle each). */
  private static final int VEHICLES = 8;

  private EventsBench() {}

  /** Runs the benchmark and writes {@code events.json} into {@code out}. */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    Report r = Reports.inScratch("hydra-bench-events", work -> measure(modelDir, o, work));
    Reports.write(out, "events", r);
    return r;
  }

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    List<SimFrame> frames = PipelineBench.frames(16);
    Settings base = PipelineBench.base(modelDir, o.overrides());
    double[] without = new double[o.rounds()];
    double[] with = new double[o.rounds()];
    double[] load = new double[o.rounds()];
    double[] jvmWithout = new double[o.rounds()];
    double[] jvmWith = new double[o.rounds()];
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Instance off = new Instance(base, bootstrap, "off", false, work);
      Instance on = new Instance(base, bootstrap, "on", true, work);
      try (off;
          on) {
        off.run(frames, o.backlog());
        on.run(frames, o.backlog());
        for (int r = 0; r < o.rounds(); r++) {
          load[r] = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
          boolean offFirst = r % 2 == 0;
          double[] a = (offFirst ? off : on).run(frames, o.backlog());
          double[] b = (offFirst ? on : off).run(frames, o.backlog());
          without[r] = (offFirst ? a : b)[0];
          with[r] = (offFirst ? b : a)[0];
          jvmWithout[r] = (offFirst ? a : b)[1];
          jvmWith[r] = (offFirst ? b : a)[1];
        }
        double[] overhead = Paired.ratios(with, without);
        for (int i = 0; i < overhead.length; i++) {
          overhead[i] -= 1;
        }
        double[] added = new double[o.rounds()];
        for (int i = 0; i < added.length; i++) {
          added[i] = (jvmWith[i] - jvmWithout[i]) / without[i];
        }
        ResultsReader.Summary s = on.reader.summary();
        return new Report(
            Reports.machine(),
            modelDir.toString(),
            base.getInt(Settings.STREAM_THREADS),
            o.backlog(),
            o.rounds(),
            without,
            with,
            overhead,
            Paired.median(without),
            Paired.median(with),
            Paired.median(overhead),
            java.util.Arrays.stream(overhead).min().orElse(Double.NaN),
            java.util.Arrays.stream(overhead).max().orElse(Double.NaN),
            load,
            jvmWithout,
            jvmWith,
            added,
            Paired.median(added),
            s.telemetryStatus(),
            s.alertsByRule());
      }
    }
  }

  /** One instance of the service, its topics and its results reader. */
  private static final class Instance implements AutoCloseable {
    final Topics topics;
    final PerceptionService service;
    final ResultsReader reader;
    final String bootstrap;
    final boolean events;
    int done;

    Instance(Settings base, String bootstrap, String name, boolean events, Path work)
        throws Exception {
      Settings s =
          PipelineBench.settings(
                  base, bootstrap, "events-" + name, base.getInt(Settings.STREAM_THREADS), work)
              .with(Map.of(Settings.TELEMETRY_ENABLED, String.valueOf(events)));
      this.topics = new Topics("events-" + name + ".");
      this.bootstrap = bootstrap;
      this.events = events;
      TopicAdmin.createServiceTopics(s);
      this.service = PerceptionService.create(s).start(Duration.ofSeconds(120));
      service.streams().pause();
      this.reader = new ResultsReader(bootstrap, topics, "reader-" + name);
    }

    /**
     * Produces {@code count} frames (and, with events, their vehicles' telemetry) while paused,
     * resumes, and returns the process and the JVM threads' CPU milliseconds per frame until the
     * last one is read.
     */
    double[] run(List<SimFrame> frames, int count) throws InterruptedException {
      long now = System.currentTimeMillis();
      PipelineBench.produceBacklog(bootstrap, topics, frames, done, count);
      if (events) {
        // two telemetry records per frame, as 10 Hz telemetry with 5 fps cameras gives
        telemetry(frames, now - 500, now - 500 + (2L * count / VEHICLES) * 100);
      }
      long cpu0 = cpuNanos();
      long jvm0 = jvmThreadsCpuNanos();
      service.streams().resume();
      String last = events ? topics.events().name() : topics.frames().name();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (reader.distinctFrames(last) < done + count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only " + reader.distinctFrames(last) + " of " + (done + count) + " on " + last);
        }
        Thread.sleep(5);
      }
      long cpu = cpuNanos() - cpu0;
      long jvm = jvmThreadsCpuNanos() - jvm0;
      service.streams().pause();
      done += count;
      return new double[] {cpu / 1e6 / count, jvm / 1e6 / count};
    }

    /** 10 Hz of telemetry of every vehicle of {@code frames} over [from, to). */
    private void telemetry(List<SimFrame> frames, long from, long to) {
      Set<String> vehicles = new TreeSet<>();
      frames.forEach(f -> vehicles.add(f.vehicleId()));
      try (FrameProducer p =
          new FrameProducer(
              bootstrap, topics.cameraFrames().name(), FrameProducer.Format.AVRO, Map.of())) {
        for (long t = from; t < to; t += 100) {
          for (String v : vehicles) {
            p.sendTelemetry(
                topics.telemetry().name(),
                VehicleTelemetry.newBuilder()
                    .setVehicleId(v)
                    .setTimestamp(Instant.ofEpochMilli(t))
                    .setSpeedMps(10)
                    .setAccelerationMps2(0)
                    .setYawRateDps(0)
                    .setHeadingDeg(0)
                    .setBrake(0)
                    .setSteeringAngleDeg(0)
                    .setGear(Gear.DRIVE)
                    .build());
          }
        }
        p.flush();
      }
    }

    @Override
    public void close() {
      reader.close();
      service.close();
    }
  }

  /** CPU time of the JVM's live threads (threads that end within a window lose theirs). */
  private static long jvmThreadsCpuNanos() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : mx.getAllThreadIds()) {
      long t = mx.getThreadCpuTime(id);
      sum += Math.max(0, t);
    }
    return sum;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
