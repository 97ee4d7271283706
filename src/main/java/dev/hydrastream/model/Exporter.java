package dev.hydrastream.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TUint8;

/**
 * Writes a model directory: a SavedModel whose {@code serving_default} signature takes {@code
 * image} (uint8 RGB) and returns the decoded outputs by name, with batch norm folded into the
 * convolutions, plus the model card {@code model.json}.
 */
public final class Exporter {

  /** Signature key of the serving function (DESIGN.md "Model"). */
  static final String SIGNATURE = "serving_default";

  private Exporter() {}

  /** Result of an export: the directory, FLOPs per image and parameter count. */
  public record Exported(Path dir, long flops, long parameters) {}

  /**
   * Exports {@code trained} values (names as in the training graph) for {@code cfg} into {@code
   * dir}; {@code card} fields are merged into the generated card.
   */
  static Exported export(
      ModelConfig cfg, Map<String, Weights.Value> trained, Path dir, Map<String, Object> card)
      throws IOException {
    dev.hydrastream.runtime.TensorFlowRuntime.load();
    Map<String, Weights.Value> folded = Weights.foldBatchNorm(trained);
    if (Files.exists(dir.resolve("saved_model.pb"))) {
      deleteModel(dir);
    }
    Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
    long flops;
    long params = 0;
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> image = MultiTaskNet.imageInput(tf.withName("image"), cfg);
      Net net = new Net(tf, Net.Mode.EXPORT, 0, null);
      MultiTaskNet.Heads heads = MultiTaskNet.build(net, cfg, image);
      s.initialize();
      Weights.assign(tf, s, net.variables(), folded);
      for (Weights.Value v : folded.values()) {
        params += v.data().length;
      }
      flops = 2 * net.macs();
      Signature.Builder sig = Signature.builder().key(SIGNATURE).input("image", image);
      heads.outputs().forEach((name, op) -> sig.output(name, op));
      SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(sig.build()).export();
    }
    writeCard(cfg, dir, flops, params, card);
    return new Exported(dir, flops, params);
  }

  /**
   * Exports {@code cfg} with freshly initialised weights: same graph, same cost as a trained model,
   * for compute benchmarks of configurations that were not trained.
   */
  public static Exported exportUntrained(ModelConfig cfg, Path dir, long seed) throws IOException {
    dev.hydrastream.runtime.TensorFlowRuntime.load();
    Map<String, Weights.Value> values;
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> image = MultiTaskNet.imageInput(tf, cfg);
      Net net = new Net(tf, Net.Mode.INFER, seed, null);
      MultiTaskNet.build(net, cfg, image);
      s.initialize();
      values = Weights.read(s, net.variables());
    }
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("training", Map.of("note", "untrained: initial weights, for compute benchmarks"));
    return export(cfg, values, dir, card);
  }

  private static void deleteModel(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve("saved_model.pb"));
    Path vars = dir.resolve("variables");
    if (Files.isDirectory(vars)) {
      try (var list = Files.list(vars)) {
        for (Path p : list.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(vars);
    }
  }

  /** Writes model.json: heads with labels, input, outputs, cost and the caller's fields. */
  static void writeCard(
      ModelConfig cfg, Path dir, long flops, long params, Map<String, Object> extra)
      throws IOException {
    ObjectNode card = Json.MAPPER.createObjectNode();
    card.put("name", cfg.name());
    card.put("version", cfg.version());
    card.put("format", "tensorflow-savedmodel");
    card.put("signature", SIGNATURE);
    ObjectNode input = card.putObject("input");
    input.put("name", "image");
    input.put("dtype", "uint8");
    input.put("layout", "NHWC RGB, letterboxed (scale to fit, centred, black padding)");
    input.put("height", cfg.inputHeight());
    input.put("width", cfg.inputWidth());
    ObjectNode arch = card.putObject("architecture");
    arch.put("backbone_id", cfg.backbone().id());
    if (cfg.backbone() == ModelConfig.Backbone.CENTERNET_MNV3) {
      arch.put(
          "backbone",
          "MobileNetV3-Large 0.75 + CenterNet stride-4 pyramid, imported from COCO weights,"
              + " batch norm folded");
      card.set("pretrained", Json.MAPPER.valueToTree(PretrainedCenterNet.provenance()));
    } else {
      arch.put("backbone", "MobileNet-v1 style, depthwise-separable, batch norm folded");
    }
    arch.put("width_multiplier", cfg.widthMultiplier());
    arch.put("extra_blocks", cfg.extraBlocks());
    arch.put("neck_channels", cfg.neckChannels());
    arch.put("seg_decoder", cfg.segOwnBlock() ? "own" : "shared");
    arch.put("det_stride", cfg.detStride());
    arch.put("seg_stride", cfg.segStride());
    arch.put("top_k", cfg.topK());
    arch.put("flops_per_image", flops);
    arch.put("parameters", params);
    ObjectNode heads = card.putObject("heads");
    for (Head head : Head.values()) {
      if (cfg.has(head)) {
        ObjectNode h = heads.putObject(head.id());
        h.putPOJO("labels", head.labels());
        h.putPOJO("outputs", head.outputs());
      }
    }
    card.put(ModelCard.SHA256_FIELD, ModelCard.sha256(dir.resolve("saved_model.pb")));
    if (extra != null) {
      extra.forEach(card::putPOJO);
    }
    if (cfg.backbone() == ModelConfig.Backbone.CENTERNET_MNV3 && !card.has("ood")) {
      // the graph always has the output; without fitted statistics (an export of a checkpoint)
      // the card still declares it, and says the scores are not calibrated
      ObjectNode ood = card.putObject("ood");
      ood.put("output", MultiTaskNet.OOD);
      ood.put("threshold", 1.0);
      ood.put("fitted_on_frames", 0);
      ood.put(
          "note", "statistics not fitted (exported from a checkpoint): scores are not calibrated");
    }
    Files.writeString(dir.resolve(ModelCard.FILE), Json.MAPPER.writeValueAsString(card) + "\n");
  }
}
