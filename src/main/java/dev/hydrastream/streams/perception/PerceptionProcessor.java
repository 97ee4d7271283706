package dev.hydrastream.streams.perception;

import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.InvalidFrameException;
import dev.hydrastream.inference.Prediction;
import dev.hydrastream.inference.Serving;
import dev.hydrastream.metrics.FrameClock;
import dev.hydrastream.metrics.FrameClock.Phase;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.dashboard.LatestFrame;
import dev.hydrastream.streams.shadow.Shadow;
import dev.hydrastream.streams.timing.CameraClock;
import dev.hydrastream.streams.timing.FrameTiming;
import dev.hydrastream.streams.timing.ResultLatency;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.FrameRejectedException;
import dev.hydrastream.streams.topics.ResultOutput;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.streams.topics.TopologyNodes;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The perception step: parse → validate → decode → one batched model call → one record per result
 * topic. It blocks until its frame's results are forwarded, so the input offset can never be
 * committed before them; frames are batched across stream threads by the {@link Serving} facade. A
 * bad frame throws {@link FrameRejectedException}, which the {@link DeadLetterHandler} turns into a
 * dead-letter record; the thread goes on. Each frame's stage times go to {@link ServiceMetrics},
 * and the frame with its results to the latest-frame store ({@link LatestFrameProcessor}).
 *
 * <p>Before a frame is decoded, it is judged against its camera's {@link CameraClock} (in the
 * {@value CameraClock#STORE} store) by the {@link FrameTiming} contract: a late or out-of-order
 * frame is counted there and in the metrics, and dead-lettered ({@link DlqReason#LATE}, {@link
 * DlqReason#OUT_OF_ORDER}) when its policy says so, at no decode or model cost. An answered frame
 * moves its camera's clock forward, never back.
 *
 * <p>With a {@link Shadow} ({@code shadow.model}), a sampled frame is handed to it after its
 * results were forwarded, without waiting; the shadow's finished records come back through this
 * task's {@link Shadow.Outbox} and are forwarded to {@code perception.shadow} in this task's
 * transaction: before each frame and every {@value #SHADOW_DRAIN_MS} ms of wall-clock time.
 */
final class PerceptionProcessor implements Processor<String, byte[], String, Object> {

  /** How often finished shadow records are forwarded when no frame comes. */
  static final long SHADOW_DRAIN_MS = 100;

  private final Supplier<Serving> servingSupplier;
  private Serving serving;
  private final Supplier<Shadow> shadowSupplier;
  private Shadow shadow;
  private Shadow.Outbox outbox;
  private final ServiceMetrics metrics;
  private final FrameSettings frames;
  private double oodThreshold;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, byte[]> clocks;

  PerceptionProcessor(
      Supplier<Serving> serving,
      Supplier<Shadow> shadow,
      ServiceMetrics metrics,
      FrameSettings frames) {
    this.servingSupplier = serving;
    this.shadowSupplier = shadow;
    this.metrics = metrics;
    this.frames = frames;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.clocks = context.getStateStore(CameraClock.STORE);
    // Resolved here, not in the constructor: Kafka calls the supplier when the topology is
    // built (and described), where no model exists.
    this.serving = servingSupplier.get();
    this.oodThreshold = serving == null ? 1.0 : serving.card().oodThreshold();
    this.shadow = shadowSupplier.get();
    if (shadow != null) {
      outbox = new Shadow.Outbox();
      context.schedule(
          Duration.ofMillis(SHADOW_DRAIN_MS), PunctuationType.WALL_CLOCK_TIME, t -> drainShadow());
    }
  }

  /** Forwards the shadow's finished records of this task to perception.shadow. */
  private void drainShadow() {
    outbox.drain(r -> context.forward(r, TopologyNodes.SHADOW));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (!frames.inWindow(record.timestamp())) {
      return; // outside frame.window.*: a replay's range
    }
    if (outbox != null) {
      drainShadow();
    }
    FrameClock frame = metrics.startFrame();
    RecordMetadata source =
        context
            .recordMetadata()
            .orElseThrow(
                () -> new IllegalStateException("perceive called without a source record"));
    long offset = source.offset();
    FrameInput.Incoming in =
        FrameInput.parse(
            record.key(), record.value(), record.headers(), offset, record.timestamp());
    metrics.received(in.cameraId(), in.captureTs(), frame.startMillis());
    CameraClock clock = judge(in, frame.startMillis());
    FrameDecoder.Decoded decoded;
    try {
      decoded = serving.prepare(in.image());
    } catch (InvalidFrameException e) {
      throw new FrameRejectedException(DlqReason.of(e.problem()), e.detail());
    }
    frame.mark(Phase.DECODE);
    Prediction prediction;
    try {
      prediction = serving.predictTimed(decoded, frames.timeoutMillis());
    } catch (TimeoutException e) {
      // Not the frame's fault: fail the thread so the frame is processed again after restart.
      throw new StreamsException(
          "model call did not return within predict.timeout.ms=" + frames.timeoutMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamsException("interrupted while waiting for the model", e);
    }
    frame.mark(Phase.BATCH_WAIT);
    Perception result = prediction.perception();
    FrameMeta meta =
        new FrameMeta(
            FrameMeta.frameId(in.cameraId(), in.frameSeq()),
            in.cameraId(),
            in.vehicleId(),
            in.frameSeq(),
            in.captureTs(),
            decoded.letterbox().srcWidth(),
            decoded.letterbox().srcHeight());
    double latencyMs = ResultLatency.since(in.captureTs());
    ResultRecords.Frame answer =
        ResultRecords.frame(meta, result, frames.latency().field(latencyMs));
    String key = in.cameraId();
    RecordHeaders base = frames.headers(meta, result, source, latencyMs);
    for (ResultOutput<?> o : ResultOutput.PER_TASK) {
      forward(record, key, base, o.build(answer), o.sink());
    }
    PerceptionFrame fused = ResultRecords.fused(answer);
    frame.mark(Phase.RESULT);
    CameraClock moved = clock.answeredAt(in.captureTs());
    if (moved != clock) {
      clocks.put(key, moved.encode());
    }
    // the fused frame goes to perception.frames through the tracking stage, which adds its tracks
    // (in place, before forward returns: the dashboard's entry below shows them)
    forward(record, key, base, fused, TopologyNodes.TRACK);
    frame.mark(Phase.TRACKING);
    if (shadow != null && shadow.sampled(meta.frameId())) {
      // after the incumbent's results; never waits (a full queue drops the frame, counted)
      shadow.offer(
          new Shadow.Job(
              meta,
              fused,
              result.model(),
              prediction.modelNanos(),
              decoded,
              base,
              record.timestamp(),
              outbox));
    }
    metrics.perceived(frame, prediction);
    if (result.oodScore() != null) {
      metrics.outOfDistribution(key, result.oodScore(), result.unsure(oodThreshold));
    }
    frame.mark(Phase.COUNTING);
    context.forward(
        new Record<String, Object>(
            key,
            new LatestFrame(meta, result, decoded, latencyMs, oodThreshold, fused.getTracks()),
            record.timestamp()),
        TopologyNodes.LATEST);
    metrics.record(frame); // ends the latest-frame phase
  }

  /**
   * Judges the frame against its camera's clock: counts a late or out-of-order frame (store and
   * metrics) and throws the dead letter when its policy says so.
   *
   * @return the camera's clock with the counts, as stored
   * @throws FrameRejectedException as {@link DlqReason#LATE} or {@link DlqReason#OUT_OF_ORDER}
   */
  private CameraClock judge(FrameInput.Incoming in, long arrivalMillis) {
    CameraClock clock;
    try {
      clock = CameraClock.decode(clocks.get(in.cameraId()));
    } catch (IllegalStateException e) {
      // Not the frame's fault: stop rather than forget the camera's clock and counts.
      throw new StreamsException(
          "camera clock of camera " + in.cameraId() + ": " + e.getMessage(), e);
    }
    FrameTiming.Verdict v = frames.timing().judge(in.captureTs(), arrivalMillis, clock);
    if (!v.notable()) {
      return clock;
    }
    clock = clock.counted(v);
    // Written before the dead letter is thrown: the handler resumes, so the count commits with it.
    clocks.put(in.cameraId(), clock.encode());
    metrics.frameTiming(in.cameraId(), v.late(), v.outOfOrder(), v.reason() != null);
    if (v.reason() != null) {
      throw new FrameRejectedException(
          v.reason(), v.detail(in.captureTs(), frames.timing().maxAgeMs()));
    }
    return clock;
  }

  private void forward(
      Record<String, byte[]> in,
      String key,
      RecordHeaders base,
      SpecificRecord value,
      String child) {
    RecordHeaders h = new RecordHeaders(base.toArray());
    h.add(HeaderNames.SCHEMA, value.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<>(key, value, in.timestamp(), h), child);
  }
}
