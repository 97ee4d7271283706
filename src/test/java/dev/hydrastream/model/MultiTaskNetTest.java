package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.runtime.TensorFlowRuntime;
import dev.hydrastream.spec.Head;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TUint8;

/** Graph shapes of every head, built and run on real TensorFlow. */
class MultiTaskNetTest {

  @BeforeAll
  static void natives() {
    TensorFlowRuntime.load();
  }

  @Test
  void everyOutputHasTheContractShape() {
    Built b = buildAndRun(ModelConfig.defaults().withInput(96, 160));
    assertContractShapes(b.shapes());
    assertThat(b.heads().detH()).isEqualTo(24);
    assertThat(b.heads().detW()).isEqualTo(40);
    assertThat(b.macs()).isPositive();
  }

  /** The heads, the shapes of their outputs on a batch of 2 and the multiply-adds. */
  record Built(MultiTaskNet.Heads heads, Map<String, Shape> shapes, long macs) {}

  /** Builds {@code cfg} (input 96x160) in inference mode and runs it on a batch of 2 frames. */
  static Built buildAndRun(ModelConfig cfg) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> image = MultiTaskNet.imageInput(tf, cfg);
      Net net = new Net(tf, Net.Mode.INFER, 1, null);
      MultiTaskNet.Heads heads = MultiTaskNet.build(net, cfg, image);
      s.initialize();
      try (TUint8 in = TUint8.tensorOf(Shape.of(2, cfg.inputHeight(), cfg.inputWidth(), 3))) {
        Session.Runner r = s.runner().feed(image, in);
        heads.outputs().values().forEach(r::fetch);
        try (Result res = r.run()) {
          Map<String, Shape> shapes = new java.util.LinkedHashMap<>();
          int i = 0;
          for (String name : heads.outputs().keySet()) {
            shapes.put(name, ((Tensor) res.get(i++)).shape());
          }
          return new Built(heads, shapes, net.macs());
        }
      }
    }
  }

  /** The output shapes of the contract (DESIGN.md "Model") for a 96x160 input, batch 2. */
  static void assertContractShapes(Map<String, Shape> shapes) {
    assertThat(shapes)
        .containsEntry("weather", Shape.of(2, 6))
        .containsEntry("timeofday", Shape.of(2, 3))
        .containsEntry("scene", Shape.of(2, 6))
        .containsEntry("det_boxes", Shape.of(2, 100, 4))
        .containsEntry("det_scores", Shape.of(2, 100))
        .containsEntry("det_classes", Shape.of(2, 100))
        .containsEntry("seg", Shape.of(2, 48, 80));
  }

  @Test
  void singleTaskGraphsHaveOnlyTheirOutputsAndCostLess() {
    long all = macs(EnumSet.allOf(Head.class));
    long det = macs(EnumSet.of(Head.DETECTION));
    long seg = macs(EnumSet.of(Head.SEGMENTATION));
    long cls = macs(EnumSet.of(Head.WEATHER, Head.TIMEOFDAY));
    long scene = macs(EnumSet.of(Head.SCENE));
    assertThat(det).isLessThan(all);
    assertThat(seg).isLessThan(all);
    assertThat(cls).isLessThan(det);
    System.out.printf(
        "MACs all=%d det=%d seg=%d cls=%d scene=%d ratio=%.3f%n",
        all, det, seg, cls, scene, all / (double) (det + seg + cls + scene));
  }

  @Test
  void ownSegmentationBlockAddsOneStride4BlockOnlyWhenDetectionAndSegmentationShareANetwork() {
    ModelConfig own = ModelConfig.defaults().withSegOwnBlock(true);
    ModelConfig sharedCfg = ModelConfig.defaults().withSegOwnBlock(false);
    long shared = macs(sharedCfg);
    long separate = macs(own);
    // one depthwise-separable block at stride 4 (56x96) with 64 channels: (9 + 64) * 64 MACs per
    // cell, plus its batch norm, which the MAC count leaves out
    assertThat(separate - shared).isEqualTo(56L * 96 * (9 + 64) * 64);
    for (Head single : List.of(Head.SEGMENTATION, Head.DETECTION)) {
      assertThat(macs(own.withTasks(EnumSet.of(single))))
          .as(single.id())
          .isEqualTo(macs(sharedCfg.withTasks(EnumSet.of(single))));
    }
  }

  private static long macs(EnumSet<Head> tasks) {
    return macs(ModelConfig.defaults().withTasks(tasks));
  }

  private static long macs(ModelConfig cfg) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> image =
          tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, 224, 384, 3)));
      Net net = new Net(tf, Net.Mode.EXPORT, 1, null);
      MultiTaskNet.Heads heads = MultiTaskNet.build(net, cfg, image);
      assertThat(heads.outputs()).isNotEmpty();
      return net.macs();
    }
  }
}
