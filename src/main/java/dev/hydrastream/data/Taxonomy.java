package dev.hydrastream.data;

import java.util.List;
import java.util.Map;

/**
 * The BDD100K label sets hydrastream predicts, in model output order. These lists are part of the
 * model contract (DESIGN.md "Model"): a model card repeats them and serving checks they match.
 */
public final class Taxonomy {

  /** Image attribute {@code weather}. */
  public static final List<String> WEATHER =
      List.of("clear", "overcast", "partly cloudy", "rainy", "snowy", "foggy");

  /** Image attribute {@code timeofday}. */
  public static final List<String> TIMEOFDAY = List.of("daytime", "dawn/dusk", "night");

  /** Image attribute {@code scene}. */
  public static final List<String> SCENE =
      List.of("city street", "highway", "residential", "parking lot", "tunnel", "gas stations");

  /** The 10 detection classes of BDD100K det_20. */
  public static final List<String> DETECTION =
      List.of(
          "pedestrian", "rider", "car", "truck", "bus", "train", "motorcycle", "bicycle",
          "traffic light", "traffic sign");

  /** Segmentation classes of our {@code seg} output. */
  public static final List<String> SEGMENTATION =
      List.of("background", "drivable direct", "drivable alternative", "lane marking");

  /**
   * Category names of the original 2018 BDD100K detection labels, mapped to det_20 names. Labels
   * with other legacy categories ("drivable area", "lane") are not detection boxes.
   */
  public static final Map<String, String> LEGACY_DETECTION_NAMES =
      Map.of("person", "pedestrian", "bike", "bicycle", "motor", "motorcycle");

  /** BDD100K drivable-area mask values. */
  public static final int DRIVABLE_DIRECT = 0;

  public static final int DRIVABLE_ALTERNATIVE = 1;
  public static final int DRIVABLE_BACKGROUND = 2;
  /** Mask value for pixels without a label (both drivable and lane masks). */
  public static final int IGNORE = 255;

  /** Lane-mask background value, as in BDD100K lane masks. */
  public static final int LANE_BACKGROUND = 255;

  private Taxonomy() {}
}
