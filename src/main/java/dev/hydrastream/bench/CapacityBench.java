package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.ResultsReader;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Capacity model: CPU seconds per frame, stage by stage, of the service process alone ({@code
 * hydrastream run} in a JVM of its own, see {@link ServiceChild}; the broker, the producer and the
 * reader run in this one), and what they mean for sizing. The service measures itself: the stream
 * threads' CPU clock around each frame's decode, batch hand-off, result building (with the encoding
 * and hand-over to the producer) and dashboard entry ({@code hydrastream_stage_cpu_seconds_total}),
 * and its CPU by thread pool ({@code hydrastream_thread_cpu_seconds_total}: stream threads, model
 * calls, TensorFlow's native threads, Kafka clients, HTTP, JVM). Each round scrapes its {@code
 * /metrics} before and after a backlog is processed; per-frame figures are the differences over the
 * frames committed. CPU time, unlike frames per second, hardly depends on what else loads the
 * machine, so rounds agree closely.
 */
public final class CapacityBench {

  /**
   * The settings of a run.
   *
   * @param backlog stream threads, backlog per round, frames processed before the first round (JIT,
   *     TensorFlow's first calls) and measured rounds
   * @param sizing what the sizing table assumes
   * @param overrides service settings
   */
  public record Options(
      Backlog backlog, Sizing.Assumptions sizing, Map<String, String> overrides) {}

  /**
   * CPU per frame of one part of the service.
   *
   * @param part what it is
   * @param msPerFrame median over the rounds of CPU milliseconds per frame
   * @param share of the service's CPU per frame
   * @param kafkaOverhead whether it counts as Kafka + Streams + serde overhead
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Part(String part, double msPerFrame, double share, boolean kafkaOverhead) {}

  /**
   * One measured round.
   *
   * @param frames frames committed in it
   * @param framesPerSecond wall-clock throughput (depends on the machine's other load)
   * @param cpuMsPerFrame the service's CPU milliseconds per frame
   * @param overheadShare Kafka + Streams + serde share of it
   * @param msPerFrame CPU milliseconds per frame of each part
   * @param streamThreadWallMs wall time a stream thread spends on one frame (decode, batch wait,
   *     model, results): it waits for its frame's result, so one partition's frames per second are
   *     at most 1000 / this
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Round(
      long frames,
      double framesPerSecond,
      double cpuMsPerFrame,
      double overheadShare,
      Map<String, Double> msPerFrame,
      double streamThreadWallMs) {}

  /** What {@code bench capacity} reports. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine,
      String loadAverageBefore,
      String loadAverageAfter,
      String model,
      long modelFlopsPerFrame,
      int streamThreads,
      int framesPerRound,
      List<Part> parts,
      double cpuMsPerFrame,
      double overheadShare,
      double[] overheadSharePerRound,
      double maxFpsPerPartition,
      List<Round> rounds,
      Sizing sizing) {}

  /** The parts, in pipeline order; the kafka flag marks Kafka + Streams + serde overhead. */
  private static final String[][] PARTS = {
    {"decode", "false"},
    {"batch_handoff", "false"},
    {"model_call", "false"},
    {"tensorflow_native", "false"},
    {"results_serde", "true"},
    {"dashboard_entry", "false"},
    {"tracking", "false"},
    {"streams_other", "true"},
    {"kafka_clients", "true"},
    {"http", "false"},
    {"jvm_gc_jit", "false"},
    {"other", "false"},
  };

  private CapacityBench() {}

  /**
   * Runs the bench on the model in {@code modelDir}; writes {@code capacity.json} to {@code out}.
   */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    return Reports.measureAndWrite("capacity", out, work -> measure(modelDir, o, work));
  }

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    String loadBefore = loadAverage();
    Settings base = PipelineBench.base(modelDir, o.overrides());
    List<SimFrame> frames = PipelineBench.frames(16);
    List<Round> rounds = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      Settings s =
          PipelineBench.settings(base, bootstrap, "capacity", o.backlog().threads(), work)
              .with(Map.of(Settings.HTTP_PORT, "0", Settings.METRICS_ENABLED, "true"));
      Topics topics = Topics.of(s);
      try (ServiceChild service =
              ServiceChild.start(s, "capacity", work, ServiceChild.JVM_OPTIONS);
          ResultsReader reader = new ResultsReader(bootstrap, topics, "reader-capacity")) {
        PipelineBench.produceBacklog(bootstrap, topics, frames, 0, o.backlog().warmup());
        PipelineBench.rate(reader, topics, 0, o.backlog().warmup(), Duration.ofMinutes(5));
        int done = o.backlog().warmup();
        for (int i = 0; i < o.backlog().rounds(); i++) {
          Map<String, Double> before = scrape(service);
          long t0 = System.nanoTime();
          PipelineBench.produceBacklog(bootstrap, topics, frames, done, o.backlog().frames());
          PipelineBench.rate(reader, topics, done, o.backlog().frames(), Duration.ofMinutes(5));
          double seconds = (System.nanoTime() - t0) / 1e9;
          rounds.add(round(before, scrape(service), seconds));
          done += o.backlog().frames();
        }
      }
    }
    Map<String, double[]> perPart = new LinkedHashMap<>();
    double[] total = new double[rounds.size()];
    double[] shares = new double[rounds.size()];
    double[] wall = new double[rounds.size()];
    for (int i = 0; i < rounds.size(); i++) {
      Round r = rounds.get(i);
      total[i] = r.cpuMsPerFrame();
      shares[i] = r.overheadShare();
      wall[i] = r.streamThreadWallMs();
      for (String[] p : PARTS) {
        perPart.computeIfAbsent(p[0], k -> new double[rounds.size()])[i] = r.msPerFrame().get(p[0]);
      }
    }
    double cpuMs = Paired.median(total);
    List<Part> parts = new ArrayList<>();
    for (String[] p : PARTS) {
      double ms = Paired.median(perPart.get(p[0]));
      parts.add(new Part(p[0], ms, ms / cpuMs, Boolean.parseBoolean(p[1])));
    }
    ModelCard card = ModelCard.read(modelDir);
    long flops = card.raw().findValue("flops_per_image").asLong();
    double modelMs =
        Paired.median(perPart.get("model_call")) + Paired.median(perPart.get("tensorflow_native"));
    return new Report(
        Reports.machine(),
        loadBefore,
        loadAverage(),
        card.id(),
        flops,
        o.backlog().threads(),
        o.backlog().frames(),
        parts,
        cpuMs,
        Paired.median(shares),
        shares,
        1000 / Paired.median(wall),
        rounds,
        Sizing.of(o.sizing(), cpuMs, modelMs, flops));
  }

  /** A round's per-frame CPU from two scrapes of the service's {@code /metrics}. */
  static Round round(Map<String, Double> a, Map<String, Double> b, double seconds) {
    long frames = (long) delta(a, b, "hydrastream_frames_processed_total");
    if (frames <= 0) {
      throw new IllegalStateException("no frames committed between the scrapes");
    }
    Map<String, Double> sec = new HashMap<>();
    for (String pool :
        List.of("stream", "model", "native", "kafka_client", "http", "jvm", "other")) {
      sec.put(pool, delta(a, b, "hydrastream_thread_cpu_seconds_total{pool=\"" + pool + "\"}"));
    }
    for (String stage : List.of("decode", "batch_wait", "result", "latest_frame", "tracking")) {
      sec.put(stage, delta(a, b, "hydrastream_stage_cpu_seconds_total{stage=\"" + stage + "\"}"));
    }
    double streamsOther =
        sec.get("stream")
            - sec.get("decode")
            - sec.get("batch_wait")
            - sec.get("result")
            - sec.get("latest_frame")
            - sec.get("tracking");
    Map<String, Double> ms = new LinkedHashMap<>();
    ms.put("decode", sec.get("decode"));
    ms.put("batch_handoff", sec.get("batch_wait"));
    ms.put("model_call", sec.get("model"));
    ms.put("tensorflow_native", sec.get("native"));
    ms.put("results_serde", sec.get("result"));
    ms.put("dashboard_entry", sec.get("latest_frame"));
    ms.put("tracking", sec.get("tracking"));
    ms.put("streams_other", Math.max(0, streamsOther));
    ms.put("kafka_clients", sec.get("kafka_client"));
    ms.put("http", sec.get("http"));
    ms.put("jvm_gc_jit", sec.get("jvm"));
    ms.put("other", sec.get("other"));
    ms.replaceAll((k, v) -> v * 1000 / frames);
    double total = ms.values().stream().mapToDouble(Double::doubleValue).sum();
    double wall = 0;
    for (String stage : List.of("decode", "batch_wait", "model", "result")) {
      wall += delta(a, b, "hydrastream_stage_seconds_sum{stage=\"" + stage + "\"}");
    }
    double overhead = 0;
    for (String[] p : PARTS) {
      if (Boolean.parseBoolean(p[1])) {
        overhead += ms.get(p[0]);
      }
    }
    return new Round(frames, frames / seconds, total, overhead / total, ms, wall * 1000 / frames);
  }

  private static double delta(Map<String, Double> a, Map<String, Double> b, String series) {
    if (!b.containsKey(series)) {
      throw new IllegalStateException(
          "the service's /metrics has no " + series + " (metrics.enabled=false, or not Linux?)");
    }
    return b.get(series) - a.getOrDefault(series, 0.0);
  }

  /** Every sample of a Prometheus text exposition: series (name + labels) → value. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
    }
    return out;
  }

  private static Map<String, Double> scrape(ServiceChild service)
      throws IOException, InterruptedException {
    return parse(service.get("metrics"));
  }

  /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
