package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.inference.Predictor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.data.Bdd100kReader;
import dev.hydrastream.eval.ModelEvaluator;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.model.report.ReportWriter;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * A tiny end-to-end run: render data, train a small network for a few epochs (the loss must fall),
 * export, reload through DJL, check the served outputs equal the trainer's graph, and evaluate
 * through the serving path.
 */
class TrainExportServeTest {

  @TempDir static Path tmp;
  static Path data;
  static Path model;
  static Trainer.Outcome outcome;
  static final ModelConfig CFG = ModelConfig.defaults().withInput(96, 160);

  @BeforeAll
  static void trainTinyModel() throws Exception {
    data = TinyTraining.dataset(tmp.resolve("data"), 5, 320, 180, 72);
    model = tmp.resolve("model");
    outcome = TinyTraining.of(data, model, CFG).epochs(4).warmupSteps(10).run();
  }

  @Test
  void lossFallsAndTheModelDirectoryIsComplete() throws Exception {
    assertThat(outcome.lastLoss()).isLessThan(outcome.firstLoss() * 0.8);
    assertThat(model.resolve("saved_model.pb")).exists();
    assertThat(model.resolve("variables")).isDirectory();
    assertThat(model.resolve("report").resolve(ReportWriter.REPORT_MD)).exists();
    assertThat(model.resolve("report").resolve(ReportWriter.LOSS_PNG)).exists();
    JsonNode card = Json.MAPPER.readTree(model.resolve("model.json").toFile());
    assertThat(card.at("/input/height").asInt()).isEqualTo(96);
    assertThat(card.at("/heads/detection/labels").size()).isEqualTo(10);
    assertThat(card.get("saved_model_sha256").asText())
        .isEqualTo(ModelCard.sha256(model.resolve("saved_model.pb")));
    assertThat(card.at("/training/command").asText()).isEqualTo("test");
  }

  @Test
  void servedOutputsEqualTheTrainersInferenceGraph() throws Exception {
    // the trainer's inference-mode graph, rebuilt from the last checkpoint
    Map<String, Weights.Value> trained = Weights.load(model.resolve("checkpoint/weights.bin"));
    byte[] image = new byte[96 * 160 * 3];
    new java.util.Random(4).nextBytes(image);
    float[] expectedWeather = new float[6];
    float[] expectedScores = new float[100];
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> in =
          tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, 96, 160, 3)));
      Net net = new Net(tf, Net.Mode.INFER, 1, null);
      MultiTaskNet.Heads heads = MultiTaskNet.build(net, CFG, in);
      s.initialize();
      Weights.assign(tf, s, net.variables(), trained);
      try (TUint8 t = TUint8.tensorOf(Shape.of(1, 96, 160, 3), DataBuffers.of(image, true, false));
          Result r =
              s.runner()
                  .feed(in, t)
                  .fetch(heads.outputs().get("weather"))
                  .fetch(heads.outputs().get("det_scores"))
                  .run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(expectedWeather, false, false));
        ((TFloat32) r.get(1)).copyTo(DataBuffers.of(expectedScores, false, false));
      }
    }
    try (PerceptionModel m =
            PerceptionModel.load(model, new PerceptionModel.Options(null, 0, 0, 0.0));
        Predictor<FrameDecoder.Decoded, Perception> p = m.newPredictor()) {
      var lb = dev.hydrastream.spec.Letterbox.of(160, 96, 160, 96);
      Perception r =
          m.predict(p, List.of(new dev.hydrastream.frame.FrameDecoder.Decoded(image, lb))).get(0);
      // the export divides the weather logits by the head's fitted temperature (1 without one)
      double t =
          Json.MAPPER
              .readTree(model.resolve("model.json").toFile())
              .at("/calibration/weather/temperature")
              .asDouble(1);
      double norm = 0;
      for (float p0 : expectedWeather) {
        norm += Math.pow(p0, 1 / t);
      }
      for (int k = 0; k < 6; k++) {
        String label = dev.hydrastream.spec.Head.WEATHER.labels().get(k);
        assertThat(r.weather().probabilities().get(label))
            .as(label)
            .isCloseTo(
                Math.pow(expectedWeather[k], 1 / t) / norm,
                org.assertj.core.data.Offset.offset(1e-4));
      }
      double[] served = r.detections().stream().mapToDouble(d -> d.score()).toArray();
      assertThat(served).hasSize(100);
      for (int k = 0; k < 100; k++) {
        assertThat(served[k])
            .isCloseTo(expectedScores[k], org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void evaluationThroughTheServingPathReportsEveryHead() {
    try (PerceptionModel m =
        PerceptionModel.load(model, new PerceptionModel.Options(null, 0, 0, 0.01))) {
      ModelEvaluator.Result r =
          ModelEvaluator.evaluate(
              m, Bdd100kReader.open(data), "val", ModelEvaluator.Options.defaults(), n -> {});
      assertThat(r.metrics().classification()).containsKeys("weather", "timeofday", "scene");
      assertThat(r.metrics().detection()).isNotNull();
      assertThat(r.metrics().segmentation().drivableMiou()).isBetween(0.0, 1.0);
      assertThat(r.frames()).isPositive();
    }
  }

  @Test
  void aModelWhoseOutputsDoNotMatchItsCardIsRefused() throws Exception {
    Path broken = tmp.resolve("broken");
    Files.createDirectories(broken.resolve("variables"));
    for (String f : List.of("saved_model.pb", "model.json")) {
      Files.copy(model.resolve(f), broken.resolve(f));
    }
    try (var list = Files.list(model.resolve("variables"))) {
      for (Path p : list.toList()) {
        Files.copy(p, broken.resolve("variables").resolve(p.getFileName()));
      }
    }
    String card =
        Files.readString(broken.resolve("model.json")).replace("\"det_classes\"", "\"det_labels\"");
    Files.writeString(broken.resolve("model.json"), card);
    assertThatThrownBy(() -> PerceptionModel.load(broken, PerceptionModel.Options.defaults()))
        .hasMessageContaining("lacks outputs")
        .hasMessageContaining("det_labels");
  }
}
