package dev.hydrastream.bench.micro;

import dev.hydrastream.inference.Prediction;
import dev.hydrastream.metrics.FrameClock;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.metrics.ThreadCpu;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Microbenchmarks of what the metrics add to each frame: the calls a stream thread makes for one
 * frame (received, six thread-CPU clock reads, perceived with 12 detections, the stage CPU, and the
 * commit's observations), with metrics on and off; one render of the registry (a scrape, without
 * the Kafka bridge) and two of its parts: the per-pool thread CPU reading and the JVM metrics.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetricsBenchmarks {

  private ServiceMetrics on;
  private ServiceMetrics off;
  private Prediction prediction;
  private long frame;
  private ThreadCpu threadCpu;
  private PrometheusRegistry jvmOnly;

  @Setup(Level.Trial)
  public void setUp() {
    on = ServiceMetrics.create();
    threadCpu = new ThreadCpu();
    jvmOnly = new PrometheusRegistry();
    JvmMetrics.builder().register(jvmOnly);
    off = ServiceMetrics.disabled();
    List<String> classes = Head.DETECTION.labels();
    List<DetectedObject> objects = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      objects.add(new DetectedObject(classes.get(i % classes.size()), new Box(1, 2, 30, 40), 0.8));
    }
    Perception p =
        new Perception(
            attribute(Head.WEATHER),
            attribute(Head.TIMEOFDAY),
            attribute(Head.SCENE),
            objects,
            null,
            ModelIdentity.of("bench", "0"));
    long now = System.nanoTime();
    prediction = new Prediction(p, now, now + 1_000_000, now + 20_000_000, 4);
  }

  private static Perception.Attribute attribute(Head head) {
    return new Perception.Attribute(head.labels().get(0), 0.9, Map.of());
  }

  /** The metrics calls of one frame, metrics on. */
  @Benchmark
  public long perFrameOn() {
    return perFrame(on);
  }

  /** The same calls, metrics off (they return at once). */
  @Benchmark
  public long perFrameOff() {
    return perFrame(off);
  }

  /** One rendering of the registry in the Prometheus text format (JVM metrics included). */
  @Benchmark
  public void scrape() throws IOException {
    on.scrape(OutputStream.nullOutputStream());
  }

  /** The per-pool thread CPU reading a scrape makes ({@code hydrastream_thread_cpu_*}). */
  @Benchmark
  public Map<ThreadCpu.Pool, Double> threadCpu() {
    return threadCpu.seconds();
  }

  /** One rendering of the client's JVM metrics alone. */
  @Benchmark
  public void jvmMetrics() throws IOException {
    PrometheusTextFormatWriter.create().write(OutputStream.nullOutputStream(), jvmOnly.scrape());
  }

  private long perFrame(ServiceMetrics m) {
    FrameClock clock = m.startFrame();
    long millis = clock.startMillis();
    m.received("cam-" + (frame++ & 7), millis - 40, millis);
    clock.mark(FrameClock.Phase.DECODE);
    clock.mark(FrameClock.Phase.BATCH_WAIT);
    clock.mark(FrameClock.Phase.RESULT);
    clock.mark(FrameClock.Phase.TRACKING);
    m.perceived(clock, prediction);
    clock.mark(FrameClock.Phase.COUNTING);
    m.record(clock);
    m.frameCommitted(clock.startNanos(), millis - 40, System.nanoTime(), millis);
    m.resultsCommitted("detection", 1);
    m.resultsCommitted("fused", 1);
    return clock.cpuNanos(FrameClock.Phase.COUNTING);
  }
}
