package dev.hydrastream.bench;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.config.Settings;
import dev.hydrastream.demo.ResultsReader;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.sim.SimulatedCamera;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.admin.TopicAdmin;
import dev.hydrastream.streams.perception.FrameInput;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Charts;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import dev.hydrastream.wire.OutputFormat;
import dev.hydrastream.wire.ResultSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The pipeline end to end through a real (embedded) broker, against two references measured in the
 * same run on the same frames: the <em>limit</em> (the same decode + batched model work on the same
 * number of threads, no Kafka) and the <em>naive baseline</em> of the popular examples (Kafka
 * Streams defaults — one stream thread, at-least-once — with one full-size decode and one {@code
 * predict} per record inside {@code mapValues}, no batching).
 *
 * <p>Capacity is measured on a backlog (frames produced before the application starts): frames/s
 * between the first and the last fused result of a backlog, seen by a {@code read_committed}
 * consumer. The pipeline first processes a warm-up backlog: on a small machine the JIT compilers
 * (broker, clients, Streams and our code all share this JVM) take up to half a core for the first
 * ~30 s. Then, in each of several rounds, the application is paused, the next backlog is produced,
 * the limit is measured on the idle machine, and the application resumes and drains the backlog;
 * the reported ratio is the median of the per-round ratios, so the slow drift of a shared machine
 * cancels out within each pair.
 *
 * <p>Latency is measured at a paced load (a fraction of the measured capacity), once every stream
 * thread owns a task: receipt time minus capture time (= send time), commit interval included.
 */
public final class PipelineBench {

  /**
   * The settings of a run.
   *
   * @param backlog the pipeline's stream threads (also the threads of the limit measurement),
   *     frames in each capacity measurement, frames processed before the first round (half of them
   *     for the naive baseline) and rounds of paired limit / pipeline measurements
   * @param loadFraction paced load as a fraction of the measured capacity (e.g. 0.5)
   * @param loadSeconds duration of the paced run
   * @param overrides service settings for the pipeline runs (e.g. commit.interval.ms)
   */
  public record Options(
      Backlog backlog, double loadFraction, double loadSeconds, Map<String, String> overrides) {}

  /**
   * Everything one run measured: what {@code bench pipeline} reports.
   *
   * @param run the machine, model, {@code --set} settings and backlog
   * @param limitFps the median of {@code limitsFps}
   * @param pipelineFps the median of {@code pipelinesFps}
   * @param pipelineOverLimit the median of {@code pipelineOverLimitPerRound}
   * @param limitsFps the limit of each round
   * @param pipelinesFps the pipeline's capacity in each round
   * @param pipelineOverLimitPerRound each round's pipeline over its limit
   * @param latencyMsP50 capture-to-result latency at the paced load
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      BacklogRun run,
      double limitFps,
      double pipelineFps,
      double naiveFps,
      double pipelineOverLimit,
      double pipelineOverNaive,
      double[] limitsFps,
      double[] pipelinesFps,
      double[] pipelineOverLimitPerRound,
      double meanBatchAtCapacity,
      double loadFraction,
      double loadFps,
      long loadFramesSent,
      long loadFramesLost,
      double latencyMsP50,
      double latencyMsP95,
      double latencyMsP99) {}

  /** Seconds of each limit measurement (after 2 s of warm-up). */
  static final double LIMIT_SECONDS = 6;

  private PipelineBench() {}

  /**
   * Runs the benchmark on the model in {@code modelDir} and writes {@code pipeline.json} and {@code
   * pipeline.png} into {@code out}.
   */
  public static Report run(Path modelDir, Options o, Path out) throws Exception {
    Report r = Reports.measureAndWrite("pipeline", out, work -> measure(modelDir, o, work));
    Charts.bars(
        out.resolve("pipeline.png"),
        "1280x720 frames through Kafka (frames/s, "
            + o.backlog().threads()
            + " stream threads, CPU)",
        "frames/s",
        List.of("decode+model limit", "pipeline (EOS, batching)", "naive mapValues"),
        List.of("frames/s"),
        new double[][] {{r.limitFps(), r.pipelineFps(), r.naiveFps()}});
    return r;
  }

  private static Report measure(Path modelDir, Options o, Path work) throws Exception {
    int threads = o.backlog().threads();
    int backlog = o.backlog().frames();
    int warmup = o.backlog().warmup();
    int rounds = o.backlog().rounds();
    List<SimFrame> frames = frames(16);
    Settings base = base(modelDir, o.overrides());
    double[] limits = new double[rounds];
    double[] pipelines = new double[rounds];
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start();
        PerceptionModel limitModel = PerceptionService.loadModel(base)) {
      String bootstrap = kafka.bootstrapServers();
      // 1. Capacity of the pipeline (our defaults: exactly-once, dynamic batching), in rounds
      //    paired with the limit.
      Settings s = settings(base, bootstrap, "cap", threads, work);
      Topics topics = new Topics("cap.");
      TopicAdmin.createServiceTopics(s);
      produceBacklog(bootstrap, topics, frames, 0, warmup);
      double meanBatch;
      try (PerceptionService service = PerceptionService.create(s);
          ResultsReader reader = new ResultsReader(bootstrap, topics, "reader-cap")) {
        service.start(Duration.ofSeconds(120));
        int done = warmup;
        rate(reader, topics, 0, done, Duration.ofMinutes(3));
        for (int r = 0; r < rounds; r++) {
          service.streams().pause();
          produceBacklog(bootstrap, topics, frames, done, backlog);
          limits[r] = limit(limitModel, frames, threads, s, LIMIT_SECONDS);
          service.streams().resume();
          pipelines[r] = rate(reader, topics, done, backlog, Duration.ofMinutes(3));
          done += backlog;
        }
        meanBatch = service.serving().stats().meanBatch();
      }
      double pipeline = Paired.median(pipelines);
      // 2. Latency at a paced load on a fresh application and topics.
      Settings l = settings(base, bootstrap, "load", threads, work);
      Topics loadTopics = new Topics("load.");
      TopicAdmin.createServiceTopics(l);
      double loadFps = pipeline * o.loadFraction();
      long sent;
      ResultsReader.Summary summary;
      try (PerceptionService service = PerceptionService.create(l);
          ResultsReader reader = new ResultsReader(bootstrap, loadTopics, "reader-load")) {
        service.start(Duration.ofSeconds(120));
        awaitSettled(service, Duration.ofSeconds(60));
        sent = paced(bootstrap, loadTopics, frames, loadFps, o.loadSeconds());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline
            && reader.distinctFrames(loadTopics.frames().name()) < sent) {
          Thread.sleep(50);
        }
        summary = reader.summary();
      }
      long lost = sent - summary.distinctFrames().getOrDefault(loadTopics.frames().name(), 0);
      // 3. The naive baseline.
      Topics naiveTopics = new Topics("naive.");
      Settings n = settings(base, bootstrap, "naive", 1, work);
      TopicAdmin.createServiceTopics(n);
      produceBacklog(bootstrap, naiveTopics, frames, 0, warmup / 2 + backlog);
      double naive;
      try (PerceptionModel model = PerceptionService.loadModel(base);
          ResultsReader reader = new ResultsReader(bootstrap, naiveTopics, "reader-naive");
          KafkaStreams naiveApp = naive(model, naiveTopics, bootstrap, work)) {
        naiveApp.start();
        naive = rate(reader, naiveTopics, warmup / 2, backlog, Duration.ofMinutes(3));
      }
      double[] ratios = Paired.ratios(pipelines, limits);
      return new Report(
          BacklogRun.of(modelDir, o.overrides(), o.backlog()),
          Paired.median(limits),
          pipeline,
          naive,
          Paired.median(ratios),
          pipeline / naive,
          limits,
          pipelines,
          ratios,
          meanBatch,
          o.loadFraction(),
          loadFps,
          sent,
          lost,
          summary.latencyQuantile(0.5),
          summary.latencyQuantile(0.95),
          summary.latencyQuantile(0.99));
    }
  }

  /**
   * Waits until every stream thread owns a task and the assignment held for a second. Stream
   * threads join the group one by one (the embedded broker has no initial rebalance delay), so
   * RUNNING often comes with a follow-up rebalance a few seconds later; frames sent into it would
   * measure the rebalance, not the pipeline.
   */
  private static void awaitSettled(PerceptionService service, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long settledSince = 0;
    while (System.nanoTime() < deadline) {
      var streams = service.streams();
      boolean settled =
          streams.state() == KafkaStreams.State.RUNNING
              && streams.metadataForLocalThreads().stream()
                  .allMatch(t -> !t.activeTasks().isEmpty());
      if (!settled) {
        settledSince = 0;
      } else if (settledSince == 0) {
        settledSince = System.nanoTime();
      } else if (System.nanoTime() - settledSince > TimeUnit.SECONDS.toNanos(1)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("stream threads did not settle within " + timeout);
  }

  /** The settings every run of a bench starts from: the model and the user's overrides. */
  static Settings base(Path modelDir, Map<String, String> overrides) {
    Map<String, Object> values = new java.util.LinkedHashMap<>(overrides);
    values.put(Settings.MODEL_DIR, modelDir.toString());
    return Settings.of(values);
  }

  static Settings settings(Settings base, String bootstrap, String name, int threads, Path work)
      throws java.io.IOException {
    return base.with(
        Map.of(
            Settings.BOOTSTRAP_SERVERS,
            bootstrap,
            Settings.APPLICATION_ID,
            "bench-" + name,
            Settings.TOPIC_PREFIX,
            name + ".",
            Settings.TOPIC_PARTITIONS,
            "4",
            Settings.STREAM_THREADS,
            String.valueOf(threads),
            Settings.STATE_DIR,
            Files.createDirectories(work.resolve("state-" + name)).toString()));
  }

  /**
   * 1280x720 frames of simulated video from 8 cameras (with 4 cameras, Kafka's key hash would put
   * cam-0..3 on only 2 of 4 partitions and idle half the stream threads).
   */
  static List<SimFrame> frames(int n) {
    List<SimFrame> out = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      try (SimulatedCamera cam =
          new SimulatedCamera("cam-" + c, "veh-" + c, 1000 + c, 1280, 720, 5)) {
        for (int i = 0; i < n / 8; i++) {
          out.add(cam.frame(i * 7L));
        }
      }
    }
    return out;
  }

  /** Decode + batched predict on {@code threads} threads, no Kafka: the pipeline's ceiling. */
  static double limit(
      PerceptionModel model, List<SimFrame> frames, int threads, Settings s, double seconds)
      throws InterruptedException {
    try (BatchingPredictor batcher =
        new BatchingPredictor(
            model,
            s.getInt(Settings.BATCH_MAX_SIZE),
            s.getInt(Settings.BATCH_MAX_WAIT_MS),
            s.getInt(Settings.BATCH_WORKERS))) {
      FrameDecoder decoder = model.decoder();
      BatchingBench.Call work =
          i -> {
            SimFrame f = frames.get((i[0] + i[1]) % frames.size());
            try {
              batcher.predict(decoder.decode(f.jpeg(), FrameValidator.defaults()), 60_000);
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
              throw new IllegalStateException(e);
            }
          };
      BatchingBench.drive(threads, 2, work); // warm-up
      return BatchingBench.drive(threads, seconds, work);
    }
  }

  /** Produces frames with sequence numbers {@code from .. from + count - 1}. */
  static void produceBacklog(
      String bootstrap, Topics topics, List<SimFrame> frames, int from, int count) {
    try (FrameProducer p =
        new FrameProducer(
            bootstrap, topics.cameraFrames().name(), FrameProducer.Format.AVRO, Map.of())) {
      long now = System.currentTimeMillis();
      for (int i = from; i < from + count; i++) {
        SimFrame f = frames.get(i % frames.size());
        p.send(f.resent(f.cameraId(), i, now), partition(f));
      }
      p.flush();
    }
  }

  /** Sends at {@code fps} for {@code seconds}, capture time = send time; returns frames sent. */
  private static long paced(
      String bootstrap, Topics topics, List<SimFrame> frames, double fps, double seconds)
      throws InterruptedException {
    try (FrameProducer p =
        new FrameProducer(
            bootstrap, topics.cameraFrames().name(), FrameProducer.Format.AVRO, Map.of())) {
      long total = (long) (fps * seconds);
      long t0 = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long due = t0 + (long) (i * 1e9 / fps);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        SimFrame f = frames.get((int) (i % frames.size()));
        p.send(f.resent(f.cameraId(), i, System.currentTimeMillis()), partition(f));
      }
      p.flush();
      return p.sent();
    }
  }

  /**
   * Camera {@code cam-N} always goes to partition {@code N % 4}: two cameras per partition, so
   * every stream thread gets the same share (key hashing puts 3 of 8 cameras on one partition).
   */
  private static int partition(SimFrame f) {
    return Integer.parseInt(f.cameraId().substring(f.cameraId().lastIndexOf('-') + 1)) % 4;
  }

  /**
   * Frames/s over {@code count} fused results after the first {@code warmup} (the clock starts when
   * result {@code warmup + 1} is seen, or at the first result when there is no warm-up).
   */
  static double rate(ResultsReader reader, Topics topics, int warmup, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int total = warmup + count;
    long first = 0;
    int atFirst = 0;
    int seen = 0;
    while (System.nanoTime() < deadline && seen < total) {
      seen = reader.distinctFrames(topics.frames().name());
      if (first == 0 && seen > warmup) {
        first = System.nanoTime();
        atFirst = seen;
      }
      Thread.sleep(first == 0 ? 1 : 20);
    }
    if (seen < total) {
      throw new IllegalStateException(
          "only " + seen + " of " + total + " results within " + timeout);
    }
    return (seen - atFirst) / ((System.nanoTime() - first) / 1e9);
  }

  /**
   * The popular examples' topology: Kafka Streams defaults (one thread, at-least-once), {@code
   * mapValues} with a full-size decode and one {@code predict} per record.
   */
  private static KafkaStreams naive(
      PerceptionModel model, Topics topics, String bootstrap, Path work)
      throws java.io.IOException {
    FrameDecoder full =
        new FrameDecoder(model.card().inputWidth(), model.card().inputHeight(), false);
    Predictor<FrameDecoder.Decoded, Perception> predictor = model.newPredictor();
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, byte[]> in =
        b.stream(topics.cameraFrames().name(), Consumed.with(Serdes.String(), Serdes.ByteArray()));
    KStream<String, ResultRecords.Outputs> results =
        in.processValues(
            () ->
                new FixedKeyProcessor<String, byte[], ResultRecords.Outputs>() {
                  private FixedKeyProcessorContext<String, ResultRecords.Outputs> ctx;

                  @Override
                  public void init(FixedKeyProcessorContext<String, ResultRecords.Outputs> c) {
                    ctx = c;
                  }

                  @Override
                  public void process(FixedKeyRecord<String, byte[]> r) {
                    long offset = ctx.recordMetadata().map(RecordMetadata::offset).orElse(0L);
                    FrameInput.Incoming f =
                        FrameInput.parse(r.key(), r.value(), r.headers(), offset, r.timestamp());
                    FrameDecoder.Decoded d = full.decode(f.image(), FrameValidator.defaults());
                    Perception p = model.predict(predictor, List.of(d)).get(0);
                    FrameMeta meta =
                        new FrameMeta(
                            FrameMeta.frameId(f.cameraId(), f.frameSeq()),
                            f.cameraId(),
                            f.vehicleId(),
                            f.frameSeq(),
                            f.captureTs(),
                            d.letterbox().srcWidth(),
                            d.letterbox().srcHeight());
                    RecordHeaders h = new RecordHeaders();
                    h.add(HeaderNames.FRAME_ID, meta.frameId().getBytes(StandardCharsets.UTF_8));
                    h.add(
                        HeaderNames.CAPTURE_TS,
                        Long.toString(f.captureTs()).getBytes(StandardCharsets.UTF_8));
                    ctx.forward(
                        r.withValue(
                                ResultRecords.all(
                                    meta, p, System.currentTimeMillis() - f.captureTs()))
                            .withHeaders(h));
                  }
                });
    Produced<String, SpecificRecord> out =
        Produced.with(
            Serdes.String(),
            Serdes.serdeFrom(
                ResultSerdes.serializer(OutputFormat.AVRO),
                (topic, data) -> {
                  throw new UnsupportedOperationException("write-only");
                }));
    results
        .mapValues(o -> (SpecificRecord) o.classification())
        .to(topics.classification().name(), out);
    results.mapValues(o -> (SpecificRecord) o.detections()).to(topics.detections().name(), out);
    results.mapValues(o -> (SpecificRecord) o.segmentation()).to(topics.segmentation().name(), out);
    results.mapValues(o -> (SpecificRecord) o.scene()).to(topics.scene().name(), out);
    results.mapValues(o -> (SpecificRecord) o.fused()).to(topics.frames().name(), out);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-naive");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Files.createDirectories(work.resolve("state-naive-app")).toString());
    p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), 8 << 20);
    p.put(StreamsConfig.producerPrefix("max.request.size"), 8 << 20);
    KafkaStreams app =
        new KafkaStreams(b.build(), p) {
          @Override
          public void close() {
            super.close(Duration.ofSeconds(30));
            predictor.close();
          }
        };
    return app;
  }
}
