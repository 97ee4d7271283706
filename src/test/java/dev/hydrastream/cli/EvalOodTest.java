package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.util.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --ood-against}: a model without an OOD output is refused by name, bad arguments are
 * refused before any frame is read, and (with a model that has the output and the real dev set in
 * {@code ../shared}, whose frames are read where they are) the report and its card entry.
 */
class EvalOodTest {

  static final Path HYDRANET = Path.of("models/hydranet");
  static final Path REAL_SET = Path.of("../shared/devset-real/labels.json");

  @TempDir static Path shared;

  /** A model of the from-scratch backbone, which has no OOD output (untrained: same graph). */
  static Path noOod;

  /** A two-frame synthetic dataset (test split). */
  static Path dataset;

  /** A folder with one generated image (no real frame is copied). */
  static Path images;

  /** A card that declares an OOD output, without a SavedModel: enough for the argument checks. */
  static Path oodCard;

  @BeforeAll
  static void fixtures() throws Exception {
    dataset = shared.resolve("d");
    CliRun d =
        CliRun.of(
            "dataset",
            "--out",
            dataset.toString(),
            "--count",
            "2",
            "--seed",
            "3",
            "--size",
            "320x180",
            "--split",
            "test");
    assertThat(d.code()).as(d.err()).isZero();
    images = Files.createDirectories(shared.resolve("real"));
    ImageIO.write(
        new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB),
        "png",
        images.resolve("a.png").toFile());
    noOod = shared.resolve("no-ood");
    dev.hydrastream.model.Exporter.exportUntrained(
        dev.hydrastream.model.ModelConfig.defaults(), noOod, 1);
    oodCard = Files.createDirectories(shared.resolve("card-only"));
    ObjectNode card = (ObjectNode) Json.MAPPER.readTree(HYDRANET.resolve(ModelCard.FILE).toFile());
    card.putObject("ood").put("output", "ood").put("threshold", 1.0);
    Files.writeString(oodCard.resolve(ModelCard.FILE), Json.MAPPER.writeValueAsString(card));
  }

  private static CliRun eval(String... args) {
    List<String> all = new ArrayList<>(List.of("eval"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void aModelWithoutAnOodOutputIsRefusedByName() throws Exception {
    byte[] before = Files.readAllBytes(noOod.resolve(ModelCard.FILE));
    for (Path against : List.of(images, REAL_SET)) {
      CliRun r =
          eval(
              "--model",
              noOod.toString(),
              "--data",
              dataset.toString(),
              "--ood-against",
              against.toString(),
              "--json",
              "--write-card");
      assertThat(r.code()).isNotZero();
      assertThat(r.out()).isEmpty();
      assertThat(r.err())
          .contains(noOod.toString())
          .contains("no out-of-distribution output")
          .contains("\"ood\"");
    }
    assertThat(Files.readAllBytes(noOod.resolve(ModelCard.FILE))).isEqualTo(before);
  }

  @Test
  void argumentsAreChecked() throws Exception {
    String m = oodCard.toString();
    String d = dataset.toString();
    String a = images.toString();
    assertRefused(
        "--ood-max-frames must be at least 1",
        eval("--model", m, "--data", d, "--ood-against", a, "--ood-max-frames", "0"));
    assertRefused(
        "--ood-max-frames applies to --ood-against",
        eval("--model", HYDRANET.toString(), "--data", d, "--ood-max-frames", "5"));
    assertRefused(
        "--batch must be at least 1",
        eval("--model", m, "--data", d, "--ood-against", a, "--batch", "0"));
    assertRefused("--ood-against needs --model", eval("--data", d, "--ood-against", a));
    for (String[] other :
        List.of(
            new String[] {"--tracking"},
            new String[] {"--ceiling", "4"},
            new String[] {"--overlays", shared.resolve("o").toString()},
            new String[] {"--input", "224x384"},
            new String[] {"--min-score", "0.5"})) {
      List<String> args = new ArrayList<>(List.of("--model", m, "--data", d, "--ood-against", a));
      args.addAll(List.of(other));
      assertRefused(
          other[0] + " does not apply to --ood-against", eval(args.toArray(String[]::new)));
    }
    assertRefused(
        "expected a dev set file (.json) or a folder with JPEG/PNG images",
        eval("--model", m, "--data", d, "--ood-against", shared.resolve("nothing").toString()));
    Path text = Files.writeString(shared.resolve("frames.txt"), "a.png\n");
    assertRefused(
        "expected a dev set file",
        eval("--model", m, "--data", d, "--ood-against", text.toString()));
    Path labels =
        Files.writeString(
            shared.resolve("labels.json"), "{\"images\": [{\"file\": \"missing.jpg\"}]}");
    assertRefused(
        "missing.jpg does not exist",
        eval("--model", m, "--data", d, "--ood-against", labels.toString()));
    assertRefused(
        "--ood-against compares with the synthetic dataset",
        eval("--model", m, "--data", a, "--ood-against", a));
    assertRefused(
        "--split train is not a labelled split",
        eval("--model", m, "--data", d, "--ood-against", a, "--split", "train"));
  }

  private static void assertRefused(String message, CliRun r) {
    assertThat(r.code()).as(r.err()).isNotZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(message);
  }

  /**
   * A model with an OOD output: {@code -Dhydra.oodModel=DIR}, else the first under {@code models/}
   * whose card declares one.
   */
  private static Optional<Path> oodModel() throws Exception {
    String given = System.getProperty("hydra.oodModel");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given));
    }
    try (Stream<Path> dirs = Files.list(Path.of("models"))) {
      for (Path dir : dirs.sorted().toList()) {
        Path card = dir.resolve(ModelCard.FILE);
        if (Files.isRegularFile(card) && Json.MAPPER.readTree(card.toFile()).has("ood")) {
          return Optional.of(dir);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void theRealDevSetIsScoredAgainstTheSyntheticSplitAndGoesIntoTheCard(@TempDir Path tmp)
      throws Exception {
    assumeTrue(Files.isRegularFile(REAL_SET), "../shared/devset-real is not here");
    Optional<Path> source = oodModel();
    assumeTrue(source.isPresent(), "no model with an ood output (-Dhydra.oodModel=DIR)");
    Path model = tmp.resolve("model");
    try (Stream<Path> files = Files.walk(source.get())) {
      for (Path p : files.toList()) {
        Path to = model.resolve(source.get().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    ObjectNode before = (ObjectNode) Json.MAPPER.readTree(model.resolve(ModelCard.FILE).toFile());
    before.remove("ood_eval"); // a model evaluated before gets its entry replaced

    CliRun r =
        eval(
            "--model",
            model.toString(),
            "--data",
            dataset.toString(),
            "--ood-against",
            REAL_SET.toString(),
            "--ood-max-frames",
            "1",
            "--json",
            "--write-card");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = CliRun.onlyDocument(r.out());
    assertThat(doc.get("auroc").asDouble()).isBetween(0.0, 1.0);
    assertThat(doc.get("threshold").asDouble()).isEqualTo(ModelCard.read(model).oodThreshold());
    JsonNode synthetic = doc.at("/sides/synthetic");
    assertThat(synthetic.get("frames").asInt()).isEqualTo(1);
    assertThat(synthetic.get("available").asInt()).isEqualTo(2);
    assertThat(synthetic.get("split").asText()).isEqualTo("test");
    JsonNode real = doc.at("/sides/real");
    assertThat(real.get("frames").asInt()).isEqualTo(30);
    assertThat(real.get("data").asText()).isEqualTo(REAL_SET.toString());
    for (JsonNode side : List.of(synthetic, real)) {
      assertThat(side.get("median_score").asDouble()).isNotNegative();
      assertThat(side.get("share_above_threshold").asDouble()).isBetween(0.0, 1.0);
    }

    ObjectNode after = (ObjectNode) Json.MAPPER.readTree(model.resolve(ModelCard.FILE).toFile());
    JsonNode card = after.get("ood_eval");
    assertThat(card.get("command").asText())
        .startsWith("./hydrastream eval --model ")
        .contains("--ood-against");
    assertThat(card.get("data").asText()).isEqualTo(dataset.toString());
    assertThat(card.get("split").asText()).isEqualTo("test");
    assertThat(card.get("against").asText()).isEqualTo(REAL_SET.toString());
    assertThat(card.get("against_sha256").asText()).isEqualTo(ModelCard.sha256(REAL_SET));
    assertThat(card.get("auroc").asDouble()).isEqualTo(doc.get("auroc").asDouble());
    assertThat(card.at("/real/median_score").asDouble())
        .isEqualTo(real.get("median_score").asDouble());
    assertThat(card.at("/synthetic/share_above_threshold").asDouble())
        .isEqualTo(synthetic.get("share_above_threshold").asDouble());
    after.remove("ood_eval");
    assertThat(after).as("the rest of the card as it was").isEqualTo(before);
    ModelCard.read(model).checkFiles(model); // saved_model_sha256 still holds
  }
}
