package dev.hydrastream.eval;

import dev.hydrastream.data.Box2d;
import java.util.Objects;

/**
 * One scored box predicted by a detector, the input of {@link DetectionEvaluator}.
 *
 * @param category a detection class name (normally one of {@code Taxonomy.DETECTION})
 * @param box predicted box in the BDD100K inclusive-pixel convention of {@link Box2d}
 * @param score confidence; higher ranks first. Any value but NaN, which has no rank.
 */
public record Detection(String category, Box2d box, double score) {

  public Detection {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(box, "box");
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("detection score is NaN (" + category + " " + box + ")");
    }
  }
}
