package dev.hydrastream.inference;

import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.InvalidFrameException;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import java.util.concurrent.TimeoutException;

/**
 * What a stream processor talks to: {@link #prepare} validates and decodes an encoded frame into
 * the model input, {@link #predict} runs it through the shared batching predictor. The processor
 * never reaches past this facade to the model or its decoder.
 */
public final class Serving implements AutoCloseable {

  private final PerceptionModel model;
  private final FrameValidator validator;
  private final BatchingPredictor batcher;

  /**
   * @param model the loaded model (closed with this facade)
   * @param validator byte-level checks every frame passes before native decoding
   * @param batcher the shared batching predictor over {@code model} (closed with this facade)
   */
  public Serving(PerceptionModel model, FrameValidator validator, BatchingPredictor batcher) {
    this.model = model;
    this.validator = validator;
    this.batcher = batcher;
  }

  /**
   * Validates and decodes an encoded JPEG/PNG frame into the model input. While it decodes, the
   * batcher knows a frame is coming from this thread ({@link BatchingPredictor#announce}), so a
   * batch closing meanwhile waits for it (at most {@code batch.max.wait.ms}).
   *
   * @throws InvalidFrameException naming the problem; nothing native ran for refused bytes
   */
  public FrameDecoder.Decoded prepare(byte[] encoded) {
    batcher.announce();
    try {
      return model.decoder().decode(encoded, validator);
    } catch (RuntimeException e) {
      batcher.withdraw();
      throw e;
    }
  }

  /**
   * Predicts one prepared frame, batched with other callers; blocks until done.
   *
   * @throws TimeoutException if no result within {@code timeoutMillis} (not the frame's fault)
   */
  public Perception predict(FrameDecoder.Decoded frame, long timeoutMillis)
      throws InterruptedException, TimeoutException {
    return batcher.predict(frame, timeoutMillis);
  }

  /** Like {@link #predict}, with the frame's batch wait and model call times. */
  public Prediction predictTimed(FrameDecoder.Decoded frame, long timeoutMillis)
      throws InterruptedException, TimeoutException {
    return batcher.predictTimed(frame, timeoutMillis);
  }

  /** The device the model runs on: {@code cpu}, or {@code gpu:N}. */
  public String device() {
    ai.djl.Device d = model.device();
    return d.isGpu() ? "gpu:" + d.getDeviceId() : d.getDeviceType();
  }

  /** The served model's card. */
  public ModelCard card() {
    return model.card();
  }

  /**
   * The lowest detection score served: detections below it are dropped ({@code model.min.score}).
   */
  public double minScore() {
    return model.minScore();
  }

  /** Batching counters since start. */
  public BatchingPredictor.Stats stats() {
    return batcher.stats();
  }

  @Override
  public void close() {
    batcher.close();
    model.close();
  }
}
