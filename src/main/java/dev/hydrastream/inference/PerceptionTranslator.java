package dev.hydrastream.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns model outputs into results: serving, {@code eval} and the trainer's
 * validation all decode through it. Inputs are letterboxed frames; outputs are mapped by name
 * (never by position: DJL sorts them) into {@link Perception}s with boxes in original frame pixels,
 * and the out-of-distribution score when the card declares that output ({@link
 * ModelCard#oodOutput()}). Frames are batched by DJL's stack {@link Batchifier}: {@code
 * Predictor.batchPredict} makes one model call for a list of frames.
 *
 * @param card the served model's card (label lists, input size)
 * @param identity the model every decoded result names ({@link Perception#model()})
 * @param minScore detections below this score are dropped
 */
public record PerceptionTranslator(ModelCard card, ModelIdentity identity, double minScore)
    implements Translator<FrameDecoder.Decoded, Perception> {

  /** Context attachment: letterboxes of the batch's frames, in input order. */
  private static final String LETTERBOXES = "hydra.letterboxes";

  /**
   * A translator whose results name the card's own identity ({@link ModelCard#identity()}): for a
   * graph that is not served from its file, such as the trainer's validation.
   */
  public PerceptionTranslator(ModelCard card, double minScore) {
    this(card, card.identity(), minScore);
  }

  @Override
  public NDList processInput(TranslatorContext ctx, FrameDecoder.Decoded frame) {
    letterboxes(ctx).addLast(frame.letterbox());
    int h = card.inputHeight();
    int w = card.inputWidth();
    if (frame.rgb().length != h * w * 3) {
      throw new IllegalArgumentException(
          "frame is " + frame.rgb().length + " bytes, the model input needs " + h + "x" + w + "x3");
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(frame.rgb().length);
    buf.put(frame.rgb()).flip();
    NDArray image = ctx.getNDManager().create(buf, new Shape(h, w, 3), DataType.UINT8);
    image.setName(Head.Outputs.IMAGE);
    return new NDList(image);
  }

  @Override
  public Perception processOutput(TranslatorContext ctx, NDList outputs) {
    Letterbox lb = letterboxes(ctx).pollFirst();
    if (lb == null) {
      throw new IllegalStateException("more outputs than frames in the batch");
    }
    return decode(outputs, lb);
  }

  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  /**
   * Decodes the outputs of one batched model call (arrays with a leading batch dimension) for
   * frames with these letterboxes: the path for callers that ran the graph themselves, such as the
   * trainer's validation.
   */
  public List<Perception> decodeBatch(NDList outputs, List<Letterbox> letterboxes) {
    NDList[] items = getBatchifier().unbatchify(outputs);
    if (items.length != letterboxes.size()) {
      throw new IllegalArgumentException(
          items.length + " outputs for " + letterboxes.size() + " frames");
    }
    List<Perception> out = new ArrayList<>(items.length);
    for (int i = 0; i < items.length; i++) {
      out.add(decode(items[i], letterboxes.get(i)));
    }
    return out;
  }

  /** One frame's outputs (each with a leading dimension of 1) as a {@link Perception}. */
  private Perception decode(NDList outputs, Letterbox lb) {
    Map<String, NDArray> byName = new LinkedHashMap<>();
    for (NDArray a : outputs) {
      byName.put(a.getName(), a);
    }
    List<DetectedObject> detections = null;
    if (card.has(Head.DETECTION)) {
      detections =
          detections(
              byName.get(Head.Outputs.DET_BOXES).toFloatArray(),
              byName.get(Head.Outputs.DET_SCORES).toFloatArray(),
              byName.get(Head.Outputs.DET_CLASSES).toIntArray(),
              lb);
    }
    Perception.Segmentation segmentation = null;
    NDArray seg = byName.get(Head.Outputs.SEG);
    if (card.has(Head.SEGMENTATION)) {
      Shape s = seg.getShape();
      int segH = (int) s.get(s.dimension() - 2);
      int segW = (int) s.get(s.dimension() - 1);
      segmentation = new Perception.Segmentation(seg.toByteArray(), segW, segH, lb);
    }
    return new Perception(
        attribute(Head.WEATHER, byName),
        attribute(Head.TIMEOFDAY, byName),
        attribute(Head.SCENE, byName),
        detections,
        segmentation,
        identity,
        oodScore(byName));
  }

  /**
   * The frame's out-of-distribution score (one float), when the card declares the output and the
   * call returned it; null otherwise (older models, or a caller that did not fetch it).
   */
  private Double oodScore(Map<String, NDArray> byName) {
    String oodOutput = card.oodOutput();
    NDArray ood = oodOutput == null ? null : byName.get(oodOutput);
    if (ood == null) {
      return null;
    }
    float[] v = ood.toFloatArray();
    if (v.length != 1) {
      throw new IllegalArgumentException(
          "output '" + oodOutput + "' has " + v.length + " values per frame, expected 1");
    }
    return (double) v[0];
  }

  private List<DetectedObject> detections(
      float[] boxes, float[] scores, int[] classes, Letterbox lb) {
    List<String> labels = card.labels().get(Head.DETECTION);
    List<DetectedObject> dets = new ArrayList<>();
    for (int j = 0; j < scores.length; j++) {
      float s = scores[j];
      if (s < minScore) {
        continue;
      }
      int o = j * 4;
      double x1 = lb.toFrameX(boxes[o]);
      double y1 = lb.toFrameY(boxes[o + 1]);
      double x2 = lb.toFrameX(boxes[o + 2]);
      double y2 = lb.toFrameY(boxes[o + 3]);
      // continuous [x1, x2) to inclusive pixels
      double ix2 = Math.max(x1, Math.min(lb.srcWidth() - 1, x2 - 1));
      double iy2 = Math.max(y1, Math.min(lb.srcHeight() - 1, y2 - 1));
      dets.add(
          new DetectedObject(
              labels.get(classes[j]), new Box(Math.min(x1, ix2), Math.min(y1, iy2), ix2, iy2), s));
    }
    return dets;
  }

  private Perception.Attribute attribute(Head head, Map<String, NDArray> byName) {
    if (!card.has(head)) {
      return null;
    }
    float[] probs = byName.get(head.outputs().get(0)).toFloatArray();
    List<String> labels = card.labels().get(head);
    Map<String, Double> p = new LinkedHashMap<>();
    int best = 0;
    for (int k = 0; k < labels.size(); k++) {
      p.put(labels.get(k), (double) probs[k]);
      if (probs[k] > probs[best]) {
        best = k;
      }
    }
    return new Perception.Attribute(labels.get(best), probs[best], p);
  }

  @SuppressWarnings("unchecked")
  private static Deque<Letterbox> letterboxes(TranslatorContext ctx) {
    Object o = ctx.getAttachment(LETTERBOXES);
    if (o == null) {
      o = new ArrayDeque<Letterbox>();
      ctx.setAttachment(LETTERBOXES, o);
    }
    return (Deque<Letterbox>) o;
  }
}
