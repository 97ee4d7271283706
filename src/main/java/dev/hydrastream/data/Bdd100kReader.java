package dev.hydrastream.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Taxonomy;
import dev.hydrastream.util.Json;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a directory in BDD100K's own layout ({@link DatasetLayout}) into a {@link Bdd100kDataset},
 * so that the real BDD100K download and our rendered datasets go through the same checked path.
 *
 * <p>Splits come from {@code splits.json} when present, else from the directories under {@code
 * images/100k/}. Labels of a split come from the first of {@code labels/det_20/det_SPLIT.json},
 * {@code labels/100k/SPLIT/*.json} (one Scalabel frame per file) and the 2018 release's {@code
 * labels/bdd100k_labels_images_SPLIT.json} that exists; a split with none of them is reported
 * as unlabelled. Every label and image is cross-checked; anything unexpected fails with a {@link
 * DatasetException} naming the file and the field path. Labels that are legitimately not
 * detection boxes (drivable-area and lane polygons, "other vehicle", ...) are skipped, counted
 * per category and logged, never dropped silently.
 */
public final class Bdd100kReader {

  private static final Logger LOG = LoggerFactory.getLogger(Bdd100kReader.class);

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
          "red", "red", "green", "green", "yellow", "yellow", "none", "none",
          "R", "red", "G", "green", "Y", "yellow", "NA", "none");

  private static final String TRAFFIC_LIGHT = "traffic light";
  private static final String UNDEFINED = "undefined";
  private static final List<String> IMAGE_SUFFIXES = List.of(".jpg", ".jpeg", ".png");

  /** Split names become directory names, so keep them to one harmless path segment. */
  private static final Pattern SPLIT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final Path root;
  private final DatasetLayout layout;

  private Bdd100kReader(Path root) {
    this.root = root;
    this.layout = new DatasetLayout(root);
  }

  /**
   * Reads and checks the whole dataset under {@code root}.
   *
   * @throws DatasetException if anything is missing, unreadable or malformed
   */
  public static Bdd100kDataset open(Path root) {
    return new Bdd100kReader(root.toAbsolutePath().normalize()).read();
  }

  /** Where the 2018 release keeps one split's labels, e.g. {@code bdd100k_labels_images_val}. */
  public static Path legacyLabels(Path root, String split) {
    return root.resolve("labels").resolve("bdd100k_labels_images_" + split + ".json");
  }

  /**
   * Reads an 8-bit single-channel PNG mask (drivable or lane) as raw values in row-major order,
   * without any color conversion, so the values are the BDD100K class codes.
   *
   * @throws DatasetException naming the file if it is missing, not a PNG, not 8-bit single
   *     channel, or not {@code expectedWidth x expectedHeight}
   */
  public static int[] readMask(Path png, int expectedWidth, int expectedHeight) {
    if (!Files.isRegularFile(png)) {
      throw new DatasetException(png + ": mask file missing");
    }
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new DatasetException(png + ": not a PNG image");
      }
      ImageReader reader = readers.next();
      try {
        // A lossy format would corrupt class codes, so only PNG is accepted.
        if (!"png".equalsIgnoreCase(reader.getFormatName())) {
          String format = reader.getFormatName().toUpperCase(Locale.ROOT);
          throw new DatasetException(png + ": expected a PNG mask, got " + format);
        }
        reader.setInput(in, true, true);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new DatasetException(png + ": unreadable PNG mask: " + e.getMessage(), e);
    }
    Raster raster = image.getRaster();
    int bits = raster.getSampleModel().getSampleSize(0);
    if (raster.getNumBands() != 1 || bits != 8) {
      throw new DatasetException(
          png + ": expected an 8-bit single-channel mask, got " + raster.getNumBands()
              + " channel(s) of " + bits + " bits");
    }
    if (image.getWidth() != expectedWidth || image.getHeight() != expectedHeight) {
      throw new DatasetException(
          png + ": mask is " + image.getWidth() + "x" + image.getHeight() + ", expected "
              + expectedWidth + "x" + expectedHeight);
    }
    return raster.getPixels(0, 0, expectedWidth, expectedHeight, (int[]) null);
  }

  private Bdd100kDataset read() {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(root + ": dataset directory missing");
    }
    Map<String, List<String>> manifest =
        Files.exists(layout.manifest()) ? readManifest(layout.manifest()) : null;
    List<String> names =
        manifest != null ? manifest.keySet().stream().sorted().toList() : discoverSplits();
    SortedMap<String, Bdd100kDataset.Split> splits = new TreeMap<>();
    List<String> unlabeled = new ArrayList<>();
    for (String split : names) {
      SortedMap<String, Path> images =
          manifest != null ? listedImages(split, manifest.get(split)) : imagesOnDisk(split);
      Path source = labelSource(split);
      if (source == null) {
        LOG.info(
            "BDD100K split {}: {} images and no labels ({}, {}/ or {}); not loaded",
            split, images.size(), rel(layout.det20(split)),
            rel(layout.perImageLabelsDir(split)), rel(legacyLabels(root, split)));
        unlabeled.add(split);
        continue;
      }
      splits.put(split, readSplit(split, images, source, manifest != null));
    }
    if (splits.isEmpty()) {
      throw new DatasetException(
          root + ": no labelled split among " + names + " (looked for labels/det_20/det_SPLIT.json,"
              + " labels/100k/SPLIT/ and labels/bdd100k_labels_images_SPLIT.json)");
    }
    return new Bdd100kDataset(root, splits, unlabeled);
  }

  // ---------------------------------------------------------------- splits and images

  private List<String> discoverSplits() {
    Path dir = root.resolve("images").resolve("100k");
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(rel(dir) + ": directory missing (and no splits.json)");
    }
    List<String> names = new ArrayList<>();
    for (Path p : list(dir, Files::isDirectory)) {
      String name = p.getFileName().toString();
      if (!SPLIT_NAME.matcher(name).matches()) {
        throw new DatasetException(rel(p) + ": not a valid split name");
      }
      names.add(name);
    }
    return names;
  }

  private Map<String, List<String>> readManifest(Path file) {
    JsonNode top = readSingleJson(file);
    Where at = Where.file(rel(file));
    if (!top.isObject()) {
      throw at.fail("expected a JSON object, got " + describe(top));
    }
    JsonNode splits = top.get("splits");
    Where splitsAt = at.child("splits");
    if (splits == null) {
      throw splitsAt.fail("missing");
    }
    if (!splits.isObject()) {
      throw splitsAt.fail("expected an object of split name to image names, got "
          + describe(splits));
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : splits.properties()) {
      Where splitAt = splitsAt.child(e.getKey());
      if (!SPLIT_NAME.matcher(e.getKey()).matches()) {
        throw splitAt.fail("not a valid split name");
      }
      JsonNode list = e.getValue();
      if (!list.isArray()) {
        throw splitAt.fail("expected an array of image file names, got " + describe(list));
      }
      Map<String, Integer> seen = new HashMap<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode n = list.get(i);
        Where nameAt = splitAt.index(i);
        if (!n.isTextual()) {
          throw nameAt.fail("expected an image file name, got " + describe(n));
        }
        checkPlainName(n.textValue(), nameAt);
        Integer prev = seen.putIfAbsent(n.textValue(), i);
        if (prev != null) {
          throw nameAt.fail(
              "duplicate image " + quote(n.textValue()) + " (also " + splitAt.index(prev).path()
                  + ")");
        }
        names.add(n.textValue());
      }
      result.put(e.getKey(), names);
    }
    return result;
  }

  private SortedMap<String, Path> listedImages(String split, List<String> listed) {
    Path dir = layout.imagesDir(split);
    String listing = rel(layout.manifest()) + ": splits." + split;
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(listing + ": split has no images (" + rel(dir) + " missing)");
    }
    SortedMap<String, Path> images = new TreeMap<>();
    for (int i = 0; i < listed.size(); i++) {
      Path image = dir.resolve(listed.get(i));
      if (!Files.isRegularFile(image)) {
        throw new DatasetException(
            rel(image) + ": image file missing (listed in " + listing + "[" + i + "])");
      }
      images.put(listed.get(i), image);
    }
    // An image on disk that the manifest does not know about means the two disagree.
    for (String name : imagesOnDisk(split).keySet()) {
      if (!images.containsKey(name)) {
        throw new DatasetException(
            rel(dir.resolve(name)) + ": image not listed in " + listing);
      }
    }
    checkUniqueStems(images);
    return images;
  }

  private SortedMap<String, Path> imagesOnDisk(String split) {
    SortedMap<String, Path> images = new TreeMap<>();
    for (Path p : list(layout.imagesDir(split), Bdd100kReader::isImageFile)) {
      images.put(p.getFileName().toString(), p);
    }
    checkUniqueStems(images);
    return images;
  }

  /** Per-image labels and masks are found by stem, so two images must not share one. */
  private void checkUniqueStems(SortedMap<String, Path> images) {
    Map<String, String> byStem = new HashMap<>();
    for (Map.Entry<String, Path> e : images.entrySet()) {
      String prev = byStem.putIfAbsent(DatasetLayout.stem(e.getKey()), e.getKey());
      if (prev != null) {
        throw new DatasetException(
            rel(e.getValue()) + ": same name stem as " + prev
                + "; labels and masks could not tell the two apart");
      }
    }
  }

  private Path labelSource(String split) {
    if (Files.exists(layout.det20(split))) {
      return layout.det20(split);
    }
    if (Files.isDirectory(layout.perImageLabelsDir(split))) {
      return layout.perImageLabelsDir(split);
    }
    Path legacy = legacyLabels(root, split);
    return Files.exists(legacy) ? legacy : null;
  }

  // ---------------------------------------------------------------- one split

  private Bdd100kDataset.Split readSplit(
      String split, SortedMap<String, Path> images, Path source, boolean manifest) {
    Map<String, FrameLabels> frames = new HashMap<>();
    Map<String, Where> frameAt = new HashMap<>();
    SortedMap<String, Integer> skipped = new TreeMap<>();
    boolean perImage = Files.isDirectory(source);
    FrameSink sink =
        (node, at, labelFile) -> {
          FrameLabels frame = parseFrame(node, at, skipped);
          String name = frame.name();
          if (perImage
              && !DatasetLayout.stem(name).equals(
                  DatasetLayout.stem(labelFile.getFileName().toString()))) {
            throw at.child("name").fail(
                "frame " + quote(name) + " does not match the file name "
                    + labelFile.getFileName());
          }
          Where prev = frameAt.putIfAbsent(name, at.child("name"));
          if (prev != null) {
            throw at.child("name").fail("duplicate frame " + quote(name) + " (also " + prev + ")");
          }
          if (!images.containsKey(name)) {
            Path image = layout.image(split, name);
            if (!Files.isRegularFile(image)) {
              throw new DatasetException(
                  rel(image) + ": image file missing for frame " + name + " (" + at.child("name")
                      + ")");
            }
            throw at.child("name").fail(
                "frame " + quote(name) + (manifest
                    ? " is not listed in " + rel(layout.manifest()) + ": splits." + split
                    : " is not an image file (" + String.join(", ", IMAGE_SUFFIXES) + ")"));
          }
          frames.put(name, frame);
        };
    if (perImage) {
      for (Path file : list(source, p -> Files.isRegularFile(p) && hasSuffix(p, ".json"))) {
        sink.accept(readSingleJson(file), Where.file(rel(file)), file);
      }
    } else {
      readFrameList(source, sink);
    }
    // The real det_20 train file lacks entries for about 0.2% of the images: those images are
    // left out of the split, counted and reported, never dropped silently.
    List<String> unlabeledImages = new ArrayList<>();
    for (String name : images.keySet()) {
      if (!frames.containsKey(name)) {
        unlabeledImages.add(name);
      }
    }
    if (!unlabeledImages.isEmpty()) {
      LOG.warn("BDD100K split {}: {} images have no label entry in {} and are left out (first: {})",
          split, unlabeledImages.size(), rel(source), unlabeledImages.get(0));
    }
    Map<String, Path> drivable = masks(layout.drivableMasksDir(split), split, images, "drivable");
    Map<String, Path> lane = masks(layout.laneMasksDir(split), split, images, "lane");
    List<Sample> samples = new ArrayList<>(images.size());
    int boxes = 0;
    for (Map.Entry<String, Path> image : images.entrySet()) {
      String name = image.getKey();
      FrameLabels labels = frames.get(name);
      if (labels == null) {
        continue;
      }
      boxes += labels.labels().size();
      samples.add(new Sample(split, labels, image.getValue(), drivable.get(name), lane.get(name)));
    }
    int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
    LOG.info(
        "BDD100K split {}: {} frames, {} boxes from {}, {} drivable and {} lane masks; skipped {}"
            + " labels that are not det_20 boxes{}",
        split, samples.size(), boxes, rel(source), drivable.size(), lane.size(), skippedTotal,
        skipped.isEmpty() ? "" : " " + skipped);
    return new Bdd100kDataset.Split(List.copyOf(samples), source, skipped, List.copyOf(unlabeledImages));
  }

  /** Masks of a split by image name; a mask whose image is unknown is an error. */
  private Map<String, Path> masks(
      Path dir, String split, SortedMap<String, Path> images, String kind) {
    Map<String, String> byStem = new HashMap<>();
    images.keySet().forEach(name -> byStem.put(DatasetLayout.stem(name), name));
    Map<String, Path> masks = new HashMap<>();
    for (Path mask : list(dir, p -> Files.isRegularFile(p) && hasSuffix(p, ".png"))) {
      String name = byStem.get(DatasetLayout.stem(mask.getFileName().toString()));
      if (name == null) {
        throw new DatasetException(
            rel(mask) + ": " + kind + " mask has no image in split " + split);
      }
      masks.put(name, mask);
    }
    return masks;
  }

  // ---------------------------------------------------------------- frame JSON

  private FrameLabels parseFrame(JsonNode frame, Where at, Map<String, Integer> skipped) {
    if (!frame.isObject()) {
      throw at.fail("expected a frame object, got " + describe(frame));
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
        throw attributesAt.fail("expected an object, got " + describe(attributes));
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
      throw at.child("frames").fail(
          "the per-video frames[].objects[] format is not supported; expected a Scalabel frame"
              + " with name, attributes and labels");
    }
    List<DetLabel> boxes = new ArrayList<>();
    if (labels != null && !labels.isNull()) {
      if (!labels.isArray()) {
        throw labelsAt.fail("expected an array, got " + describe(labels));
      }
      Map<Long, Integer> ids = new HashMap<>();
      for (int i = 0; i < labels.size(); i++) {
        DetLabel label = parseLabel(labels.get(i), labelsAt.index(i), i, skipped);
        if (label == null) {
          continue;
        }
        Integer prev = ids.putIfAbsent(label.id(), i);
        if (prev != null) {
          throw labelsAt.index(i).child("id").fail(
              "duplicate id " + label.id() + " (also " + labelsAt.index(prev).path() + ")");
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
      throw at.fail("expected a string, got " + describe(v));
    }
    String s = v.textValue();
    if (s.isEmpty() || s.equals(UNDEFINED)) {
      return null;
    }
    if (!allowed.contains(s)) {
      throw at.fail(
          "unknown value " + quote(s) + ", expected one of " + allowed + " or \"undefined\"");
    }
    return s;
  }

  /** The detection label, or null when the label is skipped (and then counted). */
  private static DetLabel parseLabel(
      JsonNode label, Where at, int index, Map<String, Integer> skipped) {
    if (!label.isObject()) {
      throw at.fail("expected a label object, got " + describe(label));
    }
    String source = requiredString(label, "category", at);
    String category =
        Head.DETECTION.labels().contains(source)
            ? source
            : Taxonomy.LEGACY_DETECTION_NAMES.get(source);
    if (category == null) {
      if (!isNonDetection(source)) {
        throw at.child("category").fail(
            "unknown category " + quote(source) + ", expected one of " + Head.DETECTION.labels()
                + ", a 2018 name " + Taxonomy.LEGACY_DETECTION_NAMES.keySet()
                + " or a known non-detection class " + NON_DETECTION);
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
      throw attributesAt.fail("expected an object, got " + describe(attributes));
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
    throw at.fail("expected an integer or a string of digits, got " + describe(id));
  }

  private static Box box2d(JsonNode box, Where at) {
    if (!box.isObject()) {
      throw at.fail("expected an object with x1, y1, x2, y2, got " + describe(box));
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
      throw at.fail("expected a number, got " + describe(v));
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
      throw attributesAt.child(field).fail("expected true or false, got " + describe(v));
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
      throw at.fail("expected a string, got " + describe(v));
    }
    String color = LIGHT_COLORS.get(v.textValue());
    if (color == null) {
      throw at.fail(
          "unknown traffic light color " + quote(v.textValue())
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
      throw at.fail("expected a string, got " + describe(v));
    }
    return v.textValue();
  }

  /** Frame names are resolved against split directories, so they must not climb out of them. */
  private static void checkPlainName(String name, Where at) {
    boolean plain =
        !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
            && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    if (plain) {
      try {
        plain = Path.of(name).getFileName().toString().equals(name);
      } catch (InvalidPathException e) {
        plain = false;
      }
    }
    if (!plain) {
      throw at.fail("expected a plain image file name, got " + quote(name));
    }
  }

  // ---------------------------------------------------------------- JSON files

  /** Receives one frame object and where it came from. */
  @FunctionalInterface
  private interface FrameSink {
    void accept(JsonNode frame, Where at, Path labelFile);
  }

  /**
   * Streams a JSON array of frames. det_20 train is a few hundred MB; holding its whole tree would
   * cost several GB, one frame at a time costs nothing.
   */
  private void readFrameList(Path file, FrameSink sink) {
    String name = rel(file);
    Where framesAt = Where.file(name).child("frames");
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = Json.MAPPER.createParser(in)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) {
        throw new DatasetException(
            name + ": expected a JSON array of frames, got " + describe(t));
      }
      int i = 0;
      for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        JsonNode frame = Json.MAPPER.readTree(p);
        sink.accept(frame, framesAt.index(i), file);
        i++;
      }
      checkEnd(p, name);
    } catch (JsonProcessingException e) {
      throw invalidJson(name, "frames", e);
    } catch (IOException e) {
      throw unreadable(name, e);
    }
  }

  /** Reads a file holding one JSON value (a per-image frame, the split manifest). */
  private JsonNode readSingleJson(Path file) {
    String name = rel(file);
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = Json.MAPPER.createParser(in)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() == null) {
        throw new DatasetException(name + ": empty file, expected a JSON object");
      }
      JsonNode node = Json.MAPPER.readTree(p);
      checkEnd(p, name);
      return node;
    } catch (JsonProcessingException e) {
      throw invalidJson(name, "", e);
    } catch (IOException e) {
      throw unreadable(name, e);
    }
  }

  private static void checkEnd(JsonParser p, String name) throws IOException {
    if (p.nextToken() != null) {
      JsonLocation loc = p.currentTokenLocation();
      throw new DatasetException(
          name + ": invalid JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr()
              + ": unexpected content after the top-level value");
    }
  }

  private static DatasetException invalidJson(
      String name, String rootPath, JsonProcessingException e) {
    StringBuilder msg = new StringBuilder(name).append(": ");
    if (e.getProcessor() instanceof JsonParser p) {
      String path = contextPath(p.getParsingContext(), rootPath);
      if (!path.isEmpty()) {
        msg.append(path).append(": ");
      }
    }
    msg.append("invalid JSON");
    JsonLocation loc = e.getLocation();
    if (loc != null) {
      msg.append(" at line ").append(loc.getLineNr()).append(", column ")
          .append(loc.getColumnNr());
    }
    msg.append(": ").append(e.getOriginalMessage());
    return new DatasetException(msg.toString(), e);
  }

  /** The field path the parser was in, in the same notation as our own messages. */
  private static String contextPath(JsonStreamContext context, String rootPath) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray() && c.getCurrentIndex() >= 0) {
        parts.push("[" + c.getCurrentIndex() + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    String path = rootPath + String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static DatasetException unreadable(String name, IOException e) {
    return new DatasetException(
        name + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
  }

  // ---------------------------------------------------------------- helpers

  /** A spot in a file for error messages: the file relative to the root and a field path. */
  private record Where(String file, String path) {

    static Where file(String file) {
      return new Where(file, "");
    }

    Where child(String field) {
      return new Where(file, path.isEmpty() ? field : path + "." + field);
    }

    Where index(int i) {
      return new Where(file, path + "[" + i + "]");
    }

    DatasetException fail(String problem) {
      return new DatasetException(this + ": " + problem);
    }

    @Override
    public String toString() {
      return path.isEmpty() ? file : file + ": " + path;
    }
  }

  /** Entries of a directory that pass {@code filter}, sorted by name; hidden files are ignored. */
  private List<Path> list(Path dir, Predicate<Path> filter) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(filter)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new DatasetException(rel(dir) + ": cannot list directory (" + e.getMessage() + ")", e);
    }
  }

  private static boolean isImageFile(Path p) {
    return Files.isRegularFile(p) && IMAGE_SUFFIXES.stream().anyMatch(s -> hasSuffix(p, s));
  }

  private static boolean hasSuffix(Path p, String suffix) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix);
  }

  /** A path relative to the dataset root with {@code /} separators, as users see it. */
  private String rel(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(root)
        ? root.relativize(abs).toString().replace('\\', '/')
        : abs.toString();
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "an empty file";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> t.asString() == null ? t.toString() : t.asString();
    };
  }

  private static String describe(JsonNode v) {
    if (v.isTextual()) {
      return quote(v.textValue());
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    return v.toString(); // numbers, booleans, null as written
  }

  private static String quote(String s) {
    String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
    try {
      return Json.MAPPER.writeValueAsString(shown);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // cannot happen for a String
    }
  }
}
