package dev.hydrastream.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model's card says about how it was trained, across the resumable pieces of one run: the
 * command of every invocation with the epochs it reached and its wall time (kept in the checkpoint
 * so that {@code --resume} adds to it), the model it started from ({@code --init}, with that
 * model's own training time), the settings, the data and the command that renders the data.
 */
final class TrainingRecord {
  private final Trainer.Options o;
  private final List<Map<String, Object>> earlier;
  private final Map<String, Object> init;

  private TrainingRecord(
      Trainer.Options o, List<Map<String, Object>> earlier, Map<String, Object> init) {
    this.o = o;
    this.earlier = earlier;
    this.init = init;
  }

  /** The record of a run: continued from the checkpoint's when resuming. */
  static TrainingRecord start(Trainer.Options o, Path checkpoint) throws IOException {
    List<Map<String, Object>> earlier = new ArrayList<>();
    Map<String, Object> init = null;
    Path state = checkpoint.resolve("state.json");
    if (o.resume() && Files.exists(state)) {
      JsonNode s = Json.MAPPER.readTree(state.toFile());
      if (s.has("invocations")) {
        earlier =
            Json.MAPPER.convertValue(
                s.get("invocations"), new TypeReference<List<Map<String, Object>>>() {});
        // the last entry is this checkpoint's own invocation, written after each epoch
      }
      if (s.has("init")) {
        init = Json.MAPPER.convertValue(s.get("init"), new TypeReference<Map<String, Object>>() {});
      }
    }
    if (init == null && o.init() != null) {
      init = describe(o.init());
    }
    return new TrainingRecord(o, earlier, init);
  }

  /** The model an --init run starts from, as its card describes it. */
  private static Map<String, Object> describe(Path dir) throws IOException {
    ModelCard card = ModelCard.read(dir);
    JsonNode t = card.raw().path("training");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", dir.toString());
    m.put("id", card.id());
    m.put(ModelCard.SHA256_FIELD, card.raw().path(ModelCard.SHA256_FIELD).asText());
    m.put("command", t.path("command").asText());
    m.put(
        "wall_seconds",
        t.has("total_wall_seconds")
            ? t.path("total_wall_seconds").asLong()
            : t.path("wall_seconds").asLong());
    return m;
  }

  /** The invocations so far, this one having reached {@code epochsDone} after {@code elapsed}. */
  List<Map<String, Object>> upTo(int epochsDone, Duration elapsed) {
    List<Map<String, Object>> all = new ArrayList<>(earlier);
    Map<String, Object> now = new LinkedHashMap<>();
    now.put("command", o.command());
    now.put("epochs_done", epochsDone);
    now.put("wall_seconds", elapsed.toSeconds());
    all.add(now);
    return all;
  }

  /** The init entry to keep in the checkpoint. */
  Map<String, Object> init() {
    return init;
  }

  /** The card's {@code training} entry. */
  Map<String, Object> card(int trainFrames, int epochsDone, Duration elapsed) throws IOException {
    Map<String, Object> t = new LinkedHashMap<>();
    List<Map<String, Object>> invocations = upTo(epochsDone, elapsed);
    long total = 0;
    for (Map<String, Object> i : invocations) {
      total += ((Number) i.get("wall_seconds")).longValue();
    }
    t.put("command", o.command());
    t.put("invocations", invocations);
    t.put("total_wall_seconds", total);
    if (init != null) {
      t.put("init", init);
      t.put(
          "total_wall_seconds_with_init", total + ((Number) init.get("wall_seconds")).longValue());
    }
    t.put("seed", o.seed());
    t.put("epochs", o.epochs());
    t.put("batch", o.batch());
    t.put("lr", o.lr());
    t.put("loss_weights", o.lossWeights());
    t.put("label_smoothing", o.labelSmoothing());
    t.put("augment", o.augment().name().toLowerCase(java.util.Locale.ROOT));
    t.put("train_frames", trainFrames);
    t.put("data", o.data().toAbsolutePath().toString());
    Path manifest = o.data().resolve("splits.json");
    if (Files.exists(manifest)) {
      JsonNode m = Json.MAPPER.readTree(manifest.toFile());
      t.put(
          "dataset",
          String.format(
              "./hydrastream dataset --out %s --count %d --seed %d --size %dx%d%s",
              o.data(),
              m.path("count").asInt(),
              m.path("seed").asLong(),
              m.path("width").asInt(),
              m.path("height").asInt(),
              m.path("randomized").asBoolean(false) ? "" : " --plain"));
    }
    t.put("wall_seconds", elapsed.toSeconds());
    return t;
  }
}
