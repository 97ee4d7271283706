package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.testing.KafkaTestClients;
import dev.hydrastream.testing.ServiceProbe;
import dev.hydrastream.testing.ServiceProbe.Sample;
import dev.hydrastream.testing.ServiceProcess;
import dev.hydrastream.util.Json;
import dev.hydrastream.util.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A load test's rig (the overload and soak tests), on the {@link KillRig}: a one-broker KRaft
 * cluster, the service in a JVM of its own ({@code exactly_once_v2}, 2 stream threads, 4
 * partitions, the real model; its settings, state and log in a scratch directory of the run's,
 * removed when the run closes), frames of 4 cameras sent in a backlog or paced at a rate, the
 * results read as read_committed, and the service's memory, lag and stream threads sampled at a
 * fixed period, each sample tagged with the phase the test is in.
 */
final class LoadRun implements AutoCloseable {

  static final int CAMERAS = 4;
  private static final int PARTITIONS = 4;

  /** A loaded machine can take minutes to start the JVM and load TensorFlow. */
  private static final Duration START = Duration.ofMinutes(6);

  private final KillRig rig;
  private final Path dir;
  private final Topics topics;
  private final ServiceProcess service;
  private final ServiceProbe probe;
  private final CommittedResults results;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<byte[]> jpegs;
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sampleErrors = new AtomicInteger();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private volatile String phase = "start";
  private int sent;

  private LoadRun(KillRig rig, Path dir, ServiceProcess service) {
    this.rig = rig;
    this.dir = dir;
    this.topics = rig.topics();
    this.service = service;
    this.probe = new ServiceProbe(service);
    this.results = rig.results();
    this.producer = rig.producer();
    this.jpegs = rig.jpegs();
  }

  /**
   * Starts the cluster and the service (JVM options {@code jvmOptions}) and samples it every {@code
   * period}. {@code predict.timeout.ms} is 30 s: on this shared machine a model call can take more
   * than the default 5 s, which would replace a stream thread, and a replaced thread fails the
   * test.
   */
  static LoadRun start(String applicationId, List<String> jvmOptions, Duration period)
      throws Exception {
    Path dir = Files.createTempDirectory("hydra-" + applicationId);
    KillRig rig = null;
    try {
      rig = KillRig.start(PARTITIONS);
      Path config =
          rig.config(
              dir.resolve("service.properties"),
              applicationId,
              dir.resolve("state"),
              "predict.timeout.ms=30000",
              "max.poll.interval.ms=1000000");
      ServiceProcess service =
          rig.startService(config, dir.resolve("service.log"), START, jvmOptions);
      LoadRun run = new LoadRun(rig, dir, service);
      run.sampler.scheduleAtFixedRate(run::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
      return run;
    } catch (Exception | Error e) {
      try {
        if (rig != null) {
          rig.close();
        }
      } finally {
        Trees.delete(dir);
      }
      throw e;
    }
  }

  private void sample() {
    try {
      samples.add(probe.sample(phase));
    } catch (Exception e) {
      sampleErrors.incrementAndGet();
    }
  }

  /** Tags the samples from now on. */
  void phase(String name) {
    phase = name;
  }

  /** The samples taken in {@code phase}, in time order. */
  List<Sample> samples(String phase) {
    synchronized (samples) {
      return samples.stream().filter(s -> s.phase().equals(phase)).toList();
    }
  }

  /** Every sample so far. */
  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Samples the service did not answer within 10 s (reported, not asserted). */
  int sampleErrors() {
    return sampleErrors.get();
  }

  /** Frames sent so far. */
  int sent() {
    return sent;
  }

  /**
   * Sends {@code frames} frames at once and waits until every result topic has them all; returns
   * the rate at which the backlog drained (frames/s, from the first send to the last result).
   */
  double backlog(int frames, Duration timeout) {
    long t0 = System.nanoTime();
    StreamFixtures.sendFrames(producer, topics, sent, sent + frames, CAMERAS, jpegs);
    sent += frames;
    results.until(() -> results.complete(sent), timeout);
    return frames / ((System.nanoTime() - t0) / 1e9);
  }

  /**
   * Sends frames at {@code perSecond} (each stamped with its send time as capture time) for {@code
   * duration} on a pacing thread while reading results; returns once the last one is acknowledged.
   */
  Paced paced(double perSecond, Duration duration) throws InterruptedException {
    int total = (int) Math.round(perSecond * duration.toNanos() / 1e9);
    int from = sent;
    AtomicBoolean done = new AtomicBoolean();
    Thread pacer =
        new Thread(
            () -> {
              long t0 = System.nanoTime();
              for (int i = 0; i < total; i++) {
                long due = t0 + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                StreamFixtures.sendFrame(
                    producer, topics, from + i, CAMERAS, jpegs, System.currentTimeMillis());
              }
              producer.flush();
              done.set(true);
            },
            "pacer");
    pacer.setDaemon(true);
    pacer.start();
    results.until(done::get, duration.plusMinutes(2));
    pacer.join();
    sent += total;
    return new Paced(total, sent - results.fused());
  }

  /** What {@link #paced} sent, and the frames without a fused result when it was sent. */
  record Paced(int frames, int backlogAtEnd) {}

  /** Waits until every frame sent has its results; returns how long that took, in seconds. */
  double drain(Duration timeout) {
    long t0 = System.nanoTime();
    results.until(() -> results.complete(sent), timeout);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Asserts what a load may not break: every frame sent exactly once on every result topic (read 5
   * s more for late duplicates), nothing dead-lettered, the service alive with both stream threads
   * and none failed.
   */
  Sample assertNothingLost() throws Exception {
    results.settle();
    StreamFixtures.assertEachFrameOnce(results.got, topics, sent, CAMERAS);
    assertThat(
            KafkaTestClients.readCommitted(
                rig.bootstrap(), topics.dlq().name(), 1, Duration.ofSeconds(10)))
        .as("dead-lettered")
        .isEmpty();
    assertThat(service.isAlive()).as("service alive: %s", service.log()).isTrue();
    Sample end = probe.sample("end");
    assertThat(end.failedThreads()).as("failed stream threads").isZero();
    assertThat(end.aliveThreads()).as("alive stream threads").isEqualTo(2);
    assertThat(samples())
        .as("no stream thread failed at any sample")
        .allMatch(s -> s.failedThreads() == 0);
    return end;
  }

  /** Writes {@code fields} as JSON to {@code file} (directories made). */
  static void writeJson(Path file, Map<String, Object> fields) throws Exception {
    Files.createDirectories(file.getParent());
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), fields);
  }

  /** Stops the service and the rig, then removes the scratch directory. */
  @Override
  public void close() throws Exception {
    sampler.shutdownNow();
    try {
      service.stop();
    } finally {
      try {
        rig.close();
      } finally {
        Trees.delete(dir);
      }
    }
  }
}
