package dev.hydrastream.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.inference.ModelRepository;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Versions of the default model built at test time in a model repository ({@code NAME/VERSION/}):
 * copies of {@code models/hydranet} with another version on the card, a truncated graph, or a card
 * whose outputs the graph does not have. No large files in git.
 */
public final class ModelVersions {

  /** The committed default model. */
  public static final Path DEFAULT = Path.of("models/hydranet");

  private ModelVersions() {}

  /** A copy of the default model as {@code repository/NAME/VERSION/}, its card saying so. */
  public static Path copy(Path repository, String name, String version) throws IOException {
    return new ModelRepository(repository).add(DEFAULT, name, version);
  }

  /** Cuts the graph of {@code dir} to half its length (the card's SHA-256 stays the original's). */
  public static void truncateGraph(Path dir) throws IOException {
    Path pb = dir.resolve("saved_model.pb");
    byte[] bytes = Files.readAllBytes(pb);
    Files.write(pb, Arrays.copyOf(bytes, bytes.length / 2));
  }

  /**
   * Renames the card's output {@code from} of head {@code head} to {@code to} (not in the graph).
   */
  public static void renameOutput(Path dir, String head, String from, String to)
      throws IOException {
    editCard(
        dir,
        card -> {
          ArrayNode outputs = (ArrayNode) card.path("heads").path(head).path("outputs");
          for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).asText().equals(from)) {
              outputs.set(i, to);
            }
          }
        });
  }

  private static void editCard(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve(ModelCard.FILE);
    ObjectNode card = (ObjectNode) Json.MAPPER.readTree(file.toFile());
    edit.accept(card);
    Files.writeString(file, Json.MAPPER.writeValueAsString(card));
  }
}
