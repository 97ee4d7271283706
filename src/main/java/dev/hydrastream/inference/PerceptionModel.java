package dev.hydrastream.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import dev.hydrastream.data.Box2d;
import dev.hydrastream.eval.Detection;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.Letterbox;
import dev.hydrastream.model.ModelCard;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hydrastream model served through DJL's TensorFlow engine. Loading checks the SavedModel's
 * signature against the model card and refuses a model whose outputs are missing or unexpected.
 * {@link #predict} runs one batched call and maps outputs by name (never by position: DJL sorts
 * them) into typed {@link PerceptionResult}s with boxes in original frame pixels.
 *
 * <p>The model is shared; a {@link Predictor} is not thread-safe, so each thread uses its own
 * from {@link #newPredictor()}.
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
   */
  public record Options(Device device, int intraOpThreads, int interOpThreads, double minScore) {
    public static Options defaults() {
      return new Options(null, 0, 0, 0.3);
    }
  }

  private final ZooModel<NDList, NDList> model;
  private final ModelCard card;
  private final Options options;
  private final FrameDecoder decoder;

  private PerceptionModel(ZooModel<NDList, NDList> model, ModelCard card, Options options) {
    this.model = model;
    this.card = card;
    this.options = options;
    this.decoder = new FrameDecoder(card.inputWidth(), card.inputHeight(), true);
  }

  /** Loads {@code dir} (SavedModel + model.json) and checks its signature against the card. */
  public static PerceptionModel load(Path dir, Options options) {
    TensorFlowRuntime.Info tf = TensorFlowRuntime.load();
    ModelCard card = ModelCard.read(dir);
    if (options.intraOpThreads() > 0) {
      System.setProperty("ai.djl.tensorflow.num_intraop_threads",
          String.valueOf(options.intraOpThreads()));
    }
    if (options.interOpThreads() > 0) {
      System.setProperty("ai.djl.tensorflow.num_interop_threads",
          String.valueOf(options.interOpThreads()));
    }
    Device device = options.device() != null ? options.device() : tf.defaultDevice();
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(dir)
        .optEngine(TensorFlowRuntime.ENGINE)
        .optDevice(device)
        .optTranslator(new NoopTranslator())
        .build();
    ZooModel<NDList, NDList> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException e) {
      throw new IllegalArgumentException(dir + ": cannot load the SavedModel: " + e.getMessage(),
          e);
    }
    try {
      checkSignature(dir, card, model.describeInput(), model.describeOutput());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    LOG.info("Loaded model {} from {} on {} (input {}x{}, heads {})", card.id(), dir, device,
        card.inputWidth(), card.inputHeight(), card.labels().keySet());
    return new PerceptionModel(model, card, options);
  }

  /** Refuses a model whose signature does not match its card. */
  static void checkSignature(Path dir, ModelCard card, PairList<String, Shape> inputs,
      PairList<String, Shape> outputs) {
    if (inputs == null || inputs.size() != 1 || !"image".equals(inputs.get(0).getKey())) {
      throw new IllegalArgumentException(dir + ": signature serving_default must have exactly one"
          + " input named 'image', has " + (inputs == null ? "none" : inputs.keys()));
    }
    Shape in = inputs.get(0).getValue();
    if (in != null && in.dimension() == 4 && (in.get(1) != card.inputHeight()
        || in.get(2) != card.inputWidth())) {
      throw new IllegalArgumentException(dir + ": input 'image' is " + in + " but model.json says "
          + card.inputHeight() + "x" + card.inputWidth());
    }
    Set<String> expected = new HashSet<>();
    card.outputs().values().forEach(expected::addAll);
    Set<String> actual = new HashSet<>(outputs.keys());
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(actual);
    Set<String> extra = new HashSet<>(actual);
    extra.removeAll(expected);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(dir + ": the SavedModel lacks outputs " + missing
          + " that model.json heads promise; refusing to serve it");
    }
    if (!extra.isEmpty()) {
      throw new IllegalArgumentException(dir + ": the SavedModel has outputs " + extra
          + " that model.json does not describe; refusing to serve it");
    }
  }

  public ModelCard card() {
    return card;
  }

  public FrameDecoder decoder() {
    return decoder;
  }

  public Predictor<NDList, NDList> newPredictor() {
    return model.newPredictor();
  }

  /**
   * Runs one batched prediction on letterboxed frames.
   *
   * @param frames decoded frames (each {@code inputHeight x inputWidth x 3} RGB)
   */
  public List<PerceptionResult> predict(Predictor<NDList, NDList> predictor,
      List<FrameDecoder.Decoded> frames) {
    if (frames.isEmpty()) {
      return List.of();
    }
    int h = card.inputHeight();
    int w = card.inputWidth();
    int n = frames.size();
    ByteBuffer buf = ByteBuffer.allocateDirect(n * h * w * 3);
    for (FrameDecoder.Decoded f : frames) {
      buf.put(f.rgb());
    }
    buf.flip();
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray image = manager.create(buf, new Shape(n, h, w, 3), DataType.UINT8);
      image.setName("image");
      NDList out;
      try {
        out = predictor.predict(new NDList(image));
      } catch (TranslateException e) {
        throw new IllegalStateException("inference failed: " + e.getMessage(), e);
      }
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray a : out) {
        byName.put(a.getName(), a);
      }
      return map(byName, frames);
    }
  }

  private List<PerceptionResult> map(Map<String, NDArray> out, List<FrameDecoder.Decoded> frames) {
    int n = frames.size();
    float[] weather = floats(out.get("weather"));
    float[] tod = floats(out.get("timeofday"));
    float[] scene = floats(out.get("scene"));
    float[] boxes = floats(out.get("det_boxes"));
    float[] scores = floats(out.get("det_scores"));
    int[] classes = out.containsKey("det_classes") ? out.get("det_classes").toIntArray() : null;
    byte[] seg = out.containsKey("seg") ? out.get("seg").toByteArray() : null;
    int segH = seg == null ? 0 : (int) out.get("seg").getShape().get(1);
    int segW = seg == null ? 0 : (int) out.get("seg").getShape().get(2);
    int k = scores == null ? 0 : scores.length / n;
    List<PerceptionResult> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Letterbox lb = frames.get(i).letterbox();
      List<Detection> dets = new ArrayList<>();
      List<String> detLabels = card.labels().get("detection");
      for (int j = 0; j < k; j++) {
        float s = scores[i * k + j];
        if (s < options.minScore()) {
          continue;
        }
        int o = (i * k + j) * 4;
        double x1 = lb.toFrameX(boxes[o]);
        double y1 = lb.toFrameY(boxes[o + 1]);
        double x2 = lb.toFrameX(boxes[o + 2]);
        double y2 = lb.toFrameY(boxes[o + 3]);
        // continuous [x1, x2) to inclusive pixels
        double ix2 = Math.max(x1, Math.min(lb.srcWidth() - 1, x2 - 1));
        double iy2 = Math.max(y1, Math.min(lb.srcHeight() - 1, y2 - 1));
        dets.add(new Detection(detLabels.get(classes[i * k + j]), new Box2d(
            Math.min(x1, ix2), Math.min(y1, iy2), ix2, iy2), s));
      }
      PerceptionResult.Segmentation segmentation = null;
      if (seg != null) {
        byte[] mask = new byte[segH * segW];
        System.arraycopy(seg, i * segH * segW, mask, 0, segH * segW);
        segmentation = new PerceptionResult.Segmentation(mask, segW, segH, lb);
      }
      results.add(new PerceptionResult(
          attribute("weather", weather, i), attribute("timeofday", tod, i),
          attribute("scene", scene, i), dets, segmentation, card.id()));
    }
    return results;
  }

  private PerceptionResult.Attribute attribute(String head, float[] probs, int i) {
    if (probs == null) {
      return null;
    }
    List<String> labels = card.labels().get(head);
    int c = labels.size();
    Map<String, Double> p = new LinkedHashMap<>();
    int best = 0;
    for (int k = 0; k < c; k++) {
      p.put(labels.get(k), (double) probs[i * c + k]);
      if (probs[i * c + k] > probs[i * c + best]) {
        best = k;
      }
    }
    return new PerceptionResult.Attribute(labels.get(best), probs[i * c + best], p);
  }

  private static float[] floats(NDArray a) {
    return a == null ? null : a.toFloatArray();
  }

  @Override
  public void close() {
    model.close();
  }
}
