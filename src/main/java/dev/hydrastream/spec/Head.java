package dev.hydrastream.spec;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The heads of the multi-task network: each owns its id (used on the command line, in model cards
 * and in metric names), the names of its serving-signature outputs and its label list in model
 * output order. These are part of the model contract: a model card repeats them and serving checks
 * they match. Label lists follow BDD100K.
 */
public enum Head {
  /** Image attribute {@code weather}. */
  WEATHER(
      List.of(Outputs.WEATHER),
      List.of("clear", "overcast", "partly cloudy", "rainy", "snowy", "foggy")),
  /** Image attribute {@code timeofday}. */
  TIMEOFDAY(List.of(Outputs.TIMEOFDAY), List.of("daytime", "dawn/dusk", "night")),
  /** Image attribute {@code scene}. */
  SCENE(
      List.of(Outputs.SCENE),
      List.of("city street", "highway", "residential", "parking lot", "tunnel", "gas stations")),
  /** The 10 detection classes of BDD100K det_20. */
  DETECTION(
      List.of(Outputs.DET_BOXES, Outputs.DET_SCORES, Outputs.DET_CLASSES),
      List.of(
          "pedestrian",
          "rider",
          "car",
          "truck",
          "bus",
          "train",
          "motorcycle",
          "bicycle",
          "traffic light",
          "traffic sign")),
  /** Per-pixel classes of our {@code seg} output. */
  SEGMENTATION(
      List.of(Outputs.SEG),
      List.of("background", "drivable direct", "drivable alternative", "lane marking"));

  /** Names of the serving signature's outputs (DJL sorts them: always map by name). */
  public static final class Outputs {
    public static final String WEATHER = "weather";
    public static final String TIMEOFDAY = "timeofday";
    public static final String SCENE = "scene";
    public static final String DET_BOXES = "det_boxes";
    public static final String DET_SCORES = "det_scores";
    public static final String DET_CLASSES = "det_classes";
    public static final String SEG = "seg";

    /** The single input: uint8 {@code [N,H,W,3]} RGB. */
    public static final String IMAGE = "image";

    private Outputs() {}
  }

  /** The three image-level classification heads, in output order. */
  public static final List<Head> ATTRIBUTES = List.of(WEATHER, TIMEOFDAY, SCENE);

  private final List<String> outputs;
  private final List<String> labels;

  Head(List<String> outputs, List<String> labels) {
    this.outputs = outputs;
    this.labels = labels;
  }

  /** Lower-case id: {@code weather}, {@code timeofday}, ..., as in cards and on the CLI. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Serving-signature outputs of this head. */
  public List<String> outputs() {
    return outputs;
  }

  /** Labels in model output order. */
  public List<String> labels() {
    return labels;
  }

  /** The label at model output index {@code i}. */
  public String label(int i) {
    return labels.get(i);
  }

  /** Index of {@code label}, or -1. */
  public int indexOf(String label) {
    return labels.indexOf(label);
  }

  /** Whether this head classifies the whole image (weather, time of day, scene). */
  public boolean isAttribute() {
    return ATTRIBUTES.contains(this);
  }

  /** The head with this id, or an exception naming the known ids. */
  public static Head of(String id) {
    for (Head h : values()) {
      if (h.id().equals(id)) {
        return h;
      }
    }
    throw new IllegalArgumentException("unknown head '" + id + "' (known: " + ids() + ")");
  }

  /** Parses a comma-separated list such as {@code weather,scene} or {@code all}. */
  public static Set<Head> parse(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("all")) {
      return EnumSet.allOf(Head.class);
    }
    EnumSet<Head> out = EnumSet.noneOf(Head.class);
    for (String part : spec.split(",")) {
      String p = part.trim();
      try {
        out.add(of(p));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--tasks: unknown task '" + p + "' (known: all, " + ids() + ")");
      }
    }
    return out;
  }

  private static String ids() {
    StringBuilder sb = new StringBuilder();
    for (Head h : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(h.id());
    }
    return sb.toString();
  }
}
