package dev.hydrastream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.data.labels.FrameLabels;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Taxonomy;
import dev.hydrastream.util.Json;
import dev.hydrastream.util.Trees;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests {@link Bdd100kReader} against hand-written fixtures in BDD100K's published label format
 * ({@code src/test/resources/bdd100k-fixture}): {@code release/} has a det_20 val split, a 2018
 * release train split, masks and an unlabelled test split; {@code per-image/} has per-image label
 * files and a {@code splits.json}. Error cases copy a fixture and break one thing.
 */
class Bdd100kReaderTest {

  private static final String DET_VAL = "labels/det_20/det_val.json";
  private static final String LEGACY_TRAIN = "labels/bdd100k_labels_images_train.json";
  private static final String PER_IMAGE_VAL = "labels/100k/val/7d128593-0ccfea4c.json";
  private static final String PER_IMAGE_EMPTY = "labels/100k/val/7d15b18b-1e0d6e3f.json";

  @TempDir Path tmp;

  // ---------------------------------------------------------------- det_20 + 2018 release

  @Test
  void det20LabelsAreParsedExactly() {
    FrameLabels frame = sample(open("release"), "val", "b1c66a42-6f7d68ca.jpg").labels();

    assertAttributes(frame, "overcast", "city street", "daytime");
    // "other vehicle" (id 3) and "trailer" (id 5) are not det_20 classes and are skipped.
    assertThat(frame.labels())
        .containsExactly(
            new DetLabel(
                0,
                "traffic light",
                new Box(1125.902264, 133.184488, 1156.978645, 210.875445),
                false,
                false,
                "green"),
            new DetLabel(
                1,
                "traffic light",
                new Box(1156.978645, 136.637417, 1191.50796, 210.875443),
                false,
                false,
                "none"),
            new DetLabel(
                2,
                "car",
                new Box(45.240919, 254.530367, 357.805838, 487.906215),
                true,
                false,
                null),
            new DetLabel(4, "pedestrian", new Box(700, 300, 724, 371), false, false, null),
            new DetLabel(
                6, "traffic sign", new Box(1240.0, 90.5, 1279.0, 130.5), false, true, null));
    // Record equality compares doubles exactly; spell one out against the decimal text.
    assertThat(frame.labels().get(0).box().x1()).isEqualTo(Double.parseDouble("1125.902264"));
  }

  @Test
  void undefinedOrEmptyAttributesAreNullAndMissingLabelsAreEmpty() {
    Bdd100kDataset ds = open("release");

    FrameLabels labelsNull = sample(ds, "val", "b1ca2e5d-84cf9134.jpg").labels();
    assertAttributes(labelsNull, null, "highway", "night"); // weather "undefined"
    assertThat(labelsNull.labels()).isEmpty(); // "labels": null

    FrameLabels noLabelsKey = sample(ds, "val", "b1c81faa-3df17267.jpg").labels();
    assertAttributes(noLabelsKey, "clear", null, "dawn/dusk"); // scene ""
    assertThat(noLabelsKey.labels()).isEmpty();
  }

  @Test
  void imagesWithoutLabelEntryAreLeftOutAndReported() throws IOException {
    Path root = copy("release");
    edit(root, DET_VAL, t -> ((ArrayNode) t).remove(2));
    Bdd100kDataset ds = Bdd100kReader.open(root);
    assertThat(ds.unlabeledImages("val")).containsExactly("b1c81faa-3df17267.jpg");
    assertThat(ds.samples("val"))
        .extracting(Sample::name)
        .doesNotContain("b1c81faa-3df17267.jpg")
        .hasSize(open("release").samples("val").size() - 1);
  }

  @Test
  void legacyReleaseNamesAreMappedAndPolygonsSkipped() {
    Bdd100kDataset ds = open("release");

    FrameLabels first = sample(ds, "train", "0000f77c-cb820c98.jpg").labels();
    assertAttributes(first, "rainy", "residential", "night");
    assertThat(first.labels())
        .containsExactly(
            new DetLabel(
                40, "pedestrian", new Box(535.5, 310.25, 560.125, 392.0), false, false, null),
            new DetLabel(
                41, "bicycle", new Box(600.871232, 350.0, 655.101404, 410.96), true, false, null),
            new DetLabel(42, "motorcycle", new Box(1200, 380, 1279, 470), false, true, null),
            new DetLabel(
                43, "traffic light", new Box(720.4, 100.2, 731.6, 128.9), false, false, "green"),
            new DetLabel(
                44, "traffic light", new Box(760.0, 101.0, 770.0, 127.0), false, false, "none"));

    FrameLabels second = sample(ds, "train", "0000f77c-6257be58.jpg").labels();
    assertThat(second.labels())
        .containsExactly(
            new DetLabel(
                50,
                "traffic sign",
                new Box(1000.698742, 281.992415, 1040.626872, 326.91156),
                false,
                false,
                null),
            new DetLabel(52, "rider", new Box(310.0, 330.0, 352.0, 430.0), true, false, null),
            // A one-pixel box (x1 == x2, y1 == y2) is valid under inclusive-pixel semantics.
            new DetLabel(53, "car", new Box(1.0, 2.0, 1.0, 2.0), false, false, null));
  }

  @Test
  void skippedLabelsAreCountedPerSplitAndInTotal() {
    Bdd100kDataset ds = open("release");

    assertThat(ds.skippedLabels("val")).isEqualTo(Map.of("other vehicle", 1, "trailer", 1));
    assertThat(ds.skippedLabels("train")).isEqualTo(Map.of("drivable area", 2, "lane", 2));
    assertThat(ds.skippedLabels())
        .isEqualTo(Map.of("drivable area", 2, "lane", 2, "other vehicle", 1, "trailer", 1));
    assertThat(ds.skippedLabels().keySet())
        .containsExactly("drivable area", "lane", "other vehicle", "trailer");
  }

  @Test
  void detectionLabelWithoutBoxIsSkippedAndCounted() throws IOException {
    Path root = copy("release");
    edit(root, DET_VAL, t -> obj(t, "/1/labels/2").remove("box2d"));
    Bdd100kDataset ds = Bdd100kReader.open(root);

    assertThat(sample(ds, "val", "b1c66a42-6f7d68ca.jpg").labels().labels())
        .extracting(DetLabel::id)
        .containsExactly(0L, 1L, 4L, 6L);
    assertThat(ds.skippedLabels("val"))
        .isEqualTo(Map.of("car", 1, "other vehicle", 1, "trailer", 1));
  }

  @Test
  void splitsAreDiscoveredFromImageDirectoriesAndUnlabelledOnesReported() {
    Bdd100kDataset ds = open("release");

    assertThat(ds.splits()).containsExactly("train", "val");
    assertThat(ds.unlabeledSplits()).containsExactly("test");
    assertThat(ds.labelSource("val")).isEqualTo(ds.root().resolve(DET_VAL));
    assertThat(ds.labelSource("train")).isEqualTo(ds.root().resolve(LEGACY_TRAIN));
    assertThatThrownBy(() -> ds.samples("test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'test'")
        .hasMessageContaining("unlabelled: [test]");
  }

  @Test
  void samplesAreSortedByNameAndPointAtTheirFiles() {
    Bdd100kDataset ds = open("release");
    List<Sample> val = ds.samples("val");

    // det_val.json lists b1ca2e5d first; samples must not follow file order.
    assertThat(val)
        .extracting(Sample::name)
        .containsExactly("b1c66a42-6f7d68ca.jpg", "b1c81faa-3df17267.jpg", "b1ca2e5d-84cf9134.jpg");
    assertThat(ds.samples("train"))
        .extracting(Sample::name)
        .containsExactly("0000f77c-6257be58.jpg", "0000f77c-cb820c98.jpg");
    for (Sample s : val) {
      assertThat(s.split()).isEqualTo("val");
      assertThat(s.image()).isEqualTo(ds.layout().image("val", s.name())).isRegularFile();
    }
    assertThat(open("release").samples("val")).isEqualTo(val);
  }

  @Test
  void masksAreFoundWhereTheyExistAndNullOtherwise() {
    Bdd100kDataset ds = open("release");
    DatasetLayout layout = ds.layout();

    Sample drivableOnly = sample(ds, "val", "b1c66a42-6f7d68ca.jpg");
    assertThat(drivableOnly.drivableMask())
        .isEqualTo(layout.drivableMask("val", drivableOnly.name()))
        .isRegularFile();
    assertThat(drivableOnly.laneMask()).isNull();

    Sample laneOnly = sample(ds, "val", "b1c81faa-3df17267.jpg");
    assertThat(laneOnly.drivableMask()).isNull();
    assertThat(laneOnly.laneMask()).isEqualTo(layout.laneMask("val", laneOnly.name()));

    Sample none = sample(ds, "val", "b1ca2e5d-84cf9134.jpg");
    assertThat(none.drivableMask()).isNull();
    assertThat(none.laneMask()).isNull();
    assertThat(ds.samples("train"))
        .allSatisfy(
            s -> {
              assertThat(s.drivableMask()).isNull();
              assertThat(s.laneMask()).isNull();
            });
  }

  // ---------------------------------------------------------------- per-image + splits.json

  @Test
  void perImageFilesWithManifest() {
    Bdd100kDataset ds = open("per-image");
    assertPerImageContent(ds);
    assertThat(ds.labelSource("val")).isEqualTo(ds.layout().perImageLabelsDir("val"));
  }

  @Test
  void perImageFilesWithoutManifestUseImageDirectories() throws IOException {
    Path root = copy("per-image");
    Files.delete(root.resolve("splits.json"));
    assertPerImageContent(Bdd100kReader.open(root));
  }

  private static void assertPerImageContent(Bdd100kDataset ds) {
    assertThat(ds.splits()).containsExactly("train", "val");
    assertThat(ds.unlabeledSplits()).isEmpty();
    // splits.json lists val in the opposite order.
    assertThat(ds.samples("val"))
        .extracting(Sample::name)
        .containsExactly("7d128593-0ccfea4c.jpg", "7d15b18b-1e0d6e3f.jpg");

    assertThat(ds.samples("val").get(0).labels())
        .isEqualTo(
            new FrameLabels(
                "7d128593-0ccfea4c.jpg",
                "snowy",
                "parking lot",
                "daytime",
                List.of(new DetLabel(120, "bus", new Box(10, 20, 300, 260), false, true, null))));
    assertThat(ds.samples("val").get(1).labels())
        .isEqualTo(new FrameLabels("7d15b18b-1e0d6e3f.jpg", null, null, null, List.of()));
    // The truck has no id: it gets its index in the labels array, counting the skipped label.
    assertThat(ds.samples("train").get(0).labels())
        .isEqualTo(
            new FrameLabels(
                "7d06fefd-f7be05a6.jpg",
                "foggy",
                "tunnel",
                null,
                List.of(
                    new DetLabel(
                        1, "truck", new Box(400.5, 200.25, 900.75, 600.125), true, true, null))));
    assertThat(ds.skippedLabels("val")).isEqualTo(Map.of("area/drivable", 1, "lane/crosswalk", 1));
    assertThat(ds.skippedLabels("train")).isEqualTo(Map.of("other person", 1));
    assertThat(ds.samples("val")).allSatisfy(s -> assertThat(s.drivableMask()).isNull());
  }

  // ---------------------------------------------------------------- masks

  @Test
  void readMaskReturnsRawValuesRowMajor() {
    Bdd100kDataset ds = open("release");
    int[] drivable =
        Bdd100kReader.readMask(sample(ds, "val", "b1c66a42-6f7d68ca.jpg").drivableMask(), 16, 9);
    int[] lane =
        Bdd100kReader.readMask(sample(ds, "val", "b1c81faa-3df17267.jpg").laneMask(), 16, 9);

    // The fixture masks were drawn with these rules (see the test resources).
    int[] expectedDrivable = new int[16 * 9];
    int[] expectedLane = new int[16 * 9];
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 16; x++) {
        expectedDrivable[y * 16 + x] =
            y < 3
                ? Taxonomy.DRIVABLE_BACKGROUND
                : y < 6
                    ? (x < 8 ? Taxonomy.DRIVABLE_ALTERNATIVE : Taxonomy.DRIVABLE_BACKGROUND)
                    : Taxonomy.DRIVABLE_DIRECT;
        expectedLane[y * 16 + x] = x == 5 ? 3 : Taxonomy.LANE_BACKGROUND;
      }
    }
    assertThat(drivable).containsExactly(expectedDrivable);
    assertThat(lane).containsExactly(expectedLane);
  }

  @Test
  void readMaskRejectsWrongSizeFormatAndDepth() throws IOException {
    Path mask = open("release").layout().drivableMask("val", "b1c66a42-6f7d68ca.jpg");
    assertMaskRefused(mask, 1280, 720, "mask is 16x9, expected 1280x720");

    Path rgb = writeImage("rgb.png", "png", BufferedImage.TYPE_INT_RGB);
    assertMaskRefused(
        rgb, 4, 3, "expected an 8-bit single-channel mask, got 3 channel(s) of 8 bits");

    Path deep = writeImage("deep.png", "png", BufferedImage.TYPE_USHORT_GRAY);
    assertMaskRefused(
        deep, 4, 3, "expected an 8-bit single-channel mask, got 1 channel(s) of 16 bits");

    Path jpeg = writeImage("gray.jpg", "jpg", BufferedImage.TYPE_BYTE_GRAY);
    assertMaskRefused(jpeg, 4, 3, "expected a PNG mask, got JPEG");

    Path garbage = Files.writeString(tmp.resolve("garbage.png"), "not an image");
    assertMaskRefused(garbage, 4, 3, "not a PNG image");

    Path missing = tmp.resolve("missing.png");
    assertMaskRefused(missing, 4, 3, "mask file missing");
  }

  private static void assertMaskRefused(Path mask, int width, int height, String why) {
    assertThatThrownBy(() -> Bdd100kReader.readMask(mask, width, height))
        .isInstanceOf(DatasetException.class)
        .hasMessage(mask + ": " + why);
  }

  private Path writeImage(String name, String format, int type) throws IOException {
    Path file = tmp.resolve(name);
    assertThat(ImageIO.write(new BufferedImage(4, 3, type), format, file.toFile())).isTrue();
    return file;
  }

  // ---------------------------------------------------------------- errors

  @Test
  void invalidJsonSyntaxNamesFileFieldAndPosition() throws IOException {
    Path root = copy("release");
    int line = breakDetVal(root, "\"x2\": 357.805838,", "\"x2\": 357.805838,,");

    assertOpenFails(root)
        .hasMessageStartingWith(DET_VAL + ": frames[1].labels[2].box2d")
        .hasMessageContaining("invalid JSON at line " + line + ", column ");
  }

  @Test
  void duplicateJsonKeyIsASyntaxError() throws IOException {
    Path root = copy("release");
    String name = "\"name\": \"b1ca2e5d-84cf9134.jpg\",";
    int line = breakDetVal(root, name, name + " \"name\": \"other.jpg\",");

    assertOpenFails(root)
        .hasMessageStartingWith(DET_VAL + ": frames[0].name: invalid JSON at line " + line)
        .hasMessageContaining("Duplicate field 'name'");
  }

  @Test
  void truncatedFileIsASyntaxError() throws IOException {
    Path root = copy("release");
    Path file = root.resolve(LEGACY_TRAIN);
    String text = Files.readString(file);
    Files.writeString(file, text.substring(0, text.indexOf("\"id\": 45")));

    assertOpenFails(root)
        .hasMessageStartingWith(LEGACY_TRAIN + ": frames[0].labels[5]")
        .hasMessageContaining("invalid JSON at line ");
  }

  /**
   * Replaces {@code original} once in the release fixture's det_20 val labels under {@code root}
   * with {@code broken}; returns the line {@code broken} stands on.
   */
  private static int breakDetVal(Path root, String original, String broken) throws IOException {
    Path file = root.resolve(DET_VAL);
    replaceOnce(file, original, broken);
    return lineOf(Files.readString(file), broken);
  }

  /** Asserts that opening {@code root} fails with a {@link DatasetException}; for its message. */
  private static AbstractThrowableAssert<?, ?> assertOpenFails(Path root) {
    return assertThatThrownBy(() -> Bdd100kReader.open(root)).isInstanceOf(DatasetException.class);
  }

  /** One broken thing per case; the message must name the file and the field path. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void corruptDatasetFailsWithFileAndField(
      String description, String fixture, Corruption corruption, List<String> expected)
      throws IOException {
    Path root = copy(fixture);
    corruption.apply(root);

    assertOpenFails(root)
        .hasMessageStartingWith(expected.get(0))
        .hasMessageContainingAll(expected.toArray(String[]::new));
  }

  static Stream<Arguments> corruptions() {
    return Stream.of(
        // ---- wrong types and values, det_20
        release(
            "box coordinate is a string",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/2/box2d").put("x2", "abc")),
            DET_VAL + ": frames[1].labels[2].box2d.x2: expected a number, got \"abc\""),
        release(
            "x2 < x1",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/0/box2d").put("x2", 1000.0)),
            DET_VAL + ": frames[1].labels[0].box2d.x2: 1000.0 is less than x1 1125.902264"),
        release(
            "y2 < y1",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/4/box2d").put("y2", 299)),
            DET_VAL + ": frames[1].labels[4].box2d.y2: 299 is less than y1 300"),
        release(
            "box coordinate missing",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/2/box2d").remove("y1")),
            DET_VAL + ": frames[1].labels[2].box2d.y1: missing"),
        release(
            "box2d not an object",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/2").putArray("box2d").add(1)),
            DET_VAL
                + ": frames[1].labels[2].box2d: expected an object with x1, y1, x2, y2,"
                + " got an array"),
        release(
            "weather not in the taxonomy",
            root -> edit(root, DET_VAL, t -> obj(t, "/0/attributes").put("weather", "sunny")),
            DET_VAL + ": frames[0].attributes.weather: unknown value \"sunny\", expected one of"),
        release(
            "scene is a number",
            root -> edit(root, DET_VAL, t -> obj(t, "/2/attributes").put("scene", 3)),
            DET_VAL + ": frames[2].attributes.scene: expected a string, got 3"),
        release(
            "frame name missing",
            root -> edit(root, DET_VAL, t -> obj(t, "/2").remove("name")),
            DET_VAL + ": frames[2].name: missing"),
        release(
            "frame is not an object",
            root -> edit(root, DET_VAL, t -> ((ArrayNode) t).set(1, TextNode.valueOf("frame"))),
            DET_VAL + ": frames[1]: expected a frame object, got \"frame\""),
        release(
            "labels is an object",
            root -> edit(root, DET_VAL, t -> obj(t, "/1").putObject("labels")),
            DET_VAL + ": frames[1].labels: expected an array, got an object"),
        release(
            "occluded is a string",
            root ->
                edit(root, DET_VAL, t -> obj(t, "/1/labels/2/attributes").put("occluded", "yes")),
            DET_VAL
                + ": frames[1].labels[2].attributes.occluded: expected true or false,"
                + " got \"yes\""),
        release(
            "unknown traffic light color",
            root ->
                edit(
                    root,
                    DET_VAL,
                    t -> obj(t, "/1/labels/0/attributes").put("trafficLightColor", "purple")),
            DET_VAL
                + ": frames[1].labels[0].attributes.trafficLightColor: unknown traffic light"
                + " color \"purple\""),
        release(
            "label id not numeric",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/2").put("id", "car-2")),
            DET_VAL
                + ": frames[1].labels[2].id: expected an integer or a string of digits,"
                + " got \"car-2\""),
        release(
            "duplicate label id",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/4").put("id", "2")),
            DET_VAL + ": frames[1].labels[4].id: duplicate id 2 (also frames[1].labels[2])"),
        release(
            "category missing",
            root -> edit(root, DET_VAL, t -> obj(t, "/1/labels/1").remove("category")),
            DET_VAL + ": frames[1].labels[1].category: missing"),
        release(
            "top level is not an array",
            root -> Files.writeString(root.resolve(DET_VAL), "{\"frames\": []}"),
            DET_VAL + ": expected a JSON array of frames, got an object"),
        release(
            "frame name climbs out of the split directory",
            root -> edit(root, DET_VAL, t -> obj(t, "/2").put("name", "../train/x.jpg")),
            DET_VAL + ": frames[2].name: expected a plain image file name, got \"../train/x.jpg\""),
        // ---- wrong types and values, 2018 release file
        release(
            "unknown category",
            root -> edit(root, LEGACY_TRAIN, t -> obj(t, "/0/labels/0").put("category", "ufo")),
            LEGACY_TRAIN + ": frames[0].labels[0].category: unknown category \"ufo\""),
        release(
            "timeofday not in the taxonomy",
            root -> edit(root, LEGACY_TRAIN, t -> obj(t, "/1/attributes").put("timeofday", "noon")),
            LEGACY_TRAIN + ": frames[1].attributes.timeofday: unknown value \"noon\""),
        // ---- frames vs images vs masks
        release(
            "image referenced by labels is missing",
            root -> Files.delete(root.resolve("images/100k/val/b1c81faa-3df17267.jpg")),
            "images/100k/val/b1c81faa-3df17267.jpg: image file missing for frame"
                + " b1c81faa-3df17267.jpg ("
                + DET_VAL
                + ": frames[2].name)"),
        release(
            "duplicate frame name",
            root -> edit(root, DET_VAL, t -> obj(t, "/2").put("name", "b1c66a42-6f7d68ca.jpg")),
            DET_VAL
                + ": frames[2].name: duplicate frame \"b1c66a42-6f7d68ca.jpg\" (also "
                + DET_VAL
                + ": frames[1].name)"),
        release(
            "frame name is not an image file",
            root -> {
              Files.writeString(root.resolve("images/100k/val/notes.txt"), "x");
              edit(root, DET_VAL, t -> obj(t, "/2").put("name", "notes.txt"));
            },
            DET_VAL + ": frames[2].name: frame \"notes.txt\" is not an image file"),
        release(
            "mask without an image",
            root ->
                Files.copy(
                    root.resolve("labels/drivable/masks/val/b1c66a42-6f7d68ca.png"),
                    root.resolve("labels/drivable/masks/val/ffffffff-00000000.png")),
            "labels/drivable/masks/val/ffffffff-00000000.png: drivable mask has no image in"
                + " split val"),
        // ---- per-image files and splits.json
        perImage(
            "per-image frame name missing",
            root -> edit(root, PER_IMAGE_EMPTY, t -> obj(t, "").remove("name")),
            PER_IMAGE_EMPTY + ": name: missing"),
        perImage(
            "per-image box coordinate is a string",
            root -> edit(root, PER_IMAGE_VAL, t -> obj(t, "/labels/0/box2d").put("x1", "10")),
            PER_IMAGE_VAL + ": labels[0].box2d.x1: expected a number, got \"10\""),
        perImage(
            "per-image name does not match its file",
            root ->
                edit(root, PER_IMAGE_EMPTY, t -> obj(t, "").put("name", "7d128593-0ccfea4c.jpg")),
            PER_IMAGE_EMPTY
                + ": name: frame \"7d128593-0ccfea4c.jpg\" does not match the file"
                + " name 7d15b18b-1e0d6e3f.json"),
        perImage(
            "per-image label file whose image is missing",
            root -> {
              Files.delete(root.resolve("images/100k/val/7d128593-0ccfea4c.jpg"));
              edit(root, "splits.json", t -> ((ArrayNode) t.at("/splits/val")).remove(1));
            },
            "images/100k/val/7d128593-0ccfea4c.jpg: image file missing for frame"
                + " 7d128593-0ccfea4c.jpg ("
                + PER_IMAGE_VAL
                + ": name)"),
        perImage(
            "per-image old per-video format",
            root ->
                Files.writeString(
                    root.resolve(PER_IMAGE_EMPTY),
                    "{\"name\": \"7d15b18b-1e0d6e3f.jpg\", \"frames\": [{\"objects\": []}]}"),
            PER_IMAGE_EMPTY
                + ": frames: the per-video frames[].objects[] format is not"
                + " supported"),
        perImage(
            "per-image trailing content",
            root ->
                Files.writeString(
                    root.resolve(PER_IMAGE_EMPTY), "{\"name\": \"7d15b18b-1e0d6e3f.jpg\"}\n{}"),
            PER_IMAGE_EMPTY
                + ": invalid JSON at line 2, column 1: unexpected content after the"
                + " top-level value"),
        perImage(
            "splits.json lists a split without images",
            root ->
                edit(root, "splits.json", t -> obj(t, "/splits").putArray("test").add("0000.jpg")),
            "splits.json: splits.test: split has no images (images/100k/test missing)"),
        perImage(
            "splits.json lists a missing image",
            root ->
                edit(
                    root,
                    "splits.json",
                    t -> ((ArrayNode) t.at("/splits/train")).add("7d000000-00000000.jpg")),
            "images/100k/train/7d000000-00000000.jpg: image file missing (listed in splits.json:"
                + " splits.train[1])"),
        perImage(
            "image on disk not listed in splits.json",
            root -> edit(root, "splits.json", t -> ((ArrayNode) t.at("/splits/val")).remove(0)),
            "images/100k/val/7d15b18b-1e0d6e3f.jpg: image not listed in splits.json: splits.val"),
        perImage(
            "splits.json entry is not a string",
            root -> edit(root, "splits.json", t -> ((ArrayNode) t.at("/splits/train")).add(7)),
            "splits.json: splits.train[1]: expected an image file name, got 7"),
        perImage(
            "splits.json without splits",
            root -> edit(root, "splits.json", t -> obj(t, "").remove("splits")),
            "splits.json: splits: missing"),
        perImage(
            "splits.json lists an image twice",
            root ->
                edit(
                    root,
                    "splits.json",
                    t -> ((ArrayNode) t.at("/splits/train")).add("7d06fefd-f7be05a6.jpg")),
            "splits.json: splits.train[1]: duplicate image \"7d06fefd-f7be05a6.jpg\""
                + " (also splits.train[0])"));
  }

  // ---------------------------------------------------------------- helpers

  @FunctionalInterface
  interface Corruption {
    void apply(Path root) throws IOException;
  }

  private static Arguments release(String description, Corruption c, String... expected) {
    return Arguments.of(description, "release", c, List.of(expected));
  }

  private static Arguments perImage(String description, Corruption c, String... expected) {
    return Arguments.of(description, "per-image", c, List.of(expected));
  }

  /** Asserts a frame's attributes; null where the file has none, an empty or "undefined" one. */
  private static void assertAttributes(
      FrameLabels frame, String weather, String scene, String timeofday) {
    assertThat(frame.weather()).as("weather").isEqualTo(weather);
    assertThat(frame.scene()).as("scene").isEqualTo(scene);
    assertThat(frame.timeofday()).as("timeofday").isEqualTo(timeofday);
  }

  private static Bdd100kDataset open(String fixture) {
    return Bdd100kReader.open(fixture(fixture));
  }

  private static Path fixture(String name) {
    URL url = Bdd100kReaderTest.class.getResource("/bdd100k-fixture/" + name);
    assertThat(url).as("fixture %s on the test classpath", name).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Sample sample(Bdd100kDataset ds, String split, String name) {
    return ds.samples(split).stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + split + "/" + name));
  }

  /** A private copy of a fixture that a test may break. */
  private Path copy(String fixture) throws IOException {
    Path to = tmp.resolve(fixture);
    Trees.copy(fixture(fixture), to);
    return to;
  }

  /** Rewrites a JSON file of the copy after {@code change} edited its tree. */
  private static void edit(Path root, String file, Consumer<JsonNode> change) throws IOException {
    Path path = root.resolve(file);
    JsonNode tree = Json.MAPPER.readTree(path.toFile());
    change.accept(tree);
    Json.MAPPER.writeValue(path.toFile(), tree);
  }

  /** The object at a JSON pointer; fails the test if the fixture no longer has it. */
  private static ObjectNode obj(JsonNode tree, String pointer) {
    JsonNode node = tree.at(pointer);
    assertThat(node.isObject()).as("fixture object at %s", pointer).isTrue();
    return (ObjectNode) node;
  }

  private static void replaceOnce(Path file, String from, String to) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int at = text.indexOf(from);
    assertThat(at).as("%s occurs in %s", from, file).isNotNegative();
    assertThat(text.indexOf(from, at + 1)).as("%s occurs once in %s", from, file).isNegative();
    Files.writeString(file, text.substring(0, at) + to + text.substring(at + from.length()));
  }

  /** 1-based line of the first occurrence of {@code needle}. */
  private static int lineOf(String text, String needle) {
    int at = text.indexOf(needle);
    assertThat(at).isNotNegative();
    return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }
}
