package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Taxonomy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link SegmentationEvaluator} on a hand-written 4x4 image whose confusion matrix and IoUs
 * are worked out in the comments.
 */
class SegmentationEvaluatorTest {

  private static final double EPS = 1e-9;
  private static final int X = Taxonomy.IGNORE;

  // Classes: 0 background, 1 drivable direct, 2 drivable alternative, 3 lane marking.
  private static final int[] TARGET = {
    0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 1, X, 3, 3, X, X,
  };
  private static final int[] PREDICTED = {
    0, 1, 1, 1,
    0, 0, 1, 2,
    2, 1, 1, 3,
    3, 0, 0, 0,
  };

  /*
   * Pixel pairs (target, predicted), the 3 ignored pixels skipped whatever was predicted there:
   *   row 0: (0,0) (0,1) (1,1) (1,1)
   *   row 1: (0,0) (0,0) (1,1) (1,2)
   *   row 2: (2,2) (2,1) (1,1)  --
   *   row 3: (3,3) (3,0)  --     --
   * 13 pixels counted. Confusion [target][predicted]:
   *        p0 p1 p2 p3
   *   t0    3  1  0  0
   *   t1    0  4  1  0
   *   t2    0  1  1  0
   *   t3    1  0  0  1
   * IoU = TP / (TP + FP + FN), FP = rest of the column, FN = rest of the row:
   *   class 0: 3 / (3 + 1 + 1) = 3/5
   *   class 1: 4 / (4 + 2 + 1) = 4/7
   *   class 2: 1 / (1 + 1 + 1) = 1/3
   *   class 3: 1 / (1 + 0 + 1) = 1/2  (the 3 predicted on an ignored pixel is not an FP;
   *                                    counting it would give 1/3)
   */

  private static SegmentationEvaluator evaluated() {
    SegmentationEvaluator e = new SegmentationEvaluator(Head.SEGMENTATION.labels());
    e.add(PREDICTED, TARGET);
    return e;
  }

  @Test
  void confusionMatrixSkipsIgnoredPixels() {
    SegmentationEvaluator e = evaluated();

    assertThat(e.pixels()).isEqualTo(13);
    assertThat(e.confusionMatrix())
        .isDeepEqualTo(
            new long[][] {
              {3, 1, 0, 0},
              {0, 4, 1, 0},
              {0, 1, 1, 0},
              {1, 0, 0, 1},
            });
    assertThat(e.count(3, 0)).isEqualTo(1);
  }

  @Test
  void iouPerClassIsTpOverTpFpFn() {
    SegmentationEvaluator e = evaluated();

    assertThat(e.iou(0)).isCloseTo(3.0 / 5.0, within(EPS));
    assertThat(e.iou(1)).isCloseTo(4.0 / 7.0, within(EPS));
    assertThat(e.iou(2)).isCloseTo(1.0 / 3.0, within(EPS));
    assertThat(e.iou(3)).isCloseTo(1.0 / 2.0, within(EPS));
    assertThat(e.ious()).containsExactly(new double[] {0.6, 4.0 / 7, 1.0 / 3, 0.5}, within(EPS));
  }

  @Test
  void meanIouAveragesTheGivenClasses() {
    SegmentationEvaluator e = evaluated();

    // Drivable classes {1, 2}: (4/7 + 1/3) / 2 = (12/21 + 7/21) / 2 = 19/42.
    assertThat(e.meanIoU(1, 2)).isCloseTo(19.0 / 42.0, within(EPS));
    // All four: (3/5 + 4/7 + 1/3 + 1/2) / 4 = ((126 + 120 + 70 + 105) / 210) / 4 = 421/840.
    assertThat(e.meanIoU()).isCloseTo(421.0 / 840.0, within(EPS));
  }

  @Test
  void pixelAccuracyIsTheDiagonalOverCountedPixels() {
    // (3 + 4 + 1 + 1) / 13 = 9/13; over all 16 pixels it would be 9/16.
    assertThat(evaluated().pixelAccuracy()).isCloseTo(9.0 / 13.0, within(EPS));
  }

  @Test
  void absentClassHasNanIouAndIsLeftOutOfTheMean() {
    SegmentationEvaluator e = new SegmentationEvaluator(List.of("a", "b", "c"));
    // Class 2 is neither target nor predicted. Class 0: 1/(1+0+1) = 1/2, class 1: 1/(1+1+0) = 1/2.
    e.add(new int[] {0, 1, 1}, new int[] {0, 0, 1});

    assertThat(e.iou(2)).isNaN();
    assertThat(e.meanIoU(0, 1, 2)).isCloseTo(0.5, within(EPS));
    assertThat(e.meanIoU(2)).isNaN();
  }

  @Test
  void mergeAddsConfusionMatrices() {
    SegmentationEvaluator a = evaluated();
    SegmentationEvaluator b = new SegmentationEvaluator(Head.SEGMENTATION.labels());
    // Four more pixels: two right class-3 pixels, one 0 predicted as 3, one ignored.
    b.add(new int[] {3, 3, 3, 1}, new int[] {3, 3, 0, X});

    a.merge(b);

    // Class 3 now: TP 1 + 2 = 3, FP 0 + 1 = 1, FN 1: 3 / 5. Class 0: TP 3, FP 1, FN 1 + 1: 3/6.
    assertThat(a.pixels()).isEqualTo(16);
    assertThat(a.iou(3)).isCloseTo(3.0 / 5.0, within(EPS));
    assertThat(a.iou(0)).isCloseTo(0.5, within(EPS));
    assertThat(b.pixels()).isEqualTo(3);
    assertThatThrownBy(() -> a.merge(new SegmentationEvaluator(List.of("a", "b"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void predictionOutOfRangeIsRejectedWithIndexAndValueAndAddsNothing() {
    SegmentationEvaluator e = evaluated();

    assertThatThrownBy(() -> e.add(new int[] {0, 1, 4}, new int[] {0, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("predicted[2] = 4");
    // Out of range even where the target is ignored: the model never outputs such a value.
    assertThatThrownBy(() -> e.add(new int[] {X}, new int[] {X}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("predicted[0] = 255");
    assertThatThrownBy(() -> e.add(new int[] {0, -1}, new int[] {0, 0}))
        .hasMessageContaining("predicted[1] = -1");
    assertThat(e.pixels()).isEqualTo(13);
  }

  @Test
  void badTargetOrLengthIsRejected() {
    SegmentationEvaluator e = new SegmentationEvaluator(Head.SEGMENTATION.labels());

    assertThatThrownBy(() -> e.add(new int[] {0, 0}, new int[] {0, 7}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target[1] = 7");
    assertThatThrownBy(() -> e.add(new int[] {0, 0}, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SegmentationEvaluator(Head.SEGMENTATION.labels(), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(e.pixels()).isZero();
    assertThat(e.pixelAccuracy()).isNaN();
  }
}
