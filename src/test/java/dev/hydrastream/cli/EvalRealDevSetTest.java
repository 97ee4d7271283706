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
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --data labels.json} on the real dash-cam dev set, read from {@code ../shared} where
 * it lives (its frames are never copied here): the committed model's report and its card entry.
 */
class EvalRealDevSetTest {

  static final Path MODEL = Path.of("models/hydranet");
  static final Path REAL_SET = Path.of("../shared/devset-real/labels.json");

  @TempDir Path tmp;

  /** A copy of the committed model, so that {@code --write-card} leaves the repository's alone. */
  private Path modelCopy() throws Exception {
    Path dir = tmp.resolve("hydranet");
    try (Stream<Path> files = Files.walk(MODEL)) {
      for (Path p : files.toList()) {
        Path to = dir.resolve(MODEL.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir;
  }

  @Test
  void theCommittedModelIsScoredOnTheRealDevSetAndTheFiguresGoIntoItsCard() throws Exception {
    assumeTrue(Files.isRegularFile(REAL_SET), "../shared/devset-real is not here");
    assumeTrue(Files.isRegularFile(MODEL.resolve(ModelCard.FILE)), "no committed model");
    Path model = modelCopy();
    JsonNode before = Json.MAPPER.readTree(model.resolve(ModelCard.FILE).toFile());

    CliRun r =
        CliRun.of(
            "eval",
            "--model",
            model.toString(),
            "--data",
            REAL_SET.toString(),
            "--json",
            "--write-card");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = CliRun.onlyDocument(r.out());
    assertThat(doc.get("frames").asInt()).isEqualTo(30);
    JsonNode dev = doc.get("dev");
    assertThat(dev.get("images")).hasSize(30);
    for (String head : List.of("timeofday", "weather", "scene")) {
      assertThat(dev.at("/accuracy/" + head).asText()).as(head).matches("\\d+/\\d+");
    }
    assertThat(dev.at("/accuracy/timeofday").asText()).endsWith("/30");
    assertThat(dev.get("road_patch_drivable").asText()).matches("\\d+/30");
    for (String f : List.of("recall", "precision")) {
      assertThat(dev.at("/vehicles/" + f).asDouble()).as(f).isBetween(0.0, 1.0);
    }
    assertThat(dev.at("/vehicles/labelled").asInt()).isPositive();
    for (String f : List.of("road_iou", "road_recall", "drivable_precision")) {
      assertThat(dev.get(f).asDouble()).as(f).isBetween(0.0, 1.0);
    }
    assertThat(dev.get("summary").asText()).startsWith("devset-real in Java 30/30 answered:");
    int matched = 0;
    for (JsonNode row : dev.get("images")) {
      assertThat(row.get("patch_drivable").asDouble()).isBetween(0.0, 1.0);
      assertThat(row.get("vehicles_matched").asInt())
          .isBetween(0, row.get("vehicles_labelled").asInt());
      assertThat(row.get("false_positives").asInt()).isNotNegative();
      assertThat(row.get("road_iou").asDouble()).isBetween(0.0, 1.0);
      matched += row.get("vehicles_matched").asInt();
    }
    assertThat(matched).isEqualTo(dev.at("/vehicles/matched").asInt());

    ObjectNode after = (ObjectNode) Json.MAPPER.readTree(model.resolve(ModelCard.FILE).toFile());
    JsonNode card = after.get("devset_real");
    assertThat(card.get("command").asText())
        .startsWith("./hydrastream eval --model ")
        .contains("--write-card");
    assertThat(card.get("labels_sha256").asText()).isEqualTo(ModelCard.sha256(REAL_SET));
    assertThat(card.get("road_patch_drivable").asText())
        .isEqualTo(dev.get("road_patch_drivable").asText());
    assertThat(card.get("vehicle_recall").asDouble())
        .isEqualTo(dev.at("/vehicles/recall").asDouble());
    assertThat(card.get("summary").asText()).isEqualTo(dev.get("summary").asText());
    after.remove("devset_real");
    ((ObjectNode) before).remove("devset_real");
    assertThat(after).as("the rest of the card as it was").isEqualTo(before);
    ModelCard.read(model).checkFiles(model); // saved_model_sha256 still holds
  }

  @Test
  void writeCardNeedsADevSetWithPatchesOrVehicles() throws Exception {
    assumeTrue(Files.isRegularFile(MODEL.resolve(ModelCard.FILE)), "no committed model");
    // a generated grey frame: no dev-set image is copied
    ImageIO.write(
        new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB),
        "png",
        tmp.resolve("a.png").toFile());
    Path labels =
        Files.writeString(
            tmp.resolve("labels.json"),
            "{\"images\": [{\"file\": \"a.png\", \"weather\": \"clear\"}]}");
    CliRun r =
        CliRun.of("eval", "--model", MODEL.toString(), "--data", labels.toString(), "--write-card");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("--write-card").contains("road_patch");
    CliRun folder =
        CliRun.of("eval", "--model", MODEL.toString(), "--data", tmp.toString(), "--write-card");
    assertThat(folder.code()).isNotZero();
    assertThat(folder.err()).contains("--write-card");
  }
}
