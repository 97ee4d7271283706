package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.ResultsReader;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Charts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Settings profiles side by side in one run: for each profile ({@code default} and {@code
 * low-latency}, or the ones asked for) the service as operators run it ({@code hydrastream run}) in
 * a JVM of its own with the profile's JVM flags ({@link Settings#profileJvmOptions}: the
 * low-latency profile runs the JIT's quick tier only) on one embedded broker, and in every round
 * each service in turn (the others without input) measures
 *
 * <ul>
 *   <li>capacity: frames/s over a backlog of 1280x720 frames from 8 cameras (full load), and
 *   <li>latency at light load: one camera paced at a few frames/s, capture (= send) to receipt by a
 *       {@code read_committed} consumer, commit included.
 * </ul>
 *
 * The order alternates between rounds (ABBA), so a machine's drift falls on both; the capacity
 * ratio is the median of per-round ratios against the first profile, and each profile's latency
 * quantiles are over all its light-load frames.
 */
public final class ProfilesBench {

  /**
   * The settings of a run.
   *
   * @param profiles profile names ({@link Settings#PROFILES}); the first is the reference
   * @param backlog stream threads of each instance, frames per capacity measurement, frames each
   *     instance processes before the first round, and rounds
   * @param lightFps the light load: frames/s of one camera
   * @param lightSeconds how long each light-load measurement sends
   * @param overrides service settings over every profile
   */
  public record Options(
      List<String> profiles,
      Backlog backlog,
      double lightFps,
      double lightSeconds,
      Map<String, String> overrides) {}

  /**
   * One profile's figures.
   *
   * @param settings the profile's settings (before the overrides)
   * @param jvmOptions the profile's JVM flags, after the bench's own ({@link
   *     ServiceChild#JVM_OPTIONS})
   * @param capacityFps median of {@code capacitiesFps}
   * @param capacityOverFirst median of the per-round capacity ratios to the first profile
   * @param lightFramesLost light-load frames sent without a fused result
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ProfileResult(
      String profile,
      Map<String, String> settings,
      List<String> jvmOptions,
      double capacityFps,
      double[] capacitiesFps,
      double capacityOverFirst,
      long lightFramesSent,
      long lightFramesLost,
      double latencyMsP50,
      double latencyMsP95,
      double latencyMsP99,
      double latencyMsMax) {}

  /** Everything one run measured: what {@code bench profiles} reports. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      BacklogRun run, double lightFps, double lightSeconds, List<ProfileResult> profiles) {}

  private ProfilesBench() {}

  /**
   * Runs the benchmark and writes {@code profiles.json} and {@code profiles.png} into {@code out}.
   */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    Report r = Reports.measureAndWrite("profiles", out, work -> measure(modelDir, o, work));
    List<String> names = new ArrayList<>();
    double[][] values = new double[3][r.profiles().size()];
    for (int i = 0; i < r.profiles().size(); i++) {
      ProfileResult p = r.profiles().get(i);
      names.add(p.profile());
      values[0][i] = p.capacityFps();
      values[1][i] = p.latencyMsP50();
      values[2][i] = p.latencyMsP99();
    }
    Charts.bars(
        out.resolve("profiles.png"),
        "Settings profiles: capacity (frames/s) and light-load latency (ms), CPU",
        "frames/s | ms",
        names,
        List.of("capacity frames/s", "latency p50 ms", "latency p99 ms"),
        values);
    return r;
  }

  /** One profile's service under test: its JVM, topics and reader. */
  private record Arm(ServiceChild child, Topics topics, ResultsReader reader) {}

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    int n = o.profiles().size();
    if (n < 1) {
      throw new IllegalArgumentException("--profiles names no profile");
    }
    List<SimFrame> frames = PipelineBench.frames(16);
    double[][] caps = new double[n][o.backlog().rounds()];
    List<List<Long>> latencies = new ArrayList<>();
    long[] sent = new long[n];
    long[] lost = new long[n];
    List<Map<String, String>> profileSettings = new ArrayList<>();
    List<List<String>> profileJvm = new ArrayList<>();
    List<Arm> arms = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      int[] done = new int[n];
      try {
        for (int i = 0; i < n; i++) {
          String profile = o.profiles().get(i);
          profileSettings.add(Settings.profile(profile));
          profileJvm.add(Settings.profileJvmOptions(profile));
          Arm arm = arm(modelDir, o, profile, "p" + i, bootstrap, work);
          arms.add(arm);
          PipelineBench.produceBacklog(bootstrap, arm.topics(), frames, 0, o.backlog().warmup());
          PipelineBench.rate(
              arm.reader(), arm.topics(), 0, o.backlog().warmup(), Duration.ofMinutes(5));
          done[i] = o.backlog().warmup();
          latencies.add(new ArrayList<>());
        }
        // Each round measures every service in turn; the others have no input meanwhile.
        for (int r = 0; r < o.backlog().rounds(); r++) {
          for (int k = 0; k < n; k++) {
            int i = r % 2 == 0 ? k : n - 1 - k;
            Arm arm = arms.get(i);
            Topics t = arm.topics();
            PipelineBench.produceBacklog(bootstrap, t, frames, done[i], o.backlog().frames());
            caps[i][r] =
                PipelineBench.rate(
                    arm.reader(), t, done[i], o.backlog().frames(), Duration.ofMinutes(3));
            done[i] += o.backlog().frames();
            long lightStart = System.currentTimeMillis();
            long s = paced(bootstrap, t, frames.get(0), done[i], o.lightFps(), o.lightSeconds());
            int want = done[i] + (int) s;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline
                && arm.reader().distinctFrames(t.frames().name()) < want) {
              Thread.sleep(20);
            }
            sent[i] += s;
            lost[i] += Math.max(0, want - arm.reader().distinctFrames(t.frames().name()));
            // the paced frames' capture time is their send time: none is older than lightStart
            for (long v : arm.reader().latenciesCapturedFrom(lightStart)) {
              latencies.get(i).add(v);
            }
            done[i] = want;
          }
        }
      } finally {
        for (Arm a : arms) {
          a.reader().close();
          a.child().close();
        }
      }
    }
    List<ProfileResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long[] lat = latencies.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
      out.add(
          new ProfileResult(
              o.profiles().get(i),
              profileSettings.get(i),
              profileJvm.get(i),
              Paired.median(caps[i]),
              caps[i],
              Paired.median(Paired.ratios(caps[i], caps[0])),
              sent[i],
              lost[i],
              ResultsReader.quantile(lat, 0.5),
              ResultsReader.quantile(lat, 0.95),
              ResultsReader.quantile(lat, 0.99),
              ResultsReader.quantile(lat, 1.0)));
    }
    return new Report(
        BacklogRun.of(modelDir, o.overrides(), o.backlog()), o.lightFps(), o.lightSeconds(), out);
  }

  /**
   * Starts profile {@code profile}'s service as operators run it, {@code hydrastream run}, in a JVM
   * of its own with the profile's JVM flags after the bench's ({@link ServiceChild}), with topics
   * of its own ({@code name.}).
   */
  private static Arm arm(
      Path modelDir, Options o, String profile, String name, String bootstrap, Path work)
      throws Exception {
    Map<String, String> values = new LinkedHashMap<>(Settings.profile(profile));
    values.putAll(o.overrides());
    Settings s =
        PipelineBench.settings(
                PipelineBench.base(modelDir, values), bootstrap, name, o.backlog().threads(), work)
            .with(Map.of(Settings.HTTP_PORT, "0"));
    List<String> jvm = new ArrayList<>(ServiceChild.JVM_OPTIONS);
    jvm.addAll(Settings.profileJvmOptions(profile));
    ServiceChild child = ServiceChild.start(s, name, work, jvm);
    Topics topics = Topics.of(s);
    return new Arm(child, topics, new ResultsReader(bootstrap, topics, "reader-" + name));
  }

  /**
   * One camera at {@code fps} for {@code seconds}, sequence numbers from {@code firstSeq}, capture
   * time = send time; returns frames sent.
   */
  private static long paced(
      String bootstrap, Topics topics, SimFrame frame, int firstSeq, double fps, double seconds)
      throws InterruptedException {
    return Paced.send(
        bootstrap,
        topics,
        fps,
        seconds,
        (i, captureMs) -> frame.resent("light-0", firstSeq + i, captureMs));
  }
}
