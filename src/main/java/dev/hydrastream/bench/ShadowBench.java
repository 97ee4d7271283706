package dev.hydrastream.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a shadow model costs the incumbent: the incumbent's p50 model-call time (the {@code model}
 * stage, {@code incumbent_model_ms_p50} of {@code /api/shadow}) with {@code shadow.model} set
 * against the same service without it, at a light, demo-like load (cameras x fps, capture time =
 * send time). Each round runs each arm as the service operators run ({@code hydrastream run}) in a
 * fresh JVM of its own ({@link ServiceChild}) on one embedded broker, one arm after the other; the
 * order alternates between rounds (ABBA), so a machine's drift falls on both. Each round yields its
 * own on/off ratio; the report gives both medians, the per-round ratios and their median (the bar:
 * at most 1.10).
 */
public final class ShadowBench {

  /**
   * The settings of a run.
   *
   * @param shadow the shadow model, {@code NAME/VERSION} in {@code model.repository}
   * @param fraction {@code shadow.fraction}
   * @param rounds paired on/off rounds
   * @param cameras cameras of the load
   * @param fps frames per second of each camera
   * @param seconds seconds of load per arm and round
   * @param overrides service settings of both arms
   */
  public record Options(
      String shadow,
      double fraction,
      int rounds,
      int cameras,
      double fps,
      double seconds,
      Map<String, String> overrides) {}

  /**
   * What {@code bench shadow} reports.
   *
   * @param run the machine, its load before and after, the model ({@link LoadedRun})
   * @param onModelMsP50 the incumbent's p50 model call with the shadow, per round
   * @param offModelMsP50 the same without it, per round
   * @param onOverOff per round, on / off
   * @param medianOnOverOff the median of the per-round ratios (within 10%: at most 1.10)
   * @param shadowSampled frames the shadow arm sampled, per round
   * @param shadowCompared frames it compared (a record each), per round
   * @param shadowDropped frames it dropped (its queue was full), per round
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      @JsonUnwrapped LoadedRun run,
      String shadow,
      double fraction,
      int cameras,
      double fps,
      double seconds,
      Map<String, String> settings,
      double onMedianModelMsP50,
      double offMedianModelMsP50,
      double medianOnOverOff,
      double[] onModelMsP50,
      double[] offModelMsP50,
      double[] onOverOff,
      long[] shadowSampled,
      long[] shadowCompared,
      long[] shadowDropped) {}

  private ShadowBench() {}

  /** Runs the benchmark and writes {@code shadow.json} into {@code out}. */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    return Reports.measureAndWrite("shadow", out, work -> measure(modelDir, o, work));
  }

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    String loadBefore = CapacityBench.loadAverage();
    List<SimFrame> frames = PipelineBench.frames(16);
    Settings base = PipelineBench.base(modelDir, o.overrides());
    int n = o.rounds();
    double[] on = new double[n];
    double[] off = new double[n];
    long[] sampled = new long[n];
    long[] compared = new long[n];
    long[] dropped = new long[n];
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      for (int r = 0; r < n; r++) {
        boolean onFirst = r % 2 == 0;
        for (int k = 0; k < 2; k++) {
          boolean isOn = (k == 0) == onFirst;
          JsonNode doc =
              arm(base, bootstrap, o, isOn, "r" + r + (isOn ? "on" : "off"), frames, work);
          double p50 = doc.path("incumbent_model_ms_p50").asDouble(Double.NaN);
          if (isOn) {
            on[r] = p50;
            sampled[r] = doc.path("sampled").asLong();
            compared[r] = doc.path("compared").asLong();
            dropped[r] = doc.path("dropped").asLong();
          } else {
            off[r] = p50;
          }
        }
      }
    }
    double[] ratios = Paired.ratios(on, off);
    return new Report(
        LoadedRun.endingNow(modelDir, loadBefore),
        o.shadow(),
        o.fraction(),
        o.cameras(),
        o.fps(),
        o.seconds(),
        o.overrides(),
        Paired.median(on),
        Paired.median(off),
        Paired.median(ratios),
        on,
        off,
        ratios,
        sampled,
        compared,
        dropped);
  }

  /**
   * One arm of one round: a fresh service (topics of its own under {@code name.}) with or without
   * the shadow, the load, then its {@code /api/shadow} document.
   */
  private static JsonNode arm(
      Settings base,
      String bootstrap,
      Options o,
      boolean shadow,
      String name,
      List<SimFrame> frames,
      Path work)
      throws Exception {
    Settings s =
        PipelineBench.settings(base, bootstrap, name, 2, work)
            .with(
                Map.of(
                    Settings.HTTP_PORT,
                    "0",
                    Settings.METRICS_ENABLED,
                    "true",
                    Settings.SHADOW_MODEL,
                    shadow ? o.shadow() : "",
                    Settings.SHADOW_FRACTION,
                    String.valueOf(o.fraction())));
    try (ServiceChild child = ServiceChild.start(s, name, work, ServiceChild.JVM_OPTIONS)) {
      load(bootstrap, Topics.of(s), frames, o);
      Thread.sleep(2000); // the last frames' model calls
      return Json.MAPPER.readTree(child.get("api/shadow"));
    }
  }

  /** {@code cameras} cameras at {@code fps} each for {@code seconds}, capture time = send time. */
  private static void load(String bootstrap, Topics topics, List<SimFrame> frames, Options o)
      throws InterruptedException {
    int cameras = o.cameras();
    Paced.send(
        bootstrap,
        topics,
        cameras * o.fps(),
        o.seconds(),
        (i, captureMs) ->
            frames
                .get((int) (i % frames.size()))
                .resent("cam-" + i % cameras, i / cameras, captureMs));
  }
}
