package dev.hydrastream.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hydrastream model served through DJL's TensorFlow engine. Loading checks the SavedModel's
 * signature against the model card and refuses a model whose outputs are missing or unexpected.
 * {@link #predict} runs one batched call and maps outputs by name (never by position: DJL sorts
 * them) into typed {@link Perception}s with boxes in original frame pixels.
 *
 * <p>The model is shared; a {@link Predictor} is not thread-safe, so each thread uses its own from
 * {@link #newPredictor()}.
 */
public final class PerceptionModel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PerceptionModel.class);

  /**
   * Serving settings.
   *
   * @param device device to run on (null: the engine's default)
   * @param intraOpThreads TensorFlow intra-op threads (0: TensorFlow's default)
   * @param interOpThreads TensorFlow inter-op threads (0: TensorFlow's default)
   * @param minScore detections below this score are dropped
   * @param ownThreadPools the session gets thread pools of its own ({@code
   *     use_per_session_threads}) instead of the process-wide ones the first session made, so a
   *     second model (a shadow) can run on fewer threads than the served one
   */
  public record Options(
      Device device,
      int intraOpThreads,
      int interOpThreads,
      double minScore,
      boolean ownThreadPools) {

    /** Options on the process-wide thread pools. */
    public Options(Device device, int intraOpThreads, int interOpThreads, double minScore) {
      this(device, intraOpThreads, interOpThreads, minScore, false);
    }

    public Options {
      if (intraOpThreads < 0 || interOpThreads < 0) {
        throw new IllegalArgumentException(
            "TensorFlow threads must be >= 0 (0: TensorFlow's default), got "
                + intraOpThreads
                + " intra-op and "
                + interOpThreads
                + " inter-op");
      }
      if (Double.isNaN(minScore)) {
        throw new IllegalArgumentException("the minimum detection score must be a number");
      }
    }

    /** The engine's default device and threads, detections from score 0.3. */
    public static Options defaults() {
      return builder().build();
    }

    /** A builder that starts from {@link #defaults()}. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
      return new Builder()
          .optDevice(device)
          .optThreads(intraOpThreads, interOpThreads)
          .optMinScore(minScore)
          .optOwnThreadPools(ownThreadPools);
    }

    /**
     * Builds {@link Options} (DJL {@code Criteria} style): every option is optional ({@code opt*});
     * {@link #build()} validates.
     */
    public static final class Builder {
      private Device device;
      private int intraOpThreads;
      private int interOpThreads;
      private double minScore = 0.3;
      private boolean ownThreadPools;

      private Builder() {}

      /** The device to run on (null: the engine's default). */
      public Builder optDevice(Device device) {
        this.device = device;
        return this;
      }

      /** TensorFlow intra-op and inter-op threads (0: TensorFlow's default). */
      public Builder optThreads(int intraOp, int interOp) {
        this.intraOpThreads = intraOp;
        this.interOpThreads = interOp;
        return this;
      }

      /** Detections below this score are dropped. */
      public Builder optMinScore(double minScore) {
        this.minScore = minScore;
        return this;
      }

      /** Thread pools of the session's own instead of the process-wide ones. */
      public Builder optOwnThreadPools(boolean own) {
        this.ownThreadPools = own;
        return this;
      }

      public Options build() {
        return new Options(device, intraOpThreads, interOpThreads, minScore, ownThreadPools);
      }
    }
  }

  private final ZooModel<FrameDecoder.Decoded, Perception> model;
  // the card, identity and score floor the model's results are decoded with
  private final PerceptionTranslator translator;
  private final FrameDecoder decoder;
  private final Device device;

  private PerceptionModel(
      ZooModel<FrameDecoder.Decoded, Perception> model,
      PerceptionTranslator translator,
      Device device) {
    this.model = model;
    this.translator = translator;
    this.device = device;
    ModelCard card = translator.card();
    this.decoder = new FrameDecoder(card.inputWidth(), card.inputHeight(), true);
  }

  /**
   * Reads the card of {@code dir} and checks the files it describes ({@link ModelCard#checkFiles}),
   * without loading any engine; each failure names the file.
   */
  public static ModelCard checkFiles(Path dir) {
    ModelCard card = ModelCard.read(dir);
    card.checkFiles(dir);
    return card;
  }

  /** Loads {@code dir} (SavedModel + model.json) and checks its signature against the card. */
  public static PerceptionModel load(Path dir, Options options) {
    // Files first: a missing directory or a damaged graph is named in milliseconds, before the
    // engine spends seconds loading.
    ModelCard card = ModelCard.read(dir);
    // hashed once here (also when the card lacks the field): every result names this graph
    ModelIdentity identity = card.identity(card.checkFiles(dir));
    TensorFlowRuntime.Info tf = TensorFlowRuntime.load();
    Device device = options.device() != null ? options.device() : tf.defaultDevice();
    PerceptionTranslator translator = new PerceptionTranslator(card, identity, options.minScore());
    Criteria<FrameDecoder.Decoded, Perception> criteria =
        Criteria.builder()
            .setTypes(FrameDecoder.Decoded.class, Perception.class)
            .optModelPath(dir)
            .optEngine(TensorFlowRuntime.ENGINE)
            .optDevice(device)
            // Per model, not process-global: the session's thread pools.
            .optOption(
                "ConfigProto",
                TensorFlowRuntime.sessionConfig(
                    options.intraOpThreads(), options.interOpThreads(), options.ownThreadPools()))
            .optTranslator(translator)
            .build();
    ZooModel<FrameDecoder.Decoded, Perception> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException e) {
      throw new IllegalArgumentException(
          dir + ": cannot load the SavedModel: " + e.getMessage(), e);
    }
    try {
      checkSignature(dir, card, model.describeInput(), model.describeOutput());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    LOG.info(
        "Loaded model {} from {} on {} (input {}x{}, heads {})",
        identity,
        dir,
        device,
        card.inputWidth(),
        card.inputHeight(),
        card.heads());
    return new PerceptionModel(model, translator, device);
  }

  /** Refuses a model whose signature does not match its card. */
  static void checkSignature(
      Path dir, ModelCard card, PairList<String, Shape> inputs, PairList<String, Shape> outputs) {
    if (inputs == null || inputs.size() != 1 || !"image".equals(inputs.get(0).getKey())) {
      throw new IllegalArgumentException(
          dir
              + ": signature serving_default must have exactly one"
              + " input named 'image', has "
              + (inputs == null ? "none" : inputs.keys()));
    }
    Shape in = inputs.get(0).getValue();
    if (in != null
        && in.dimension() == 4
        && (in.get(1) != card.inputHeight() || in.get(2) != card.inputWidth())) {
      throw new IllegalArgumentException(
          dir
              + ": input 'image' is "
              + in
              + " but model.json says "
              + card.inputHeight()
              + "x"
              + card.inputWidth());
    }
    Set<String> expected = new HashSet<>();
    card.outputs().values().forEach(expected::addAll);
    // the out-of-distribution score a card may declare beside the heads
    String ood = card.oodOutput();
    if (ood != null) {
      expected.add(ood);
    }
    Set<String> actual = new HashSet<>(outputs.keys());
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(actual);
    Set<String> extra = new HashSet<>(actual);
    extra.removeAll(expected);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          dir
              + ": the SavedModel lacks outputs "
              + missing
              + " that model.json heads promise; refusing to serve it");
    }
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException(
          dir
              + ": the SavedModel has outputs "
              + extra
              + " that model.json does not describe; refusing to serve it");
    }
  }

  public ModelCard card() {
    return translator.card();
  }

  /** Name, version and the SHA-256 of the loaded graph: what each of its results carries. */
  public ModelIdentity identity() {
    return translator.identity();
  }

  /**
   * Detections below this score are dropped ({@link Options#minScore}, {@code model.min.score}).
   */
  public double minScore() {
    return translator.minScore();
  }

  /** The device the model runs on (e.g. {@code cpu()}, {@code gpu(0)}). */
  public Device device() {
    return device;
  }

  public FrameDecoder decoder() {
    return decoder;
  }

  /** A new predictor: not thread-safe, one per calling thread; close it after use. */
  public Predictor<FrameDecoder.Decoded, Perception> newPredictor() {
    return model.newPredictor();
  }

  /**
   * Runs one batched prediction (one model call) on letterboxed frames.
   *
   * @param frames decoded frames (each {@code inputHeight x inputWidth x 3} RGB)
   */
  public List<Perception> predict(
      Predictor<FrameDecoder.Decoded, Perception> predictor, List<FrameDecoder.Decoded> frames) {
    if (frames.isEmpty()) {
      return List.of();
    }
    try {
      return predictor.batchPredict(frames);
    } catch (TranslateException e) {
      throw new IllegalStateException("inference failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
