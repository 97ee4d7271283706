package dev.hydrastream.inference;

import ai.djl.inference.Predictor;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.frame.InvalidFrameException;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream processor talks to: {@link #prepare} validates and decodes an encoded frame into
 * the model input, {@link #predict} runs it through the shared batching predictor. The processor
 * never reaches past this facade to the model or its decoder.
 */
public final class Serving implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Serving.class);

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

  /**
   * Runs the serving path on a throwaway frame before the first real one: a 1280x720 JPEG decoded
   * and letterboxed, one model call on a predictor of its own (the session's first run, and the
   * results the code after the model is warmed up on), then calls at batch 1 and at {@code
   * maxBatch} on each batching worker's predictor ({@link BatchingPredictor#warmUp}: a predictor's
   * own first calls are slow too, about twice a warm call). TensorFlow optimises its graph on a
   * session's first run (about a second here) and the JIT compiles the decode and result code on
   * first use; without this, the first frames of a camera queue behind that work and a light load
   * starts with seconds of latency. Not counted in the batching statistics.
   *
   * @return the throwaway frame, its results and how long it took
   */
  public WarmUp warmUp(int maxBatch) {
    long start = System.nanoTime();
    int w = 1280;
    int h = 720;
    byte[] bgr = new byte[w * h * 3];
    for (int i = 0; i < bgr.length; i++) {
      bgr[i] = (byte) ((i / 3 % w) * 255 / w);
    }
    byte[] jpeg = ImageEncoder.jpeg(bgr, w, h, 85);
    // its own limits: the service's frame caps may be smaller than this made-up frame
    FrameValidator any = new FrameValidator(jpeg.length, w, h);
    FrameDecoder.Decoded frame = null;
    for (int i = 0; i < 3; i++) {
      frame = model.decoder().decode(jpeg, any);
    }
    Perception result;
    // Once, before the workers run concurrently; the shapes they serve are warmed on their own.
    try (Predictor<FrameDecoder.Decoded, Perception> p = model.newPredictor()) {
      result = model.predict(p, List.of(frame)).get(0);
    }
    try {
      if (!batcher.warmUp(frame, maxBatch, Duration.ofSeconds(60))) {
        LOG.warn("batching workers not warmed up within 60 s; the first frames may be slow");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new WarmUp(frame, result, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * What {@link #warmUp} ran: the throwaway frame, what the model made of it (for warming up the
   * code after the model), and the milliseconds it took.
   */
  public record WarmUp(FrameDecoder.Decoded frame, Perception perception, long millis) {}

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
   * The served model's name, version and graph SHA-256. A result names the model that answered it
   * ({@link Perception#model()}); this is for logs and checks, not for writing results.
   */
  public ModelIdentity identity() {
    return model.identity();
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
