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
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;

/**
 * Versions of the default model built at test time in a model repository ({@code NAME/VERSION/}):
 * copies of {@code models/hydranet} with another version on the card, a truncated graph, a card
 * whose outputs the graph does not have, or a perturbed graph (a candidate that answers otherwise).
 * No large files in git.
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

  /**
   * Perturbs the graph of {@code dir}: every hard-swish offset (a scalar float constant 3.0)
   * becomes {@code offset}, so the model's answers differ from the default's while its heads,
   * outputs and input size stay; the card's SHA-256 names the new graph.
   *
   * @return how many constants changed
   */
  public static int perturb(Path dir, float offset) throws IOException {
    Path pb = dir.resolve("saved_model.pb");
    SavedModel.Builder sm = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    int changed = 0;
    for (MetaGraphDef.Builder mg : sm.getMetaGraphsBuilderList()) {
      for (NodeDef.Builder n : mg.getGraphDefBuilder().getNodeBuilderList()) {
        AttrValue v = n.getAttrMap().get("value");
        if (!n.getOp().equals("Const") || v == null || !v.hasTensor()) {
          continue;
        }
        TensorProto t = v.getTensor();
        if (t.getDtype() == DataType.DT_FLOAT
            && t.getTensorShape().getDimCount() == 0
            && t.getFloatValCount() == 1
            && t.getFloatVal(0) == 3.0f) {
          n.putAttr("value", v.toBuilder().setTensor(t.toBuilder().setFloatVal(0, offset)).build());
          changed++;
        }
      }
    }
    Files.write(pb, sm.build().toByteArray());
    String sha = ModelCard.sha256(pb);
    editCard(dir, card -> card.put(ModelCard.SHA256_FIELD, sha));
    return changed;
  }

  private static void editCard(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve(ModelCard.FILE);
    ObjectNode card = (ObjectNode) Json.MAPPER.readTree(file.toFile());
    edit.accept(card);
    Files.writeString(file, Json.MAPPER.writeValueAsString(card));
  }
}
