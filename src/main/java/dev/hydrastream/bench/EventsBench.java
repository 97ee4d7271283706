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
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.topics.Topics;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What the telemetry join and the alert rules cost the service: CPU seconds per frame of the same
 * frames through two instances of the service in one process and one embedded broker, one without
 * the event stages ({@code telemetry.enabled=false}) and one with them (two telemetry records per
 * frame, as 10 Hz telemetry with 5 fps cameras gives). Both run side by side, paused in turn: in
 * each round a backlog of frames (and their vehicles' telemetry) is produced for one instance while
 * both are paused, then that instance alone resumes and CPU time is taken from the resume until its
 * last record is read (the fused result without the join, the event with it). The order alternates
 * between rounds (ABBA over each two), and every figure is a median of per-round ratios, so a
 * shared machine's drift cancels within each pair.
 *
 * <p>Three figures, from the least to the most resolved ({@link CpuSplit}): the process's CPU
 * (which includes the embedded broker and the bench's own clients); the service's CPU (the process
 * minus the broker's and the bench's Java threads); and the event stages' cost: what the service
 * spends outside the model (its stream threads and Kafka clients, its share of GC and JIT by the
 * bytes it allocated, RocksDB's threads) with minus without, over the service's whole CPU per frame
 * without. The model (the batching threads that call it and TensorFlow's native threads) does the
 * same work in both arms (same frames, same model) but its CPU time swings by ±20% under
 * contention; the last figure keeps that swing out of the difference, where it would drown a 10%
 * bar, and leaves it only in the denominator. Each median comes with a 90% bootstrap interval over
 * the rounds.
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
   * @param overheadCi90 its 90% bootstrap interval
   * @param loadAverage the machine's 1-minute load average at the start of each round
   * @param jvmCpuMsPerFrameWithout CPU ms per frame of the JVM's Java threads (Kafka, broker, our
   *     Java; not TensorFlow's native threads) without the event stages, per round
   * @param jvmCpuMsPerFrameWith the same with them
   * @param addedShare (JVM CPU with - JVM CPU without) / process CPU without, per round
   * @param addedShareMedian the median of {@code addedShare}
   * @param serviceMsPerFrameWithout the service's CPU ms per frame (the process minus the broker's
   *     and the bench's Java threads) without the event stages, per round
   * @param serviceMsPerFrameWith the same with them
   * @param serviceOverhead the median of the per-round service with / without - 1
   * @param serviceOverheadCi90 its 90% bootstrap interval
   * @param modelMsPerFrameWithout CPU ms per frame of the model: the batching threads that call it
   *     and TensorFlow's native threads, without, per round
   * @param modelMsPerFrameWith the same with the event stages: the same work, so with / without
   *     scatters around 1 by the machine's noise alone
   * @param modelRatioMedian the median of the per-round model with / without
   * @param eventsCostPerRound (service CPU outside the model with - without) / service CPU without,
   *     per round: what the event stages add to a frame's cost
   * @param eventsCost the median of {@code eventsCostPerRound}: the join-cost bar's figure
   * @param eventsCostCi90 its 90% bootstrap interval
   * @param msPerFrameByPart per part of the process ({@code service_java}: stream threads and Kafka
   *     clients; {@code jvm}: GC and JIT; {@code jvm_of_service}: the service's share of it by the
   *     bytes allocated; {@code rocksdb}; {@code model_java}: the threads calling the model; {@code
   *     tensorflow}; {@code broker_and_bench}), the median CPU ms per frame {without, with}
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
      double[] overheadCi90,
      double[] loadAverage,
      double[] jvmCpuMsPerFrameWithout,
      double[] jvmCpuMsPerFrameWith,
      double[] addedShare,
      double addedShareMedian,
      double[] serviceMsPerFrameWithout,
      double[] serviceMsPerFrameWith,
      double serviceOverhead,
      double[] serviceOverheadCi90,
      double[] modelMsPerFrameWithout,
      double[] modelMsPerFrameWith,
      double modelRatioMedian,
      double[] eventsCostPerRound,
      double eventsCost,
      double[] eventsCostCi90,
      Map<String, double[]> msPerFrameByPart,
      Map<String, Long> eventsByTelemetryStatus,
      Map<String, Long> alertsByRule) {}

  /**
   * Unmeasured runs of each instance before the rounds: JIT compilation, the first model calls and
   * the stores' first writes happen there.
   */
  private static final int WARM_UP = 2;

  /** Vehicles of the bench's frames (8 cameras, one vehicle each). */
  private static final int VEHICLES = 8;

  private EventsBench() {}

  /** Runs the benchmark and writes {@code events.json} into {@code out}. */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    return Reports.measureAndWrite("events", out, work -> measure(modelDir, o, work));
  }

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    List<SimFrame> frames = PipelineBench.frames(16);
    Settings base = PipelineBench.base(modelDir, o.overrides());
    CpuSplit.Sample[] without = new CpuSplit.Sample[o.rounds()];
    CpuSplit.Sample[] with = new CpuSplit.Sample[o.rounds()];
    double[] load = new double[o.rounds()];
    // the service's Java threads: stream threads and clients (named after the application id,
    // "bench-events-on" / "-off") and the batching threads, which call the model
    Predicate<String> model = name -> name.startsWith("hydra-batcher-");
    CpuSplit cpu = new CpuSplit(name -> name.contains("bench-events-") || model.test(name), model);
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Instance off = new Instance(base, bootstrap, "off", false, work, cpu);
      Instance on = new Instance(base, bootstrap, "on", true, work, cpu);
      try (off;
          on) {
        for (int w = 0; w < WARM_UP; w++) {
          off.run(frames, o.backlog());
          on.run(frames, o.backlog());
        }
        for (int r = 0; r < o.rounds(); r++) {
          load[r] = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
          boolean offFirst = r % 2 == 0;
          CpuSplit.Sample a = (offFirst ? off : on).run(frames, o.backlog());
          CpuSplit.Sample b = (offFirst ? on : off).run(frames, o.backlog());
          without[r] = offFirst ? a : b;
          with[r] = offFirst ? b : a;
        }
        return report(modelDir, base, o, without, with, load, on.reader.summary());
      }
    }
  }

  private static Report report(
      Path modelDir,
      Settings base,
      Options o,
      CpuSplit.Sample[] without,
      CpuSplit.Sample[] with,
      double[] load,
      ResultsReader.Summary s) {
    int n = o.backlog();
    double[] pWithout = perFrame(without, CpuSplit.Sample::process, n);
    double[] pWith = perFrame(with, CpuSplit.Sample::process, n);
    double[] overhead = minusOne(Paired.ratios(pWith, pWithout));
    ToLongFunction<CpuSplit.Sample> java = x -> x.serviceJava() + x.otherJava();
    double[] jvmWithout = perFrame(without, java, n);
    double[] jvmWith = perFrame(with, java, n);
    double[] added = new double[o.rounds()];
    double[] sWithout = perFrame(without, CpuSplit.Sample::service, n);
    double[] sWith = perFrame(with, CpuSplit.Sample::service, n);
    double[] nWithout = perFrame(without, CpuSplit.Sample::serviceWithoutModel, n);
    double[] nWith = perFrame(with, CpuSplit.Sample::serviceWithoutModel, n);
    double[] cost = new double[o.rounds()];
    for (int i = 0; i < o.rounds(); i++) {
      added[i] = (jvmWith[i] - jvmWithout[i]) / pWithout[i];
      cost[i] = (nWith[i] - nWithout[i]) / sWithout[i];
    }
    double[] serviceOverhead = minusOne(Paired.ratios(sWith, sWithout));
    double[] modelWithout = perFrame(without, CpuSplit.Sample::model, n);
    double[] modelWith = perFrame(with, CpuSplit.Sample::model, n);
    Map<String, double[]> parts = new LinkedHashMap<>();
    parts.put("service_java", medians(without, with, CpuSplit.Sample::serviceJava, n));
    parts.put("jvm", medians(without, with, CpuSplit.Sample::jvm, n));
    parts.put("jvm_of_service", medians(without, with, CpuSplit.Sample::jvmOfService, n));
    parts.put("rocksdb", medians(without, with, CpuSplit.Sample::rocksdb, n));
    parts.put("model_java", medians(without, with, CpuSplit.Sample::modelJava, n));
    parts.put("tensorflow", medians(without, with, CpuSplit.Sample::nativeRest, n));
    parts.put("broker_and_bench", medians(without, with, CpuSplit.Sample::otherJava, n));
    return new Report(
        Reports.machine(),
        modelDir.toString(),
        base.getInt(Settings.STREAM_THREADS),
        n,
        o.rounds(),
        pWithout,
        pWith,
        overhead,
        Paired.median(pWithout),
        Paired.median(pWith),
        Paired.median(overhead),
        Arrays.stream(overhead).min().orElse(Double.NaN),
        Arrays.stream(overhead).max().orElse(Double.NaN),
        ci(overhead),
        load,
        jvmWithout,
        jvmWith,
        added,
        Paired.median(added),
        sWithout,
        sWith,
        Paired.median(serviceOverhead),
        ci(serviceOverhead),
        modelWithout,
        modelWith,
        Paired.median(Paired.ratios(modelWith, modelWithout)),
        cost,
        Paired.median(cost),
        ci(cost),
        parts,
        s.telemetryStatus(),
        s.alertsByRule());
  }

  private static double[] perFrame(CpuSplit.Sample[] v, ToLongFunction<CpuSplit.Sample> f, int n) {
    return Arrays.stream(v).mapToDouble(x -> f.applyAsLong(x) / 1e6 / n).toArray();
  }

  private static double[] medians(
      CpuSplit.Sample[] without, CpuSplit.Sample[] with, ToLongFunction<CpuSplit.Sample> f, int n) {
    return new double[] {
      Paired.median(perFrame(without, f, n)), Paired.median(perFrame(with, f, n))
    };
  }

  private static double[] minusOne(double[] v) {
    return Arrays.stream(v).map(x -> x - 1).toArray();
  }

  /** 90% bootstrap interval of the median, 10,000 resamples, a fixed seed. */
  private static double[] ci(double[] v) {
    return Paired.medianCi(v, 0.9, 10_000, 15L);
  }

  /** One instance of the service, its topics and its results reader. */
  private static final class Instance implements AutoCloseable {
    final Topics topics;
    final PerceptionService service;
    final ResultsReader reader;
    final String bootstrap;
    final boolean events;
    int done;

    final CpuSplit cpu;

    Instance(Settings base, String bootstrap, String name, boolean events, Path work, CpuSplit cpu)
        throws Exception {
      this.cpu = cpu;
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
     * resumes, and returns the CPU time spent until the last one is read.
     */
    CpuSplit.Sample run(List<SimFrame> frames, int count) throws InterruptedException {
      long now = System.currentTimeMillis();
      PipelineBench.produceBacklog(bootstrap, topics, frames, done, count);
      if (events) {
        // two telemetry records per frame, as 10 Hz telemetry with 5 fps cameras gives
        telemetry(frames, now - 500, now - 500 + (2L * count / VEHICLES) * 100);
      }
      CpuSplit.Snapshot start = cpu.snapshot();
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
      CpuSplit.Sample spent = cpu.snapshot().since(start);
      service.streams().pause();
      done += count;
      return spent;
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
}
