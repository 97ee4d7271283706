package dev.hydrastream.inference;

import ai.djl.inference.Predictor;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.frame.InvalidFrameException;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

  private final FrameValidator validator;
  private final BatchingPredictor batcher;

  /**
   * @param validator byte-level checks every frame passes before native decoding
   * @param batcher the shared batching predictor over the served model (both closed with this
   *     facade)
   */
  public Serving(FrameValidator validator, BatchingPredictor batcher) {
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
      // Any served model's decoder: a candidate with another input size is refused.
      return batcher.model().decoder().decode(encoded, validator);
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
    PerceptionModel model = batcher.model();
    FrameDecoder.Decoded frame = throwawayFrame(model);
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
   * A made-up 1280x720 frame (a horizontal ramp) through {@code model}'s decoder, three times (the
   * JIT's first calls are slow): the frame warm-ups and the smoke inference of a candidate run on.
   */
  private static FrameDecoder.Decoded throwawayFrame(PerceptionModel model) {
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
    return frame;
  }

  /** Longest wait for the batching workers to leave the old model after a switch. */
  private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Loads the model in {@code dir} beside the served one, verifies it and switches to it: its files
   * (the card names the SHA-256 of saved_model.pb, and the file matches it), its card (the model
   * and version asked for, the served model's heads and input size), its signature (the outputs its
   * heads promise, {@link PerceptionModel#load}), and a smoke inference on a throwaway frame (every
   * head answers, values in range). Then it warms one predictor per batching worker (at batch 1 and
   * {@code maxBatch}) and hands them over: each worker moves to the new model between two model
   * calls, and the old model is closed once none uses it. A model that fails any check is refused
   * (an ERROR line names it, its directory and the reason) and the served model keeps serving,
   * untouched. Called from one thread at a time.
   */
  public Activation activate(
      String name, String version, Path dir, PerceptionModel.Options options, int maxBatch)
      throws InterruptedException {
    long t0 = System.nanoTime();
    PerceptionModel candidate = null;
    List<Predictor<FrameDecoder.Decoded, Perception>> ready = new ArrayList<>();
    String sha;
    try {
      Candidate c = loadCandidate(name, version, dir, options);
      candidate = c.model();
      sha = c.sha256();
      for (int i = 0; i < batcher.workers(); i++) {
        Predictor<FrameDecoder.Decoded, Perception> p = candidate.newPredictor();
        ready.add(p);
        candidate.predict(p, List.of(c.frame()));
        candidate.predict(p, Collections.nCopies(Math.max(1, maxBatch), c.frame()));
      }
    } catch (RuntimeException e) {
      ready.forEach(Predictor::close);
      if (candidate != null) {
        candidate.close();
      }
      LOG.error(
          "model {} version {} in {} refused; {} keeps serving: {}",
          name,
          version,
          dir,
          card().id(),
          e.getMessage());
      return Activation.refused(name, version, dir, e.getMessage(), millisSince(t0));
    }
    String before = card().id();
    BatchingPredictor.Switched s = batcher.switchTo(candidate, ready, SWITCH_TIMEOUT);
    if (s.idle()) {
      s.old().close();
    } else {
      // Closing it under a running call would fail that call's frames: leave it to the GC.
      LOG.warn("a batching worker still uses {} after {}; not closing it", before, SWITCH_TIMEOUT);
    }
    long millis = millisSince(t0);
    LOG.info(
        "model {} version {} from {} activated in {} ms (was {})",
        name,
        version,
        dir,
        millis,
        before);
    return new Activation(name, version, dir, Activation.Outcome.ACTIVATED, null, sha, millis);
  }

  /**
   * A model loaded and verified beside the served one ({@link #loadCandidate}).
   *
   * @param model the loaded model (the caller closes it)
   * @param sha256 the SHA-256 of its saved_model.pb, as its card names it and the file has
   * @param frame the throwaway frame its smoke inference ran on, for warming it up further
   */
  public record Candidate(PerceptionModel model, String sha256, FrameDecoder.Decoded frame) {}

  /**
   * Loads the model in {@code dir} on the served model's device and verifies it as a candidate to
   * answer frames beside or instead of the served one: its files (the card names the SHA-256 of
   * saved_model.pb, and the file matches it), its card (the model and version asked for, the served
   * model's heads and input size), its signature ({@link PerceptionModel#load}) and a smoke
   * inference on a throwaway frame (every head answers, values in range). An activation and a
   * shadow model go through the same checks.
   *
   * @throws IllegalArgumentException naming the directory and the check that failed (nothing stays
   *     loaded)
   */
  public Candidate loadCandidate(
      String name, String version, Path dir, PerceptionModel.Options options) {
    ModelCard card = ModelCard.read(dir);
    if (!card.name().equals(name) || !card.version().equals(version)) {
      throw new IllegalArgumentException(
          dir.resolve(ModelCard.FILE) + " is " + card.id() + ", not " + name + "@" + version);
    }
    ModelRepository.verifyFiles(dir, card);
    String sha = card.raw().path(ModelCard.SHA256_FIELD).asText();
    ModelChecks.requireCompatible(dir, card, card());
    // on the served model's device, whatever the options say
    PerceptionModel candidate =
        PerceptionModel.load(dir, options.toBuilder().optDevice(batcher.model().device()).build());
    try {
      FrameDecoder.Decoded frame = throwawayFrame(candidate);
      try (Predictor<FrameDecoder.Decoded, Perception> p = candidate.newPredictor()) {
        ModelChecks.requireWellFormed(dir, card, candidate.predict(p, List.of(frame)).get(0));
      }
      return new Candidate(candidate, sha, frame);
    } catch (RuntimeException e) {
      candidate.close();
      throw e;
    }
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * What {@link #warmUp} ran: the throwaway frame, what the model made of it (for warming up the
   * code after the model), and the milliseconds it took.
   */
  public record WarmUp(FrameDecoder.Decoded frame, Perception perception, long millis) {}

  /** The device the model runs on: {@code cpu}, or {@code gpu:N}. */
  public String device() {
    ai.djl.Device d = batcher.model().device();
    return d.isGpu() ? "gpu:" + d.getDeviceId() : d.getDeviceType();
  }

  /** The served model's card (the model new batches run on). */
  public ModelCard card() {
    return batcher.model().card();
  }

  /**
   * The served model's name, version and graph SHA-256. A result names the model that answered it
   * ({@link Perception#model()}); this is for logs and checks, not for writing results.
   */
  public ModelIdentity identity() {
    return batcher.model().identity();
  }

  /**
   * The lowest detection score served: detections below it are dropped ({@code model.min.score}).
   */
  public double minScore() {
    return batcher.model().minScore();
  }

  /** Batching counters since start. */
  public BatchingPredictor.Stats stats() {
    return batcher.stats();
  }

  @Override
  public void close() {
    batcher.close();
    batcher.model().close();
  }
}
