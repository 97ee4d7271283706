package dev.hydrastream.data;

import dev.hydrastream.data.labels.FrameLabels;
import java.nio.file.Path;

/**
 * One labelled frame of a dataset split together with the files that belong to it.
 *
 * @param split split name, e.g. {@code val}
 * @param labels the frame's labels; {@code labels.name()} is the image file name
 * @param image the frame's image file (exists when the dataset was opened)
 * @param drivableMask the 8-bit drivable-area mask, or null when the dataset has none for it
 * @param laneMask the 8-bit lane mask, or null when the dataset has none for it
 */
public record Sample(
    String split, FrameLabels labels, Path image, Path drivableMask, Path laneMask) {

  /** The image file name, which identifies the frame within its split. */
  public String name() {
    return labels.name();
  }
}
