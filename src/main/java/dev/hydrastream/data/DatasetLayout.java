package dev.hydrastream.data;

import java.nio.file.Path;

/**
 * Where files live in a dataset directory. This is BDD100K's own layout, so a user with the real
 * BDD100K points the same tools at it:
 *
 * <pre>
 * DIR/images/100k/SPLIT/NAME.jpg                  frames
 * DIR/labels/100k/SPLIT/NAME.json                 per-image label JSON (Scalabel frame)
 * DIR/labels/det_20/det_SPLIT.json                alternative: one JSON list per split (det_20)
 * DIR/labels/drivable/masks/SPLIT/NAME.png        8-bit: 0 direct, 1 alternative, 2 background
 * DIR/labels/lane/masks/SPLIT/NAME.png            8-bit: 255 background, else lane code
 * DIR/splits.json                                 split manifest (written by our renderer)
 * DIR/images/track/SPLIT/VIDEO/NAME.jpg           video frames (MOT, box_track_20)
 * DIR/labels/box_track_20/SPLIT/VIDEO.json        one JSON list of frames per video, ids kept
 * </pre>
 */
public record DatasetLayout(Path root) {

  public Path imagesDir(String split) {
    return root.resolve("images").resolve("100k").resolve(split);
  }

  public Path image(String split, String name) {
    return imagesDir(split).resolve(name);
  }

  public Path perImageLabelsDir(String split) {
    return root.resolve("labels").resolve("100k").resolve(split);
  }

  public Path perImageLabel(String split, String name) {
    return perImageLabelsDir(split).resolve(stem(name) + ".json");
  }

  public Path det20(String split) {
    return root.resolve("labels").resolve("det_20").resolve("det_" + split + ".json");
  }

  public Path drivableMasksDir(String split) {
    return root.resolve("labels").resolve("drivable").resolve("masks").resolve(split);
  }

  public Path drivableMask(String split, String name) {
    return drivableMasksDir(split).resolve(stem(name) + ".png");
  }

  public Path laneMasksDir(String split) {
    return root.resolve("labels").resolve("lane").resolve("masks").resolve(split);
  }

  public Path laneMask(String split, String name) {
    return laneMasksDir(split).resolve(stem(name) + ".png");
  }

  public Path trackImagesDir(String split, String video) {
    return root.resolve("images").resolve("track").resolve(split).resolve(video);
  }

  public Path trackLabelsRoot() {
    return root.resolve("labels").resolve("box_track_20");
  }

  public Path trackLabelsDir(String split) {
    return trackLabelsRoot().resolve(split);
  }

  public Path trackLabels(String split, String video) {
    return trackLabelsDir(split).resolve(video + ".json");
  }

  public Path manifest() {
    return root.resolve("splits.json");
  }

  /** File name without its extension. */
  public static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
