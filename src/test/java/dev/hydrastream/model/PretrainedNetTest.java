package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.runtime.TensorFlowRuntime;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The multi-task network on the imported CenterNet: contract shapes at a non-square input, the
 * imported layers frozen by {@code --freeze pretrained} while the new heads train, and the
 * detection head started from the COCO rows of our classes.
 */
class PretrainedNetTest {

  static final ModelConfig CFG =
      ModelConfig.defaults().withInput(96, 160).withBackbone(ModelConfig.Backbone.CENTERNET_MNV3);

  @BeforeAll
  static void natives() {
    TensorFlowRuntime.load();
  }

  @Test
  void everyOutputHasTheContractShapeAndTheOodScoreIsPerFrame() {
    MultiTaskNetTest.Built b = MultiTaskNetTest.buildAndRun(CFG);
    MultiTaskNetTest.assertContractShapes(b.shapes());
    assertThat(b.shapes()).containsEntry("ood", Shape.of(2));
    assertThat(b.heads().detH()).isEqualTo(24);
    assertThat(b.heads().detW()).isEqualTo(40);
  }

  @Test
  void freezingKeepsEveryImportedLayerAndTrainsTheHeads() {
    TrainGraph g = trainGraph("pretrained");
    try (g.graph) {
      var specs = g.train.specs().values();
      assertThat(specs.stream().filter(v -> v.name().startsWith(TfjsNet.PREFIX)))
          .isNotEmpty()
          .allMatch(v -> !v.trainable());
      assertThat(specs.stream().filter(v -> v.name().startsWith("det/")))
          .isNotEmpty()
          .allMatch(Net.VarSpec::trainable);
      assertThat(specs.stream().filter(v -> v.name().startsWith("ood/")))
          .hasSize(3)
          .allMatch(v -> !v.trainable());
      assertThat(g.losses).containsKey("distill");
    }
  }

  @Test
  void theTeacherStaysTheImportedDetectorWhileThePyramidTrains() {
    TrainGraph g = trainGraph("backbone");
    try (g.graph;
        Session s = new Session(g.graph)) {
      s.initialize();
      // a pyramid layer, trained under --freeze backbone, moves as a training step would move it
      String layer =
          g.train.specs().values().stream()
              .filter(v -> v.name().startsWith(TfjsNet.PREFIX) && v.trainable())
              .map(Net.VarSpec::name)
              .findFirst()
              .orElseThrow();
      Variable<TFloat32> v = g.train.variables().get(layer);
      Assign<TFloat32> step = g.tf.assign(v, g.tf.math.add(v, g.tf.constant(0.05f)));
      float[] teacher = heat(s, g, "teacher_heatmap");
      float[] student = heat(s, g, "heatmap");
      s.runner().addTarget(step).run();
      assertThat(heat(s, g, "heatmap"))
          .as("the student moved (" + layer + ")")
          .isNotEqualTo(student);
      assertThat(heat(s, g, "teacher_heatmap")).containsExactly(teacher);
      // the copy holds only the layers that train: the frozen backbone is computed once
      long trained =
          g.train.specs().values().stream()
              .filter(x -> x.name().startsWith(TfjsNet.PREFIX) && x.trainable())
              .count();
      assertThat(teacherVariables(g)).isEqualTo(trained);
    }
    TrainGraph frozen = trainGraph("pretrained");
    try (frozen.graph) {
      assertThat(teacherVariables(frozen)).as("--freeze pretrained: no copy").isZero();
    }
  }

  private static long teacherVariables(TrainGraph g) {
    long n = 0;
    for (var it = g.graph.operations(); it.hasNext(); ) {
      var op = it.next();
      n += op.name().startsWith("teacher/") && op.type().startsWith("Variable") ? 1 : 0;
    }
    return n;
  }

  /** The training graph with {@code --freeze freeze --distill 1}. */
  private static TrainGraph trainGraph(String freeze) {
    return new TrainGraph(
        CFG, 1, TrainGraph.LossWeights.defaults(), 5.0, 0, new Trainer.Transfer(freeze, 1));
  }

  /** The heat-map logits {@code name} on two fixed frames. */
  private static float[] heat(Session s, TrainGraph g, String name) {
    int n = 2 * CFG.inputHeight() * CFG.inputWidth() * 3;
    byte[] pixels = new byte[n];
    for (int i = 0; i < n; i++) {
      pixels[i] = (byte) (i * 37 % 251);
    }
    try (TUint8 in =
            TUint8.tensorOf(
                Shape.of(2, CFG.inputHeight(), CFG.inputWidth(), 3),
                DataBuffers.of(pixels, true, false));
        Result r = s.runner().feed(g.image, in).fetch(g.heads.logits().get(name)).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  @Test
  void theDetectionHeadStartsFromTheCocoRowsOfOurClasses() throws Exception {
    TfjsGraphModel m = PretrainedCenterNet.load(PretrainedCenterNet.DEFAULT_DIR);
    Map<String, float[]> start = MultiTaskNet.detectionHeadStart(m);
    float[] coco = m.constant(PretrainedCenterNet.CLS_PW).floats();
    float[] ours = start.get("det/cls_pw/w");
    int k = MultiTaskNet.DET_CLASSES;
    int cin = ours.length / k;
    // car (ours 2) is COCO's car (2); truck (ours 3) is COCO's truck (7), for every input channel
    for (int i = 0; i < cin; i++) {
      assertThat(ours[i * k + 2]).isEqualTo(coco[i * 80 + 2]);
      assertThat(ours[i * k + 3]).isEqualTo(coco[i * 80 + 7]);
    }
    float[] bias = start.get("det/cls_pw/b");
    assertThat(bias[2]).isEqualTo(m.constant(PretrainedCenterNet.CLS_B).floats()[2]);
    // rider has no COCO class: it starts from person's weights with a low prior
    assertThat(bias[1]).isLessThan(bias[0]);
  }
}
