package dev.hydrastream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.util.Json;
import dev.hydrastream.util.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged model directory is refused before the engine loads it, naming the file: a missing
 * directory, a truncated graph, and a card whose SHA-256 does not match the graph.
 */
class ModelFilesTest {

  @TempDir Path tmp;
  Path copy;

  @BeforeEach
  void copyDefaultModel() throws Exception {
    copy = tmp.resolve("hydranet");
    Trees.copy(Path.of("models/hydranet"), copy);
  }

  @Test
  void missingDirectoryIsNamed() {
    Path nowhere = tmp.resolve("no-such-model");
    assertThatThrownBy(() -> PerceptionModel.load(nowhere, PerceptionModel.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(nowhere.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void truncatedGraphIsRefusedNamingTheFile() throws Exception {
    Path pb = copy.resolve("saved_model.pb");
    byte[] bytes = Files.readAllBytes(pb);
    Files.write(pb, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> PerceptionModel.load(copy, PerceptionModel.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pb.toString())
        .hasMessageContaining("SHA-256")
        .hasMessageContaining("truncated");
  }

  @Test
  void cardWithAnotherChecksumIsRefused() throws Exception {
    Path card = copy.resolve(ModelCard.FILE);
    String json = Files.readString(card);
    String sha = ModelCard.sha256(copy.resolve("saved_model.pb"));
    Files.writeString(card, json.replace(sha, "0".repeat(64)));
    assertThatThrownBy(() -> PerceptionModel.load(copy, PerceptionModel.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(copy.resolve("saved_model.pb").toString())
        .hasMessageContaining("0".repeat(64));
  }

  @Test
  void aCardWithoutTheChecksumStillNamesItsGraph() throws Exception {
    Path card = copy.resolve(ModelCard.FILE);
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(card.toFile());
    json.remove(ModelCard.SHA256_FIELD);
    Files.writeString(card, Json.MAPPER.writeValueAsString(json));
    ModelCard read = ModelCard.read(copy);
    String sha = ModelCard.sha256(copy.resolve("saved_model.pb"));
    assertThat(read.identity().sha256()).isEmpty();
    assertThat(read.identity(read.checkFiles(copy)))
        .isEqualTo(new ModelIdentity(read.name(), read.version(), sha));
  }

  @Test
  void missingWeightsAreNamed() throws Exception {
    try (var walk = Files.walk(copy.resolve("variables"))) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertThatThrownBy(() -> PerceptionModel.load(copy, PerceptionModel.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(copy.resolve("variables").toString());
  }
}
