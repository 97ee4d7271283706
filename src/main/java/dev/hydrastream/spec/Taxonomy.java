package dev.hydrastream.spec;

import java.util.Map;

/**
 * BDD100K label conventions beyond the heads' label lists ({@link Head}): legacy category names,
 * mask values, and the class reported on its own.
 */
public final class Taxonomy {

  /** The detection class whose AP is reported on its own (the most frequent class). */
  public static final String CAR = "car";

  /**
   * Category names of the original 2018 BDD100K detection labels, mapped to det_20 names. Labels
   * with other legacy categories ("drivable area", "lane") are not detection boxes.
   */
  public static final Map<String, String> LEGACY_DETECTION_NAMES =
      Map.of("person", "pedestrian", "bike", "bicycle", "motor", "motorcycle");

  /** The segmentation class of the ego vehicle's own drivable area (its lane). */
  public static final String EGO_DRIVABLE = "drivable direct";

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
