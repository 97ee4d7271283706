package dev.hydrastream.streams.shadow;

import ai.djl.inference.Predictor;
import dev.hydrastream.config.Settings;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.ModelRepository;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.ModelAgreement;
import dev.hydrastream.metrics.ShadowStats;
import dev.hydrastream.runtime.BackgroundPriority;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.ShadowResult;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.timing.ResultLatency;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate model answering a sample of the live frames after the incumbent ({@code
 * shadow.model}, {@code shadow.fraction}), off the critical path: {@code perceive} hands a sampled
 * frame (its decoded input and the incumbent's fused result) to {@link #offer}, which never waits:
 * when the bounded queue ({@code shadow.queue.size}) is full the frame is dropped and counted. One
 * worker thread with a predictor of its own, on a TensorFlow session with thread pools of its own
 * ({@code shadow.intra.op.threads}), runs the candidate on the queued frames (together, up to
 * {@code batch.max.size}), compares each answer with the incumbent's ({@link ModelAgreement}) and
 * puts the {@code perception.shadow} record into the task's {@link Outbox}; the stream thread
 * forwards it in its own transaction (docs/operations.md "Shadowing a candidate" says why).
 */
public final class Shadow implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Shadow.class);

  private final PerceptionModel model;
  private final ModelIdentity identity;
  private final double fraction;
  private final int maxBatch;
  private final boolean padSingle;
  private final ResultLatency latency;
  private final ShadowStats stats;
  private final BlockingQueue<Job> queue;
  private final Thread worker;
  private volatile boolean closed;

  /**
   * One sampled frame waiting for the shadow model.
   *
   * @param meta the frame's identity and size
   * @param incumbent the incumbent's fused result of the frame (only its heads are read)
   * @param incumbentModel the model that answered the frame
   * @param incumbentModelNanos the duration of the incumbent's model call for the frame's batch
   * @param input the frame as the model reads it (shared, never modified)
   * @param headers the frame's result headers (identity, lineage), copied onto the record
   * @param timestamp the frame record's timestamp
   * @param outbox where the finished record goes: the frame's task's
   */
  public record Job(
      FrameMeta meta,
      PerceptionFrame incumbent,
      ModelIdentity incumbentModel,
      long incumbentModelNanos,
      FrameDecoder.Decoded input,
      Headers headers,
      long timestamp,
      Outbox outbox) {}

  /**
   * The finished {@code perception.shadow} records of one task, which its stream thread forwards
   * into its own transaction ({@link #drain}); the worker adds, the stream thread takes.
   */
  public static final class Outbox {
    private final Queue<Record<String, Object>> done = new ConcurrentLinkedQueue<>();

    void add(Record<String, Object> r) {
      done.add(r);
    }

    /** Hands every finished record to {@code forward}, oldest first. */
    public void drain(Consumer<Record<String, Object>> forward) {
      for (Record<String, Object> r = done.poll(); r != null; r = done.poll()) {
        forward.accept(r);
      }
    }
  }

  Shadow(
      PerceptionModel model,
      double fraction,
      int queueSize,
      int maxBatch,
      boolean padSingle,
      ResultLatency latency,
      ShadowStats stats) {
    this.model = model;
    this.identity = model.identity();
    this.fraction = fraction;
    this.maxBatch = Math.max(1, maxBatch);
    this.padSingle = padSingle;
    this.latency = latency;
    this.stats = stats;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.worker = new Thread(this::run, "hydra-shadow");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * The shadow {@code shadow.model} names, loaded from {@code model.repository} and verified as an
   * activation candidate is ({@link Serving#loadCandidate}: files and SHA-256, the incumbent's
   * heads and input size, signature, a smoke inference), its worker started; null when {@code
   * shadow.model} is empty.
   *
   * @throws ConfigException naming {@code shadow.model} when the model is not in the repository or
   *     fails a check
   */
  public static Shadow start(
      Settings settings, Serving serving, PerceptionModel.Options options, ShadowStats stats) {
    String value = settings.getString(Settings.SHADOW_MODEL);
    String[] nameVersion = Settings.shadowModel(value);
    if (nameVersion == null) {
      return null;
    }
    Shadow shadow;
    try {
      Path dir =
          new ModelRepository(settings.modelRepository()).resolve(nameVersion[0], nameVersion[1]);
      PerceptionModel.Options own =
          options.toBuilder()
              .optThreads(settings.getInt(Settings.SHADOW_INTRA_OP_THREADS), 1)
              .optOwnThreadPools(true)
              .build();
      // Loaded and started on a lowered thread: the session's own thread pools and the worker
      // inherit its priority, so the shadow computes in the background.
      shadow =
          BackgroundPriority.callLowered(
              "hydra-shadow-start",
              settings.getInt(Settings.BACKGROUND_NICE),
              () ->
                  new Shadow(
                      serving.loadCandidate(nameVersion[0], nameVersion[1], dir, own).model(),
                      settings.getDouble(Settings.SHADOW_FRACTION),
                      settings.getInt(Settings.SHADOW_QUEUE_SIZE),
                      settings.getInt(Settings.BATCH_MAX_SIZE),
                      settings.getBoolean(Settings.BATCH_PAD_SINGLE),
                      ResultLatency.of(settings),
                      stats));
    } catch (RuntimeException e) {
      throw new ConfigException(Settings.SHADOW_MODEL, value, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading shadow model " + value, e);
    }
    LOG.info(
        "shadow model {} answers {} of the frames beside {}",
        shadow.identity(),
        settings.getDouble(Settings.SHADOW_FRACTION),
        serving.identity());
    return shadow;
  }

  /**
   * Whether frame {@code frameId} is in a sample of {@code fraction} of all frames: decided from
   * the id alone, so every run, replay and instance samples the same frames.
   */
  public static boolean sampled(String frameId, double fraction) {
    return ShadowSampling.sampled(frameId, fraction);
  }

  /** Whether this shadow answers frame {@code frameId} ({@code shadow.fraction}). */
  public boolean sampled(String frameId) {
    return ShadowSampling.sampled(frameId, fraction);
  }

  /** The shadow model's name, version and graph SHA-256. */
  public ModelIdentity identity() {
    return identity;
  }

  /** The running comparison. */
  public ShadowStats stats() {
    return stats;
  }

  /**
   * Queues a sampled frame for the shadow model without waiting: counted as sampled, and as dropped
   * when the queue is full.
   *
   * @return whether it was queued
   */
  public boolean offer(Job job) {
    stats.sampled();
    if (closed || !queue.offer(job)) {
      stats.dropped();
      return false;
    }
    return true;
  }

  private void run() {
    try (Predictor<FrameDecoder.Decoded, Perception> predictor = model.newPredictor()) {
      List<Job> jobs = new ArrayList<>();
      while (!closed) {
        Job first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        jobs.clear();
        jobs.add(first);
        queue.drainTo(jobs, maxBatch - 1);
        answer(predictor, jobs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("shadow worker stopped; no more shadow records: {}", e.toString(), e);
    }
  }

  /** One model call on the jobs' frames, then a compared record per job into its outbox. */
  private void answer(Predictor<FrameDecoder.Decoded, Perception> predictor, List<Job> jobs) {
    List<FrameDecoder.Decoded> inputs = new ArrayList<>();
    jobs.forEach(j -> inputs.add(j.input()));
    if (inputs.size() == 1 && padSingle) {
      inputs.add(inputs.get(0)); // as the incumbent's batcher: the same bits as in any batch
    }
    List<Perception> answers;
    long t0 = System.nanoTime();
    try {
      answers = model.predict(predictor, inputs);
    } catch (RuntimeException e) {
      LOG.warn("shadow model call on {} frames failed: {}", jobs.size(), e.getMessage());
      jobs.forEach(j -> stats.failed());
      return;
    }
    long callNanos = System.nanoTime() - t0;
    for (int i = 0; i < jobs.size(); i++) {
      Job j = jobs.get(i);
      try {
        j.outbox().add(compare(j, answers.get(i), callNanos));
      } catch (RuntimeException e) {
        LOG.warn("shadow comparison of frame {} failed: {}", j.meta().frameId(), e.getMessage());
        stats.failed();
      }
    }
  }

  private Record<String, Object> compare(Job j, Perception answer, long callNanos) {
    PerceptionFrame candidate = ResultRecords.fused(j.meta(), answer, 0.0);
    ModelAgreement one = new ModelAgreement();
    one.add(j.incumbent(), candidate);
    ModelAgreement.Report r = one.report();
    double incumbentMs = j.incumbentModelNanos() / 1e6;
    double shadowMs = callNanos / 1e6;
    stats.compared(one, shadowMs - incumbentMs);
    FrameMeta m = j.meta();
    ShadowResult value =
        ShadowResult.newBuilder()
            .setFrameId(m.frameId())
            .setCameraId(m.cameraId())
            .setVehicleId(m.vehicleId())
            .setFrameSeq(m.frameSeq())
            .setCaptureTs(java.time.Instant.ofEpochMilli(m.captureTs()))
            .setFrameWidth(m.width())
            .setFrameHeight(m.height())
            .setModel(j.incumbentModel().id())
            .setLatencyMs(latency.field(ResultLatency.since(m.captureTs())))
            .setModelSha256(j.incumbentModel().sha256())
            .setShadowModel(answer.model().id())
            .setShadowModelSha256(answer.model().sha256())
            .setAttributeAgreement(r.attributeAgreement())
            .setShadowLabels(labels(candidate))
            .setDetectionF1(r.detectionF1())
            .setMaskIou(Double.isNaN(r.maskIou()) ? null : r.maskIou())
            .setModelMs(incumbentMs)
            .setShadowModelMs(shadowMs)
            .setLatencyDeltaMs(shadowMs - incumbentMs)
            .build();
    Headers h = new RecordHeaders(j.headers().toArray());
    h.remove(HeaderNames.SCHEMA);
    h.add(
        HeaderNames.SCHEMA,
        ShadowResult.getClassSchema().getFullName().getBytes(StandardCharsets.UTF_8));
    return new Record<>(m.cameraId(), value, j.timestamp(), h);
  }

  private static java.util.Map<String, String> labels(PerceptionFrame f) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    if (f.getWeather() != null) {
      out.put("weather", f.getWeather().getLabel());
    }
    if (f.getTimeofday() != null) {
      out.put("timeofday", f.getTimeofday().getLabel());
    }
    if (f.getScene() != null) {
      out.put("scene", f.getScene().getLabel());
    }
    return out;
  }

  /** Stops the worker (frames still queued get no record) and closes the shadow model. */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!worker.isAlive()) {
      model.close();
    }
  }
}
