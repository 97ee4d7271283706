package dev.hydrastream.spec;

import java.util.Objects;

/**
 * One scored box predicted by a detector, in frame pixels.
 *
 * @param category a detection class name (one of {@link Head#DETECTION}'s labels)
 * @param box predicted box in the BDD100K inclusive-pixel convention of {@link Box}
 * @param score confidence; higher ranks first. Any value but NaN, which has no rank.
 */
public record DetectedObject(String category, Box box, double score) {

  public DetectedObject {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(box, "box");
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("detection score is NaN (" + category + " " + box + ")");
    }
  }
}
