package dev.hydrastream.inference;

import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks a candidate model passes before it replaces the served one: it fits what serving needs
 * (the heads the service publishes, the input the frames are decoded to), and its answer to a
 * throwaway frame is well formed. Each failure is one message naming the directory.
 */
final class ModelChecks {

  private ModelChecks() {}

  /** Refuses a candidate whose heads or input size differ from the served model's. */
  static void requireCompatible(Path dir, ModelCard candidate, ModelCard served) {
    if (!candidate.heads().equals(served.heads())) {
      throw new IllegalArgumentException(
          dir
              + ": heads "
              + candidate.heads()
              + " differ from the served model's "
              + served.heads()
              + " (the service publishes the served heads)");
    }
    if (candidate.inputWidth() != served.inputWidth()
        || candidate.inputHeight() != served.inputHeight()) {
      throw new IllegalArgumentException(
          dir
              + ": input "
              + candidate.inputWidth()
              + "x"
              + candidate.inputHeight()
              + " differs from the served model's "
              + served.inputWidth()
              + "x"
              + served.inputHeight()
              + " (frames in flight are decoded to it); restart with model.dir to change it");
    }
  }

  /** Refuses an answer that lacks a head of the card, or holds values out of range. */
  static void requireWellFormed(Path dir, ModelCard card, Perception p) {
    String bad = problem(card, p);
    if (bad != null) {
      throw new IllegalArgumentException(dir + ": smoke inference: " + bad);
    }
  }

  private static String problem(ModelCard card, Perception p) {
    if (!card.id().equals(p.model().id())) {
      return "the result names model " + p.model().id() + ", not " + card.id();
    }
    for (Head h : card.heads()) {
      if (h.isAttribute()) {
        String bad = attribute(h, card.labels().get(h), p.attribute(h));
        if (bad != null) {
          return bad;
        }
      }
    }
    if (card.has(Head.DETECTION)) {
      if (p.detections() == null) {
        return "no detections";
      }
      for (DetectedObject d : p.detections()) {
        if (!(d.score() >= 0 && d.score() <= 1)) {
          return "detection score " + d.score() + " outside [0, 1]";
        }
      }
    }
    if (card.has(Head.SEGMENTATION)) {
      Perception.Segmentation s = p.segmentation();
      if (s == null
          || s.width() < 1
          || s.height() < 1
          || s.mask().length != s.width() * s.height()) {
        return "no segmentation mask of its grid's size";
      }
      int classes = card.labels().get(Head.SEGMENTATION).size();
      for (byte b : s.mask()) {
        if ((b & 255) >= classes) {
          return "segmentation class " + (b & 255) + " beyond the " + classes + " labels";
        }
      }
    }
    return null;
  }

  private static String attribute(Head h, List<String> labels, Perception.Attribute a) {
    if (a == null) {
      return "no " + h.id() + " answer";
    }
    double sum = 0;
    for (double v : a.probabilities().values()) {
      if (!(v >= 0 && v <= 1)) {
        return h.id() + " probability " + v + " outside [0, 1]";
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > 0.01 || !labels.contains(a.label())) {
      return h.id() + " probabilities sum to " + sum + " (label " + a.label() + ")";
    }
    return null;
  }
}
