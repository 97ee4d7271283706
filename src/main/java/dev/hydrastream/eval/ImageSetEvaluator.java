package dev.hydrastream.eval;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Json;
import java.awt.Polygon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Runs a model on images that are not a labelled dataset: a folder of JPEG/PNG files (a quick
 * out-of-distribution check: what does the model say, and how sure is it) or a coarsely labelled
 * real-image dev set (a JSON file, see {@link #readDevSet}): per image the weather, time of day and
 * scene with the truth where it is known, and how the predicted drivable area covers the labelled
 * road polygon; where the set labels a road patch and vehicle boxes (the real dash-cam dev set),
 * also the bar's figures of {@link RealSetScores}: road patch drivable, vehicle recall and
 * precision.
 *
 * <p>Both report, per head, the mix of predicted labels and the mean probability of the predicted
 * label; detections per image (score at least {@code minScore}) with their class mix and mean
 * score; the mean area of each segmentation class.
 */
public final class ImageSetEvaluator {

  /** Width of the frame-aligned grid the road polygon is compared on (height keeps the aspect). */
  static final int ROAD_GRID = 160;

  private ImageSetEvaluator() {}

  /**
   * One labelled real image: attributes may be null (not labelled); the road polygon, road patch
   * and vehicle boxes (frame pixels) may be null (not labelled).
   *
   * @param width labelled frame width, 0 if not given
   * @param height labelled frame height, 0 if not given
   * @param roadPatch {@code [x1, y1, x2, y2]} well inside the road, or null
   * @param vehicles cars then trucks/buses as {@code [x1, y1, x2, y2]}, or null when the entry
   *     labels neither
   */
  public record DevImage(
      Path file,
      String weather,
      String timeofday,
      String scene,
      int[][] road,
      String note,
      int width,
      int height,
      double[] roadPatch,
      List<double[]> vehicles) {

    String attribute(Head h) {
      return switch (h) {
        case WEATHER -> weather;
        case TIMEOFDAY -> timeofday;
        case SCENE -> scene;
        default -> null;
      };
    }
  }

  /**
   * The result of a run; JSON field names are those of {@code eval --json}.
   *
   * @param model {@code name@version}
   * @param data the folder or dev-set file
   * @param frames images evaluated
   * @param heads per attribute head: predicted label mix and mean confidence
   * @param detection detections per image, their class mix and mean score
   * @param segmentation mean share of the frame per segmentation class
   * @param dev per-image scores of a labelled dev set (null for a folder)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      String model,
      String data,
      int frames,
      Map<String, HeadMix> heads,
      DetectionMix detection,
      Map<String, Double> segmentation,
      DevReport dev) {}

  /** Predicted label counts of one head and the mean probability of the predicted label. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record HeadMix(Map<String, Integer> mix, double meanConfidence) {}

  /**
   * @param minScore detections below this score are not counted
   * @param perImage mean detections per image
   * @param meanScore mean score of the counted detections
   * @param mix counted detections per class
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DetectionMix(
      double minScore, double perImage, double meanScore, Map<String, Integer> mix) {}

  /**
   * Scores of a labelled dev set.
   *
   * @param accuracy per attribute head, over the images where it is labelled ({@code right/n})
   * @param roadRecall mean share of the labelled road predicted drivable
   * @param drivablePrecision mean share of the predicted drivable area inside the labelled road
   * @param roadIou mean IoU of predicted drivable area and labelled road
   * @param roadPatchDrivable images whose road patch is predicted drivable ({@code drivable/n}),
   *     null when no image has a patch
   * @param vehicles vehicle recall and precision, null when no image labels vehicles
   * @param summary the headline figures on one line, as the Kafka check prints them (null when the
   *     set has neither patches nor vehicles)
   * @param images one row per image
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DevReport(
      Map<String, String> accuracy,
      double roadRecall,
      double drivablePrecision,
      double roadIou,
      String roadPatchDrivable,
      VehicleScores vehicles,
      String summary,
      List<DevRow> images) {}

  /**
   * Vehicles over a dev set, by {@link RealSetScores#matchVehicles}.
   *
   * @param recall matched / labelled (0 when nothing is labelled)
   * @param precision matched / counted detections (0 when nothing is counted)
   * @param matched labelled vehicles found at IoU {@value RealSetScores#MIN_IOU}
   * @param labelled labelled vehicles at least {@value RealSetScores#MIN_LABEL_HEIGHT} px tall
   * @param detections counted detections (car, truck or bus, score and height)
   * @param falsePositives counted detections that found no labelled vehicle
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record VehicleScores(
      double recall,
      double precision,
      int matched,
      int labelled,
      int detections,
      int falsePositives) {}

  /**
   * One image of a dev set: truth and prediction per head, its road scores and, where labelled, the
   * share of its road patch predicted drivable and its vehicles.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DevRow(
      String image,
      Map<String, String> truth,
      Map<String, String> predicted,
      Double roadRecall,
      Double drivablePrecision,
      Double roadIou,
      Double patchDrivable,
      Integer vehiclesMatched,
      Integer vehiclesLabelled,
      Integer falsePositives) {}

  /** Whether {@code path} is a folder with images directly in it. */
  public static boolean isImageFolder(Path path) throws IOException {
    return Files.isDirectory(path) && !images(path).isEmpty();
  }

  /** The JPEG and PNG files directly in {@code folder}, by name. */
  public static List<Path> images(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
              })
          .sorted()
          .toList();
    }
  }

  /**
   * Reads a dev-set file: {@code {"images": [{"file": ..., "weather": ..., "timeofday": ...,
   * "scene": ..., "road": [[x, y], ...], "note": ...}]}}, optionally with the real dev set's {@code
   * "width"}, {@code "height"}, {@code "road_patch": [x1, y1, x2, y2]} and boxes {@code "cars"},
   * {@code "trucks_buses"}: {@code [[x1, y1, x2, y2], ...]} (other fields, such as {@code
   * "people"}, are not scored). Files are relative to the dev-set file's folder (or absolute);
   * attributes must be labels of their head, or absent or null; a road polygon has at least three
   * points.
   */
  public static List<DevImage> readDevSet(Path file) throws IOException {
    JsonNode root = Json.MAPPER.readTree(file.toFile());
    JsonNode images = root.path("images");
    if (!images.isArray() || images.isEmpty()) {
      throw new IllegalArgumentException(file + ": expected a non-empty \"images\" array");
    }
    List<DevImage> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      JsonNode n = images.get(i);
      String where = file + ": images[" + i + "]";
      if (!n.path("file").isTextual()) {
        throw new IllegalArgumentException(where + ".file: expected a path");
      }
      Path img = file.toAbsolutePath().getParent().resolve(n.get("file").asText());
      int[][] road = null;
      if (n.has("road")) {
        JsonNode r = n.get("road");
        if (!r.isArray() || r.size() < 3) {
          throw new IllegalArgumentException(where + ".road: expected at least 3 [x, y] points");
        }
        road = new int[r.size()][];
        for (int k = 0; k < r.size(); k++) {
          JsonNode pt = r.get(k);
          if (!pt.isArray() || pt.size() != 2 || !pt.get(0).isNumber() || !pt.get(1).isNumber()) {
            throw new IllegalArgumentException(where + ".road[" + k + "]: expected [x, y]");
          }
          road[k] = new int[] {pt.get(0).asInt(), pt.get(1).asInt()};
        }
      }
      double[] patch =
          n.hasNonNull("road_patch") ? box(n.get("road_patch"), where + ".road_patch") : null;
      List<double[]> vehicles = null;
      for (String key : List.of("cars", "trucks_buses")) {
        if (!n.hasNonNull(key)) {
          continue;
        }
        JsonNode boxes = n.get(key);
        if (!boxes.isArray()) {
          throw new IllegalArgumentException(
              where + "." + key + ": expected [[x1, y1, x2, y2], ...]");
        }
        vehicles = vehicles == null ? new ArrayList<>() : vehicles;
        for (int k = 0; k < boxes.size(); k++) {
          vehicles.add(box(boxes.get(k), where + "." + key + "[" + k + "]"));
        }
      }
      out.add(
          new DevImage(
              img,
              attribute(n, Head.WEATHER, where),
              attribute(n, Head.TIMEOFDAY, where),
              attribute(n, Head.SCENE, where),
              road,
              n.path("note").asText(null),
              n.path("width").asInt(0),
              n.path("height").asInt(0),
              patch,
              vehicles));
    }
    return out;
  }

  /** An {@code [x1, y1, x2, y2]} box with {@code x1 <= x2} and {@code y1 <= y2}. */
  private static double[] box(JsonNode b, String where) {
    if (!b.isArray() || b.size() != 4) {
      throw new IllegalArgumentException(where + ": expected [x1, y1, x2, y2]");
    }
    double[] out = new double[4];
    for (int k = 0; k < 4; k++) {
      if (!b.get(k).isNumber()) {
        throw new IllegalArgumentException(where + ": expected [x1, y1, x2, y2]");
      }
      out[k] = b.get(k).asDouble();
    }
    if (out[2] < out[0] || out[3] < out[1]) {
      throw new IllegalArgumentException(where + ": expected x1 <= x2 and y1 <= y2");
    }
    return out;
  }

  private static String attribute(JsonNode n, Head h, String where) {
    JsonNode v = n.get(h.id());
    if (v == null || v.isNull()) {
      return null;
    }
    if (!h.labels().contains(v.asText())) {
      throw new IllegalArgumentException(
          where + "." + h.id() + ": '" + v.asText() + "' is not one of " + h.labels());
    }
    return v.asText();
  }

  /**
   * Runs {@code model} on every image (dev-set rows when {@code dev} is given), calling {@code
   * each} with every image and its result (for overlays).
   */
  public static Result evaluate(
      PerceptionModel model,
      String data,
      List<Path> images,
      List<DevImage> dev,
      double minScore,
      BiConsumer<Path, Perception> each)
      throws IOException {
    Map<Head, Map<String, Integer>> mix = new EnumMap<>(Head.class);
    Map<Head, Double> confidence = new EnumMap<>(Head.class);
    Map<String, Integer> detMix = new LinkedHashMap<>();
    Head.DETECTION.labels().forEach(l -> detMix.put(l, 0));
    double[] areas = new double[Head.SEGMENTATION.labels().size()];
    int dets = 0;
    double detScore = 0;
    List<DevRow> rows = new ArrayList<>();
    Map<Head, int[]> right = new EnumMap<>(Head.class);
    double[] road = new double[3];
    int roads = 0;
    int[] patches = new int[2];
    int[] vehicles = new int[3];
    boolean vehiclesLabelled = false;
    try (Predictor<FrameDecoder.Decoded, Perception> predictor = model.newPredictor()) {
      for (int i = 0; i < images.size(); i++) {
        Path image = images.get(i);
        FrameDecoder.Decoded frame = model.decoder().decodeFile(image);
        if (dev != null) {
          checkSize(dev.get(i), frame.letterbox());
        }
        Perception p = model.predict(predictor, List.of(frame)).get(0);
        each.accept(image, p);
        for (Head h : Head.ATTRIBUTES) {
          Perception.Attribute a = p.attribute(h);
          if (a != null) {
            mix.computeIfAbsent(h, k -> counter(k.labels())).merge(a.label(), 1, Integer::sum);
            confidence.merge(h, a.probability(), Double::sum);
          }
        }
        if (p.detections() != null) {
          for (DetectedObject d : p.detections()) {
            if (d.score() >= minScore) {
              dets++;
              detScore += d.score();
              detMix.merge(d.category(), 1, Integer::sum);
            }
          }
        }
        if (p.segmentation() != null) {
          double[] a = p.segmentation().classAreas();
          for (int c = 0; c < areas.length; c++) {
            areas[c] += a[c];
          }
        }
        if (dev != null) {
          DevImage d = dev.get(i);
          DevRow row = row(d, p, right);
          rows.add(row);
          if (row.roadIou() != null) {
            road[0] += row.roadRecall();
            road[1] += row.drivablePrecision();
            road[2] += row.roadIou();
            roads++;
          }
          if (row.patchDrivable() != null) {
            patches[0] += row.patchDrivable() >= RealSetScores.PATCH_DRIVABLE ? 1 : 0;
            patches[1]++;
          }
          if (row.vehiclesLabelled() != null) {
            vehiclesLabelled = true;
            vehicles[0] += row.vehiclesMatched();
            vehicles[1] += row.vehiclesLabelled();
            vehicles[2] += row.vehiclesMatched() + row.falsePositives();
          }
        }
      }
    }
    int n = Math.max(1, images.size());
    Map<String, HeadMix> heads = new LinkedHashMap<>();
    mix.forEach((h, m) -> heads.put(h.id(), new HeadMix(m, confidence.get(h) / n)));
    Map<String, Double> seg = new LinkedHashMap<>();
    if (model.card().heads().contains(Head.SEGMENTATION)) {
      for (int c = 0; c < areas.length; c++) {
        seg.put(Head.SEGMENTATION.labels().get(c), areas[c] / n);
      }
    }
    DevReport report = null;
    if (dev != null) {
      Map<String, String> acc = new LinkedHashMap<>();
      right.forEach((h, r) -> acc.put(h.id(), r[0] + "/" + r[1]));
      int k = Math.max(1, roads);
      String patch = patches[1] == 0 ? null : patches[0] + "/" + patches[1];
      VehicleScores v =
          vehiclesLabelled
              ? new VehicleScores(
                  vehicles[1] == 0 ? 0 : vehicles[0] / (double) vehicles[1],
                  vehicles[2] == 0 ? 0 : vehicles[0] / (double) vehicles[2],
                  vehicles[0],
                  vehicles[1],
                  vehicles[2],
                  vehicles[2] - vehicles[0])
              : null;
      report =
          new DevReport(
              acc,
              road[0] / k,
              road[1] / k,
              road[2] / k,
              patch,
              v,
              patch == null && v == null ? null : summary(data, images.size(), acc, patch, v),
              rows);
    }
    return new Result(
        model.card().id(),
        data,
        images.size(),
        heads,
        model.card().heads().contains(Head.DETECTION)
            ? new DetectionMix(minScore, dets / (double) n, dets == 0 ? 0 : detScore / dets, detMix)
            : null,
        seg.isEmpty() ? null : seg,
        report);
  }

  /**
   * The headline figures on one line, in the order and form of the Kafka check's summary (time of
   * day, weather, scene, road patch, vehicles).
   */
  static String summary(
      String data, int frames, Map<String, String> acc, String patch, VehicleScores v) {
    Path parent = Path.of(data).toAbsolutePath().normalize().getParent();
    StringBuilder sb =
        new StringBuilder(
                parent == null || parent.getFileName() == null
                    ? data
                    : parent.getFileName().toString())
            .append(" in Java ")
            .append(frames)
            .append('/')
            .append(frames)
            .append(" answered:");
    List<String> parts = new ArrayList<>();
    for (Head h : List.of(Head.TIMEOFDAY, Head.WEATHER, Head.SCENE)) {
      if (acc.containsKey(h.id())) {
        parts.add(h.id() + " " + acc.get(h.id()));
      }
    }
    if (patch != null) {
      parts.add("road " + patch);
    }
    if (v != null) {
      parts.add(
          String.format(
              Locale.ROOT,
              "vehicle recall %.2f (%d/%d) precision %.2f",
              v.recall(),
              v.matched(),
              v.labelled(),
              v.precision()));
    }
    return sb.append(' ').append(String.join(", ", parts)).toString();
  }

  /** Refuses a frame whose size is not the size its labels give (their coordinates' pixels). */
  private static void checkSize(DevImage d, Letterbox lb) {
    if (d.width() > 0 && (lb.srcWidth() != d.width() || lb.srcHeight() != d.height())) {
      throw new IllegalArgumentException(
          d.file()
              + ": the image is "
              + lb.srcWidth()
              + "x"
              + lb.srcHeight()
              + " but its labels say "
              + d.width()
              + "x"
              + d.height());
    }
  }

  private static Map<String, Integer> counter(List<String> labels) {
    Map<String, Integer> m = new LinkedHashMap<>();
    labels.forEach(l -> m.put(l, 0));
    return m;
  }

  private static DevRow row(DevImage d, Perception p, Map<Head, int[]> right) {
    Map<String, String> truth = new LinkedHashMap<>();
    Map<String, String> predicted = new LinkedHashMap<>();
    for (Head h : Head.ATTRIBUTES) {
      Perception.Attribute a = p.attribute(h);
      if (a == null) {
        continue;
      }
      predicted.put(h.id(), String.format(Locale.ROOT, "%s %.2f", a.label(), a.probability()));
      String t = d.attribute(h);
      if (t != null) {
        truth.put(h.id(), t);
        int[] r = right.computeIfAbsent(h, k -> new int[2]);
        r[0] += t.equals(a.label()) ? 1 : 0;
        r[1]++;
      }
    }
    Double recall = null;
    Double precision = null;
    Double iou = null;
    if (d.road() != null && p.segmentation() != null) {
      double[] s = roadScores(d.road(), p.segmentation());
      recall = s[0];
      precision = s[1];
      iou = s[2];
    }
    Double patch = null;
    if (d.roadPatch() != null && p.segmentation() != null) {
      patch = RealSetScores.patchDrivable(d.roadPatch(), p.segmentation());
    }
    Integer matched = null;
    Integer labelled = null;
    Integer falsePositives = null;
    if (d.vehicles() != null && p.detections() != null) {
      RealSetScores.Match m = RealSetScores.matchVehicles(d.vehicles(), p.detections());
      matched = m.matched();
      labelled = m.labelled();
      falsePositives = m.falsePositives();
    }
    return new DevRow(
        d.file().getFileName().toString(),
        truth,
        predicted,
        recall,
        precision,
        iou,
        patch,
        matched,
        labelled,
        falsePositives);
  }

  /**
   * Recall of the road polygon, precision of the predicted drivable area (direct or alternative)
   * and their IoU, on a frame-aligned grid {@link #ROAD_GRID} cells wide.
   */
  static double[] roadScores(int[][] road, Perception.Segmentation seg) {
    int srcW = seg.letterbox().srcWidth();
    int srcH = seg.letterbox().srcHeight();
    int gw = ROAD_GRID;
    int gh = Math.max(1, (int) Math.round(gw * srcH / (double) srcW));
    byte[] grid = seg.toFrameGrid(gw, gh);
    Polygon poly = new Polygon();
    for (int[] pt : road) {
      poly.addPoint(pt[0], pt[1]);
    }
    int both = 0;
    int roadCells = 0;
    int drivable = 0;
    for (int y = 0; y < gh; y++) {
      for (int x = 0; x < gw; x++) {
        boolean inRoad = poly.contains((x + 0.5) * srcW / gw, (y + 0.5) * srcH / gh);
        int c = grid[y * gw + x] & 255;
        boolean predicted = c == 1 || c == 2;
        roadCells += inRoad ? 1 : 0;
        drivable += predicted ? 1 : 0;
        both += inRoad && predicted ? 1 : 0;
      }
    }
    double recall = roadCells == 0 ? 0 : both / (double) roadCells;
    double precision = drivable == 0 ? 0 : both / (double) drivable;
    int union = roadCells + drivable - both;
    return new double[] {recall, precision, union == 0 ? 0 : both / (double) union};
  }
}
