package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.data.Bdd100kReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * {@code train --init}: a graph started from an exported model computes what that model computes
 * (the folded batch norms are split back without changing the function), and a model of another
 * architecture is refused naming the variable.
 */
class WarmStartTest {
  @TempDir static Path tmp;
  static Path data;
  static Path model;
  static final ModelConfig CFG = ModelConfig.defaults().withInput(64, 96);

  @BeforeAll
  static void trainAndExport() throws Exception {
    data = TinyTraining.dataset(tmp.resolve("data"), 8, 256, 144, 40);
    model = tmp.resolve("model");
    TinyTraining.of(data, model, CFG)
        .seed(3)
        .labelSmoothing(0)
        .augment(Augmenter.Recipe.BASIC)
        .run();
  }

  private static List<TrainingData.Prepared> frames() throws Exception {
    TrainingData d = new TrainingData(CFG);
    return d.prepare(Bdd100kReader.open(data).samples("train"), 2, n -> {});
  }

  @Test
  void theStartingGraphComputesWhatTheExportedModelComputes() throws Exception {
    List<TrainingData.Prepared> frames = frames();
    byte[] image = frames.get(0).rgb();
    float[] exported = new float[6];
    float[] exportedScores = new float[100];
    try (var bundle = org.tensorflow.SavedModelBundle.load(model.toString(), "serve");
        TUint8 in = TUint8.tensorOf(Shape.of(1, 64, 96, 3), DataBuffers.of(image, true, false));
        Result r = bundle.function(Exporter.SIGNATURE).call(java.util.Map.of("image", in))) {
      ((TFloat32) r.get("weather").orElseThrow()).copyTo(DataBuffers.of(exported, false, false));
      ((TFloat32) r.get("det_scores").orElseThrow())
          .copyTo(DataBuffers.of(exportedScores, false, false));
    }
    TrainGraph g = new TrainGraph(CFG, 9, TrainGraph.LossWeights.defaults(), 5.0);
    float[] started = new float[6];
    float[] startedScores = new float[100];
    try (Session s = new Session(g.graph)) {
      s.initialize();
      WarmStart.apply(g, s, model, frames);
      try (TUint8 in = TUint8.tensorOf(Shape.of(1, 64, 96, 3), DataBuffers.of(image, true, false));
          Result r =
              s.runner()
                  .feed(g.image, in)
                  .fetch(g.inferHeads.outputs().get("weather"))
                  .fetch(g.inferHeads.outputs().get("det_scores"))
                  .run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(started, false, false));
        ((TFloat32) r.get(1)).copyTo(DataBuffers.of(startedScores, false, false));
      }
    }
    for (int k = 0; k < 6; k++) {
      assertThat(started[k]).isCloseTo(exported[k], org.assertj.core.data.Offset.offset(1e-3f));
    }
    for (int k = 0; k < 100; k++) {
      assertThat(startedScores[k])
          .isCloseTo(exportedScores[k], org.assertj.core.data.Offset.offset(1e-3f));
    }
  }

  @Test
  void aModelOfAnotherShapeOrNoModelIsRefusedNamingIt() throws Exception {
    List<TrainingData.Prepared> frames = frames();
    ModelConfig wider = CFG.withWidth(0.75);
    TrainGraph g = new TrainGraph(wider, 9, TrainGraph.LossWeights.defaults(), 5.0);
    try (Session s = new Session(g.graph)) {
      s.initialize();
      assertThatThrownBy(() -> WarmStart.apply(g, s, model, frames))
          .hasMessageContaining("variable stem/w")
          .hasMessageContaining(model.toString());
      assertThatThrownBy(() -> WarmStart.apply(g, s, model.resolve("nope"), frames))
          .hasMessageContaining("saved_model.pb");
    }
  }
}
