package dev.hydrastream.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.data.labels.FrameLabels;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Taxonomy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one Scalabel frame object (BDD100K's per-image label format) into {@link FrameLabels}:
 * attributes, det_20 boxes with ids, occlusion and truncation flags, traffic light colours. Labels
 * that are legitimately not detection boxes are skipped and counted; anything unexpected fails with
 * a {@link DatasetException} naming the file and the field path.
 */
final class FrameLabelParser {

  /** BDD100K classes that are labelled but are not one of the 10 det_20 detection classes. */
  private static final Set<String> NON_DETECTION =
      Set.of("other person", "other vehicle", "trailer", "drivable area", "lane");

  /** Prefixes of BDD100K's hierarchical non-detection categories, e.g. {@code lane/crosswalk}. */
  private static final List<String> NON_DETECTION_PREFIXES = List.of("area/", "lane/");

  /**
   * Traffic-light colors: the 2018 release spells them out, det_20 abbreviates them. Both are
   * normalised to the spelled-out form documented on {@link DetLabel}.
   */
  private static final Map<String, String> LIGHT_COLORS =
      Map.of(
          "red", "red", "green", "green", "yellow", "yellow", "none", "none", "R", "red", "G",
          "green", "Y", "yellow", "NA", "none");

  private static final String TRAFFIC_LIGHT = "traffic light";
  private static final String UNDEFINED = "undefined";

  private FrameLabelParser() {}

  static FrameLabels parseFrame(JsonNode frame, Where at, Map<String, Integer> skipped) {
    if (!frame.isObject()) {
      throw at.fail("expected a frame object, got " + Where.describe(frame));
    }
    String name = requiredString(frame, "name", at);
    checkPlainName(name, at.child("name"));
    String weather = null;
    String scene = null;
    String timeofday = null;
    JsonNode attributes = frame.get("attributes");
    Where attributesAt = at.child("attributes");
    if (attributes != null && !attributes.isNull()) {
      if (!attributes.isObject()) {
        throw attributesAt.fail("expected an object, got " + Where.describe(attributes));
      }
      weather = frameAttribute(attributes, "weather", Head.WEATHER.labels(), attributesAt);
      scene = frameAttribute(attributes, "scene", Head.SCENE.labels(), attributesAt);
      timeofday = frameAttribute(attributes, "timeofday", Head.TIMEOFDAY.labels(), attributesAt);
    }
    JsonNode labels = frame.get("labels");
    Where labelsAt = at.child("labels");
    if (labels == null && frame.has("frames")) {
      // The very first per-image release nested objects under frames[]; reading it as a frame
      // without labels would silently lose every box.
      throw at.child("frames")
          .fail(
              "the per-video frames[].objects[] format is not supported; expected a Scalabel frame"
                  + " with name, attributes and labels");
    }
    List<DetLabel> boxes = new ArrayList<>();
    if (labels != null && !labels.isNull()) {
      if (!labels.isArray()) {
        throw labelsAt.fail("expected an array, got " + Where.describe(labels));
      }
      Map<Long, Integer> ids = new HashMap<>();
      for (int i = 0; i < labels.size(); i++) {
        DetLabel label = parseLabel(labels.get(i), labelsAt.index(i), i, skipped);
        if (label == null) {
          continue;
        }
        Integer prev = ids.putIfAbsent(label.id(), i);
        if (prev != null) {
          throw labelsAt
              .index(i)
              .child("id")
              .fail("duplicate id " + label.id() + " (also " + labelsAt.index(prev).path() + ")");
        }
        boxes.add(label);
      }
    }
    return new FrameLabels(name, weather, scene, timeofday, boxes);
  }

  private static String frameAttribute(
      JsonNode attributes, String field, List<String> allowed, Where attributesAt) {
    JsonNode v = attributes.get(field);
    Where at = attributesAt.child(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw at.fail("expected a string, got " + Where.describe(v));
    }
    String s = v.textValue();
    if (s.isEmpty() || s.equals(UNDEFINED)) {
      return null;
    }
    if (!allowed.contains(s)) {
      throw at.fail(
          "unknown value " + Where.quote(s) + ", expected one of " + allowed + " or \"undefined\"");
    }
    return s;
  }

  /** The detection label, or null when the label is skipped (and then counted). */
  private static DetLabel parseLabel(
      JsonNode label, Where at, int index, Map<String, Integer> skipped) {
    if (!label.isObject()) {
      throw at.fail("expected a label object, got " + Where.describe(label));
    }
    String source = requiredString(label, "category", at);
    String category =
        Head.DETECTION.labels().contains(source)
            ? source
            : Taxonomy.LEGACY_DETECTION_NAMES.get(source);
    if (category == null) {
      if (!isNonDetection(source)) {
        throw at.child("category")
            .fail(
                "unknown category "
                    + Where.quote(source)
                    + ", expected one of "
                    + Head.DETECTION.labels()
                    + ", a 2018 name "
                    + Taxonomy.LEGACY_DETECTION_NAMES.keySet()
                    + " or a known non-detection class "
                    + NON_DETECTION);
      }
      skipped.merge(source, 1, Integer::sum);
      return null;
    }
    JsonNode box = label.get("box2d");
    if (box == null || box.isNull()) {
      skipped.merge(source, 1, Integer::sum);
      return null;
    }
    long id = labelId(label.get("id"), index, at.child("id"));
    Box box2d = box2d(box, at.child("box2d"));
    JsonNode attributes = label.get("attributes");
    Where attributesAt = at.child("attributes");
    if (attributes != null && !attributes.isNull() && !attributes.isObject()) {
      throw attributesAt.fail("expected an object, got " + Where.describe(attributes));
    }
    boolean occluded = flag(attributes, "occluded", attributesAt);
    boolean truncated = flag(attributes, "truncated", attributesAt);
    String color = lightColor(attributes, attributesAt);
    // Non-lights carry "none"/"NA" in the files; DetLabel keeps a color only for traffic lights.
    return new DetLabel(
        id, category, box2d, occluded, truncated, category.equals(TRAFFIC_LIGHT) ? color : null);
  }

  private static boolean isNonDetection(String category) {
    return NON_DETECTION.contains(category)
        || NON_DETECTION_PREFIXES.stream().anyMatch(category::startsWith);
  }

  private static long labelId(JsonNode id, int index, Where at) {
    if (id == null || id.isNull()) {
      return index;
    }
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return id.longValue();
    }
    if (id.isTextual()) {
      try {
        return Long.parseLong(id.textValue());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw at.fail("expected an integer or a string of digits, got " + Where.describe(id));
  }

  private static Box box2d(JsonNode box, Where at) {
    if (!box.isObject()) {
      throw at.fail("expected an object with x1, y1, x2, y2, got " + Where.describe(box));
    }
    double x1 = number(box, "x1", at);
    double y1 = number(box, "y1", at);
    double x2 = number(box, "x2", at);
    double y2 = number(box, "y2", at);
    if (x2 < x1) {
      throw at.child("x2").fail(box.get("x2") + " is less than x1 " + box.get("x1"));
    }
    if (y2 < y1) {
      throw at.child("y2").fail(box.get("y2") + " is less than y1 " + box.get("y1"));
    }
    return new Box(x1, y1, x2, y2);
  }

  private static double number(JsonNode parent, String field, Where parentAt) {
    JsonNode v = parent.get(field);
    Where at = parentAt.child(field);
    if (v == null) {
      throw at.fail("missing");
    }
    if (!v.isNumber()) {
      throw at.fail("expected a number, got " + Where.describe(v));
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw at.fail("expected a finite number, got " + v);
    }
    return d;
  }

  private static boolean flag(JsonNode attributes, String field, Where attributesAt) {
    JsonNode v = attributes == null ? null : attributes.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw attributesAt.child(field).fail("expected true or false, got " + Where.describe(v));
    }
    return v.booleanValue();
  }

  private static String lightColor(JsonNode attributes, Where attributesAt) {
    JsonNode v = attributes == null ? null : attributes.get("trafficLightColor");
    if (v == null || v.isNull()) {
      return null;
    }
    Where at = attributesAt.child("trafficLightColor");
    if (!v.isTextual()) {
      throw at.fail("expected a string, got " + Where.describe(v));
    }
    String color = LIGHT_COLORS.get(v.textValue());
    if (color == null) {
      throw at.fail(
          "unknown traffic light color "
              + Where.quote(v.textValue())
              + ", expected red, green, yellow, none or det_20's R, G, Y, NA");
    }
    return color;
  }

  private static String requiredString(JsonNode parent, String field, Where parentAt) {
    JsonNode v = parent.get(field);
    Where at = parentAt.child(field);
    if (v == null) {
      throw at.fail("missing");
    }
    if (!v.isTextual()) {
      throw at.fail("expected a string, got " + Where.describe(v));
    }
    return v.textValue();
  }

  /** Frame names are resolved against split directories, so they must not climb out of them. */
  static void checkPlainName(String name, Where at) {
    boolean plain =
        !name.isEmpty()
            && !name.equals(".")
            && !name.equals("..")
            && name.indexOf('/') < 0
            && name.indexOf('\\') < 0
            && name.indexOf('\0') < 0;
    if (plain) {
      try {
        plain = Path.of(name).getFileName().toString().equals(name);
      } catch (InvalidPathException e) {
        plain = false;
      }
    }
    if (!plain) {
      throw at.fail("expected a plain image file name, got " + Where.quote(name));
    }
  }
}
