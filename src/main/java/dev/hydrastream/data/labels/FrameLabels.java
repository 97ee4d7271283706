package dev.hydrastream.data.labels;

import dev.hydrastream.spec.Taxonomy;
import java.util.List;

/**
 * The labels of one frame in BDD100K terms. An attribute is null when the source says {@code
 * undefined} or omits it; such frames do not count for that attribute in training and evaluation.
 *
 * @param name image file name, e.g. {@code 0000001.jpg}
 * @param weather one of {@link Taxonomy#WEATHER} or null
 * @param scene one of {@link Taxonomy#SCENE} or null
 * @param timeofday one of {@link Taxonomy#TIMEOFDAY} or null
 * @param labels detection labels (det_20 categories only)
 */
public record FrameLabels(
    String name, String weather, String scene, String timeofday, List<DetLabel> labels) {

  public FrameLabels {
    labels = List.copyOf(labels);
  }
}
