package dev.hydrastream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PerceptionTranslator} on outputs built by hand: the out-of-distribution score a card
 * declares is read per frame, and models without it (older cards) give a null score.
 */
class PerceptionTranslatorTest {

  private static final Letterbox BOX = Letterbox.of(8, 4, 8, 4);
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    TensorFlowRuntime.load();
    manager = NDManager.newBaseManager(TensorFlowRuntime.ENGINE);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** A weather-only card; {@code ood} is the card's {@code "ood"} object as JSON, or null. */
  static ModelCard card(String ood) throws Exception {
    JsonNode raw =
        Json.MAPPER.readTree(
            ood == null ? "{\"name\": \"w\"}" : "{\"name\": \"w\", \"ood\": " + ood + "}");
    return new ModelCard(
        "w",
        "3",
        4,
        8,
        Map.of(Head.WEATHER, Head.WEATHER.labels()),
        Map.of(Head.WEATHER, Head.WEATHER.outputs()),
        raw);
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }

  /** Weather probabilities of two frames (frame i is most likely label i) and, if given, OOD. */
  private static NDList outputs(float[] ood, String oodName) {
    int k = Head.WEATHER.labels().size();
    float[] probs = new float[2 * k];
    probs[0] = 0.9f;
    probs[k + 1] = 0.8f;
    NDList out = new NDList(named(manager.create(probs, new Shape(2, k)), Head.Outputs.WEATHER));
    if (ood != null) {
      out.add(named(manager.create(ood, new Shape(ood.length)), oodName));
    }
    return out;
  }

  private static List<Perception> decode(ModelCard card, NDList outputs) {
    try (NDManager batch = manager.newSubManager()) {
      outputs.attach(batch);
      return new PerceptionTranslator(card, 0.3).decodeBatch(outputs, Collections.nCopies(2, BOX));
    }
  }

  @Test
  void theDeclaredOodOutputIsReadPerFrame() throws Exception {
    ModelCard card = card("{\"output\": \"ood\", \"threshold\": 2.5}");
    List<Perception> r = decode(card, outputs(new float[] {0.5f, 7.25f}, "ood"));
    assertThat(r).extracting(Perception::oodScore).containsExactly(0.5, 7.25);
    assertThat(r).extracting(p -> p.weather().label()).containsExactly("clear", "overcast");
    assertThat(r).extracting(Perception::model).containsOnly(ModelIdentity.of("w", "3"));
    assertThat(card.oodOutput()).isEqualTo("ood");
    assertThat(card.oodThreshold()).isEqualTo(2.5);
    assertThat(r.get(0).unsure(card.oodThreshold())).isFalse();
    assertThat(r.get(1).unsure(card.oodThreshold())).isTrue();
  }

  @Test
  void theOutputNameComesFromTheCard() throws Exception {
    ModelCard card = card("{\"output\": \"novelty\"}");
    List<Perception> r = decode(card, outputs(new float[] {1.5f, 0.25f}, "novelty"));
    assertThat(r).extracting(Perception::oodScore).containsExactly(1.5, 0.25);
    assertThat(card.oodThreshold()).as("default").isEqualTo(ModelCard.DEFAULT_OOD_THRESHOLD);
    assertThat(r.get(0).unsure(card.oodThreshold())).isTrue();
  }

  @Test
  void modelsWithoutOodGiveNoScore() throws Exception {
    ModelCard old = card(null);
    assertThat(old.oodOutput()).isNull();
    assertThat(old.oodThreshold()).isEqualTo(1.0);
    assertThat(decode(old, outputs(null, null)))
        .extracting(Perception::oodScore)
        .containsOnlyNulls();
    // an output the card does not declare is not read (serving refuses such a model anyway)
    assertThat(decode(old, outputs(new float[] {3f, 4f}, "ood")))
        .extracting(Perception::oodScore)
        .containsOnlyNulls();
    // a card that declares it, with a caller that did not fetch it (the trainer's validation)
    assertThat(decode(card("{\"output\": \"ood\"}"), outputs(null, null)))
        .extracting(Perception::oodScore)
        .containsOnlyNulls();
    // a card without raw JSON (ModelConfig.servingCard)
    ModelCard bare = new ModelCard("w", "3", 4, 8, old.labels(), old.outputs(), null);
    assertThat(bare.oodOutput()).isNull();
    assertThat(bare.oodThreshold()).isEqualTo(1.0);
    assertThat(new Perception(null, null, null, null, null, ModelIdentity.of("w", "3")).unsure(0))
        .isFalse();
  }

  @Test
  void readingACardChecksItsOodObject(@TempDir Path dir) throws Exception {
    String base =
        "{\"name\": \"w\", \"version\": \"3\", \"input\": {\"height\": 4, \"width\": 8},"
            + " \"heads\": {\"weather\": {\"labels\": [\"clear\"], \"outputs\": [\"weather\"]}}";
    Path file = dir.resolve(ModelCard.FILE);
    Files.writeString(file, base + "}");
    assertThat(ModelCard.read(dir).oodOutput()).isNull();
    Files.writeString(file, base + ", \"ood\": {\"output\": \"ood\", \"threshold\": 1.5}}");
    assertThat(ModelCard.read(dir).oodOutput()).isEqualTo("ood");
    assertThat(ModelCard.read(dir).oodThreshold()).isEqualTo(1.5);
    Files.writeString(file, base + ", \"ood\": {\"threshold\": 1.5}}");
    assertThatThrownBy(() -> ModelCard.read(dir))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("ood.output");
    Files.writeString(file, base + ", \"ood\": {\"output\": \"ood\", \"threshold\": -1}}");
    assertThatThrownBy(() -> ModelCard.read(dir)).hasMessageContaining("ood.threshold");
  }

  @Test
  void theSignatureCheckAcceptsTheOodOutputOnlyWhenTheCardDeclaresIt() throws Exception {
    PairList<String, Shape> in = new PairList<>();
    in.add("image", new Shape(-1, 4, 8, 3));
    PairList<String, Shape> out = new PairList<>();
    out.add("weather", new Shape(-1, 6));
    out.add("ood", new Shape(-1));
    Path dir = Path.of("m");
    PerceptionModel.checkSignature(dir, card("{\"output\": \"ood\"}"), in, out);
    assertThatThrownBy(() -> PerceptionModel.checkSignature(dir, card(null), in, out))
        .hasMessageContaining("[ood]")
        .hasMessageContaining("does not describe");
    PairList<String, Shape> withoutOod = new PairList<>();
    withoutOod.add("weather", new Shape(-1, 6));
    assertThatThrownBy(
            () ->
                PerceptionModel.checkSignature(dir, card("{\"output\": \"ood\"}"), in, withoutOod))
        .hasMessageContaining("lacks outputs [ood]");
  }
}
