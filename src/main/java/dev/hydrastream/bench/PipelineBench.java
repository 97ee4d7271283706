package dev.hydrastream.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.ImageHeader;
import dev.hydrastream.inference.BatchingPredictor;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.PerceptionResult;
import dev.hydrastream.kafka.EmbeddedKafka;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.sim.SimulatedCamera;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.streams.FrameInput;
import dev.hydrastream.streams.FrameMeta;
import dev.hydrastream.streams.PerceptionProcessor;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.ResultsReader;
import dev.hydrastream.streams.Topics;
import dev.hydrastream.streams.serde.OutputFormat;
import dev.hydrastream.streams.serde.ResultRecords;
import dev.hydrastream.streams.serde.ResultSerdes;
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

/**
 * The pipeline end to end through a real (embedded) broker, against two references measured in
 * the same run on the same frames: the <em>limit</em> (the same decode + batched model work on
 * the same number of threads, no Kafka) and the <em>naive baseline</em> of the popular examples
 * (Kafka Streams defaults — one stream thread, at-least-once — with one full-size decode and one
 * {@code predict} per record inside {@code mapValues}, no batching).
 *
 * <p>Capacity is measured on a backlog (frames produced before the application starts):
 * frames/s between the first and the last fused result seen by a {@code read_committed}
 * consumer. Latency is measured at a paced load (a fraction of the measured capacity):
 * receipt time minus capture time (= send time), commit interval included.
 */
public final class PipelineBench {

  /** Everything one run measured. */
  public record Result(int streamThreads, int frames, double limitFps, double pipelineFps,
      double naiveFps, double loadFps, double p50Ms, double p95Ms, double p99Ms,
      long loadFramesSent, long loadFramesLost, double meanBatchAtCapacity) {
    public double pipelineOverLimit() {
      return pipelineFps / limitFps;
    }

    public double pipelineOverNaive() {
      return pipelineFps / naiveFps;
    }
  }

  private PipelineBench() {}

  /**
   * Runs the benchmark.
   *
   * @param threads stream threads of the pipeline (and threads of the limit measurement)
   * @param backlog frames in each capacity measurement
   * @param loadFraction paced load as a fraction of the measured capacity (e.g. 0.5)
   * @param loadSeconds duration of the paced run
   * @param overrides service settings for the pipeline runs (e.g. commit.interval.ms)
   */
  public static Result run(Path modelDir, int threads, int backlog, double loadFraction,
      double loadSeconds, Path work, Map<String, String> overrides) throws Exception {
    List<SimFrame> frames = frames(16);
    Map<String, Object> values = new java.util.LinkedHashMap<>(overrides);
    values.put(Settings.MODEL_DIR, modelDir.toString());
    Settings base = Settings.of(values);
    double limit;
    try (PerceptionModel model = PerceptionService.loadModel(base)) {
      limit = limit(model, frames, threads, base.getInt(Settings.BATCH_MAX_SIZE),
          base.getInt(Settings.BATCH_MAX_WAIT_MS), 10);
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      String bootstrap = kafka.bootstrapServers();
      // 1. Capacity of the pipeline (our defaults: exactly-once, dynamic batching).
      Settings s = settings(base, bootstrap, "cap", threads, work);
      Topics topics = new Topics("cap.");
      PerceptionService.createTopics(s);
      produceBacklog(bootstrap, topics, frames, backlog);
      double pipeline;
      double meanBatch;
      try (PerceptionService service = PerceptionService.create(s);
          ResultsReader reader = new ResultsReader(bootstrap, topics, "reader-cap")) {
        service.start(Duration.ofSeconds(120));
        pipeline = rate(reader, topics, backlog, Duration.ofMinutes(3));
        meanBatch = service.batcher().stats().meanBatch();
      }
      // 2. Latency at a paced load on a fresh application and topics.
      Settings l = settings(base, bootstrap, "load", threads, work);
      Topics loadTopics = new Topics("load.");
      PerceptionService.createTopics(l);
      double loadFps = pipeline * loadFraction;
      long sent;
      ResultsReader.Summary summary;
      try (PerceptionService service = PerceptionService.create(l);
          ResultsReader reader = new ResultsReader(bootstrap, loadTopics, "reader-load")) {
        service.start(Duration.ofSeconds(120));
        sent = paced(bootstrap, loadTopics, frames, loadFps, loadSeconds);
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
      PerceptionService.createTopics(n);
      produceBacklog(bootstrap, naiveTopics, frames, backlog / 2);
      double naive;
      try (PerceptionModel model = PerceptionService.loadModel(base);
          ResultsReader reader = new ResultsReader(bootstrap, naiveTopics, "reader-naive");
          KafkaStreams naiveApp = naive(model, naiveTopics, bootstrap, work)) {
        naiveApp.start();
        naive = rate(reader, naiveTopics, backlog / 2, Duration.ofMinutes(3));
      }
      return new Result(threads, backlog, limit, pipeline, naive, loadFps,
          summary.latencyQuantile(0.5), summary.latencyQuantile(0.95),
          summary.latencyQuantile(0.99), sent, lost, meanBatch);
    }
  }

  private static Settings settings(Settings base, String bootstrap, String name, int threads,
      Path work) throws java.io.IOException {
    return base.with(Map.of(Settings.BOOTSTRAP_SERVERS, bootstrap,
        Settings.APPLICATION_ID, "bench-" + name,
        Settings.TOPIC_PREFIX, name + ".",
        Settings.TOPIC_PARTITIONS, "4",
        Settings.STREAM_THREADS, String.valueOf(threads),
        Settings.STATE_DIR, Files.createDirectories(work.resolve("state-" + name)).toString()));
  }

  /**
   * 1280x720 frames of simulated video from 8 cameras (with 4 cameras, Kafka's key hash would
   * put cam-0..3 on only 2 of 4 partitions and idle half the stream threads).
   */
  static List<SimFrame> frames(int n) {
    List<SimFrame> out = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      try (SimulatedCamera cam = new SimulatedCamera("cam-" + c, "veh-" + c, 1000 + c, 1280,
          720, 5)) {
        for (int i = 0; i < n / 8; i++) {
          out.add(cam.frame(i * 7L));
        }
      }
    }
    return out;
  }

  /** Decode + batched predict on {@code threads} threads, no Kafka: the pipeline's ceiling. */
  static double limit(PerceptionModel model, List<SimFrame> frames, int threads, int maxBatch,
      int maxWait, double seconds) throws InterruptedException {
    try (BatchingPredictor batcher = new BatchingPredictor(model, maxBatch, maxWait, 1)) {
      FrameDecoder decoder = model.decoder();
      BatchingBench.Call work = i -> {
        SimFrame f = frames.get((i[0] + i[1]) % frames.size());
        int[] wh = ImageHeader.size(f.jpeg());
        try {
          batcher.predict(decoder.decode(f.jpeg(), wh[0], wh[1]), 60_000);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException(e);
        }
      };
      BatchingBench.drive(threads, 2, work); // warm-up
      return BatchingBench.drive(threads, seconds, work);
    }
  }

  private static void produceBacklog(String bootstrap, Topics topics, List<SimFrame> frames,
      int count) {
    try (FrameProducer p = new FrameProducer(bootstrap, topics.cameraFrames().name(),
        FrameProducer.Format.AVRO, Map.of())) {
      long now = System.currentTimeMillis();
      for (int i = 0; i < count; i++) {
        SimFrame f = frames.get(i % frames.size());
        p.send(new SimFrame(f.cameraId(), f.vehicleId(), i, now, f.jpeg(), f.width(),
            f.height()), partition(f));
      }
      p.flush();
    }
  }

  /** Sends at {@code fps} for {@code seconds}, capture time = send time; returns frames sent. */
  private static long paced(String bootstrap, Topics topics, List<SimFrame> frames, double fps,
      double seconds) throws InterruptedException {
    try (FrameProducer p = new FrameProducer(bootstrap, topics.cameraFrames().name(),
        FrameProducer.Format.AVRO, Map.of())) {
      long total = (long) (fps * seconds);
      long t0 = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long due = t0 + (long) (i * 1e9 / fps);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        SimFrame f = frames.get((int) (i % frames.size()));
        p.send(new SimFrame(f.cameraId(), f.vehicleId(), i, System.currentTimeMillis(),
            f.jpeg(), f.width(), f.height()), partition(f));
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

  /** Frames/s between the first and the last of {@code count} fused results. */
  private static double rate(ResultsReader reader, Topics topics, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long first = 0;
    int seen = 0;
    while (System.nanoTime() < deadline && seen < count) {
      seen = reader.distinctFrames(topics.frames().name());
      if (first == 0 && seen > 0) {
        first = System.nanoTime();
      }
      Thread.sleep(first == 0 ? 1 : 20);
    }
    if (seen < count) {
      throw new IllegalStateException("only " + seen + " of " + count + " results within "
          + timeout);
    }
    return (seen - 1) / ((System.nanoTime() - first) / 1e9);
  }

  /**
   * The popular examples' topology: Kafka Streams defaults (one thread, at-least-once),
   * {@code mapValues} with a full-size decode and one {@code predict} per record.
   */
  private static KafkaStreams naive(PerceptionModel model, Topics topics, String bootstrap,
      Path work) throws java.io.IOException {
    FrameDecoder full = new FrameDecoder(model.card().inputWidth(), model.card().inputHeight(),
        false);
    Predictor<NDList, NDList> predictor = model.newPredictor();
    StreamsBuilder b = new StreamsBuilder();
    KStream<String, byte[]> in = b.stream(topics.cameraFrames().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()));
    KStream<String, ResultRecords.Outputs> results = in.processValues(() ->
        new FixedKeyProcessor<String, byte[], ResultRecords.Outputs>() {
          private FixedKeyProcessorContext<String, ResultRecords.Outputs> ctx;

          @Override
          public void init(FixedKeyProcessorContext<String, ResultRecords.Outputs> c) {
            ctx = c;
          }

          @Override
          public void process(FixedKeyRecord<String, byte[]> r) {
            FrameInput.Incoming f = FrameInput.parse(r.key(), r.value(), r.headers(), -1,
                r.timestamp());
            int[] wh = ImageHeader.size(f.image());
            PerceptionResult p = model.predict(predictor,
                List.of(full.decode(f.image(), wh[0], wh[1]))).get(0);
            FrameMeta meta = new FrameMeta(FrameMeta.frameId(f.cameraId(), f.frameSeq()),
                f.cameraId(), f.vehicleId(), f.frameSeq(), f.captureTs(), wh[0], wh[1]);
            RecordHeaders h = new RecordHeaders();
            h.add(PerceptionProcessor.H_FRAME_ID,
                meta.frameId().getBytes(StandardCharsets.UTF_8));
            h.add(FrameInput.H_CAPTURE_TS,
                Long.toString(f.captureTs()).getBytes(StandardCharsets.UTF_8));
            ctx.forward(r.withValue(ResultRecords.all(meta, p,
                System.currentTimeMillis() - f.captureTs())).withHeaders(h));
          }
        });
    Produced<String, SpecificRecord> out = Produced.with(Serdes.String(),
        Serdes.serdeFrom(ResultSerdes.serializer(OutputFormat.AVRO), (topic, data) -> {
          throw new UnsupportedOperationException("write-only");
        }));
    results.mapValues(o -> (SpecificRecord) o.classification()).to(
        topics.classification().name(), out);
    results.mapValues(o -> (SpecificRecord) o.detections()).to(topics.detections().name(), out);
    results.mapValues(o -> (SpecificRecord) o.segmentation()).to(
        topics.segmentation().name(), out);
    results.mapValues(o -> (SpecificRecord) o.scene()).to(topics.scene().name(), out);
    results.mapValues(o -> (SpecificRecord) o.fused()).to(topics.frames().name(), out);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-naive");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG,
        Files.createDirectories(work.resolve("state-naive-app")).toString());
    p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), 8 << 20);
    p.put(StreamsConfig.producerPrefix("max.request.size"), 8 << 20);
    KafkaStreams app = new KafkaStreams(b.build(), p) {
      @Override
      public void close() {
        super.close(Duration.ofSeconds(30));
        predictor.close();
      }
    };
    return app;
  }
}
