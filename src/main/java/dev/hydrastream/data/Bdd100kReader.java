package dev.hydrastream.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.data.labels.FrameLabels;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
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
 * labels/bdd100k_labels_images_SPLIT.json} that exists; a split with none of them is reported as
 * unlabelled. Every label and image is cross-checked; anything unexpected fails with a {@link
 * DatasetException} naming the file and the field path. Labels that are legitimately not detection
 * boxes (drivable-area and lane polygons, "other vehicle", ...) are skipped, counted per category
 * and logged, never dropped silently.
 */
public final class Bdd100kReader {

  private static final Logger LOG = LoggerFactory.getLogger(Bdd100kReader.class);

  private static final List<String> IMAGE_SUFFIXES = List.of(".jpg", ".jpeg", ".png");

  /** Split names become directory names, so keep them to one harmless path segment. */
  private static final Pattern SPLIT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final Path root;
  private final DatasetLayout layout;
  private final DatasetFiles files;

  private Bdd100kReader(Path root) {
    this.root = root;
    this.layout = new DatasetLayout(root);
    this.files = new DatasetFiles(root);
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
   * @throws DatasetException naming the file if it is missing, not a PNG, not 8-bit single channel,
   *     or not {@code expectedWidth x expectedHeight}
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
          png
              + ": expected an 8-bit single-channel mask, got "
              + raster.getNumBands()
              + " channel(s) of "
              + bits
              + " bits");
    }
    if (image.getWidth() != expectedWidth || image.getHeight() != expectedHeight) {
      throw new DatasetException(
          png
              + ": mask is "
              + image.getWidth()
              + "x"
              + image.getHeight()
              + ", expected "
              + expectedWidth
              + "x"
              + expectedHeight);
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
            split,
            images.size(),
            rel(layout.det20(split)),
            rel(layout.perImageLabelsDir(split)),
            rel(legacyLabels(root, split)));
        unlabeled.add(split);
        continue;
      }
      splits.put(split, readSplit(split, images, source, manifest != null));
    }
    if (splits.isEmpty()) {
      throw new DatasetException(
          root
              + ": no labelled split among "
              + names
              + " (looked for labels/det_20/det_SPLIT.json,"
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
    JsonNode top = JsonFiles.readSingleJson(file, rel(file));
    Where at = Where.file(rel(file));
    if (!top.isObject()) {
      throw at.fail("expected a JSON object, got " + Where.describe(top));
    }
    JsonNode splits = top.get("splits");
    Where splitsAt = at.child("splits");
    if (splits == null) {
      throw splitsAt.fail("missing");
    }
    if (!splits.isObject()) {
      throw splitsAt.fail(
          "expected an object of split name to image names, got " + Where.describe(splits));
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : splits.properties()) {
      Where splitAt = splitsAt.child(e.getKey());
      if (!SPLIT_NAME.matcher(e.getKey()).matches()) {
        throw splitAt.fail("not a valid split name");
      }
      JsonNode list = e.getValue();
      if (!list.isArray()) {
        throw splitAt.fail("expected an array of image file names, got " + Where.describe(list));
      }
      Map<String, Integer> seen = new HashMap<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode n = list.get(i);
        Where nameAt = splitAt.index(i);
        if (!n.isTextual()) {
          throw nameAt.fail("expected an image file name, got " + Where.describe(n));
        }
        FrameLabelParser.checkPlainName(n.textValue(), nameAt);
        Integer prev = seen.putIfAbsent(n.textValue(), i);
        if (prev != null) {
          throw nameAt.fail(
              "duplicate image "
                  + Where.quote(n.textValue())
                  + " (also "
                  + splitAt.index(prev).path()
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
        throw new DatasetException(rel(dir.resolve(name)) + ": image not listed in " + listing);
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
            rel(e.getValue())
                + ": same name stem as "
                + prev
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
    JsonFiles.FrameSink sink =
        (node, at, labelFile) -> {
          FrameLabels frame = FrameLabelParser.parseFrame(node, at, skipped);
          String name = frame.name();
          if (perImage
              && !DatasetLayout.stem(name)
                  .equals(DatasetLayout.stem(labelFile.getFileName().toString()))) {
            throw at.child("name")
                .fail(
                    "frame "
                        + Where.quote(name)
                        + " does not match the file name "
                        + labelFile.getFileName());
          }
          Where prev = frameAt.putIfAbsent(name, at.child("name"));
          if (prev != null) {
            throw at.child("name")
                .fail("duplicate frame " + Where.quote(name) + " (also " + prev + ")");
          }
          if (!images.containsKey(name)) {
            Path image = layout.image(split, name);
            if (!Files.isRegularFile(image)) {
              throw new DatasetException(
                  rel(image)
                      + ": image file missing for frame "
                      + name
                      + " ("
                      + at.child("name")
                      + ")");
            }
            throw at.child("name")
                .fail(
                    "frame "
                        + Where.quote(name)
                        + (manifest
                            ? " is not listed in " + rel(layout.manifest()) + ": splits." + split
                            : " is not an image file (" + String.join(", ", IMAGE_SUFFIXES) + ")"));
          }
          frames.put(name, frame);
        };
    if (perImage) {
      for (Path file : list(source, p -> Files.isRegularFile(p) && hasSuffix(p, ".json"))) {
        sink.accept(JsonFiles.readSingleJson(file, rel(file)), Where.file(rel(file)), file);
      }
    } else {
      JsonFiles.readFrameList(source, rel(source), sink);
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
      LOG.warn(
          "BDD100K split {}: {} images have no label entry in {} and are left out (first: {})",
          split,
          unlabeledImages.size(),
          rel(source),
          unlabeledImages.get(0));
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
        split,
        samples.size(),
        boxes,
        rel(source),
        drivable.size(),
        lane.size(),
        skippedTotal,
        skipped.isEmpty() ? "" : " " + skipped);
    return new Bdd100kDataset.Split(
        List.copyOf(samples), source, skipped, List.copyOf(unlabeledImages));
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

  // ---------------------------------------------------------------- helpers

  private static boolean isImageFile(Path p) {
    return Files.isRegularFile(p) && IMAGE_SUFFIXES.stream().anyMatch(s -> hasSuffix(p, s));
  }

  private static boolean hasSuffix(Path p, String suffix) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix);
  }

  private List<Path> list(Path dir, Predicate<Path> filter) {
    return files.list(dir, filter);
  }

  private String rel(Path p) {
    return files.rel(p);
  }
}
