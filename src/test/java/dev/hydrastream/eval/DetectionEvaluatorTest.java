package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.eval.DetectionEvaluator.ClassResult;
import dev.hydrastream.eval.DetectionEvaluator.Result;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link DetectionEvaluator} on small hand-built images whose matches and AP are worked out
 * in the comments. Boxes use BDD100K inclusive pixels: {@code (0,0,9,9)} is 10x10 = 100 px.
 */
class DetectionEvaluatorTest {

  private static final double EPS = 1e-9;

  // ------------------------------------------------------------------ the two-image fixture

  /*
   * minGtHeight 10, IoU threshold 0.5.
   *
   * Image A ground truth:
   *   car   A1 (0,0,9,9)         10x10 = 100
   *   car   A2 (100,0,119,19)    20x20 = 400, never detected as a car
   *   car   S  (200,200,219,207) 20x8: height 8 < 10, ignored
   *   truck T  (300,0,339,29)    40x30
   * Image A detections (input order on purpose not by score):
   *   car   0.70 (1,0,10,9)       IoU with A1 = 90 / (100+100-90) = 0.818, but A1 is taken by
   *                               the 0.90 car by then: duplicate -> FP
   *   car   0.95 (500,500,519,519) overlaps nothing -> FP
   *   car   0.85 = S              absorbed by the ignored box -> neither TP nor FP
   *   car   0.90 = A1             IoU 1 -> TP
   *   truck 0.90 = A2             a car box detected as truck: FP for truck, A2 stays unmatched
   *   truck 0.80 = T              IoU 1 -> TP
   * Image B ground truth:
   *   car   B  (50,50,69,69)      20x20 = 400
   * Image B detections:
   *   car   0.60 (600,600,609,609) -> FP
   *   car   0.80 (50,50,69,59)    20x10 = 200 inside B: IoU 200 / 400 = 0.5 exactly -> TP (>=)
   *   train 0.50 (0,0,9,9)        no train ground truth anywhere -> FP, class AP undefined
   */

  private static List<DetLabel> imageAGroundTruth() {
    return List.of(
        gt("car", 0, 0, 9, 9),
        gt("car", 100, 0, 119, 19),
        gt("car", 200, 200, 219, 207),
        gt("truck", 300, 0, 339, 29));
  }

  private static List<DetectedObject> imageADetections() {
    return List.of(
        det("car", 0.70, 1, 0, 10, 9),
        det("car", 0.95, 500, 500, 519, 519),
        det("car", 0.85, 200, 200, 219, 207),
        det("car", 0.90, 0, 0, 9, 9),
        det("truck", 0.90, 100, 0, 119, 19),
        det("truck", 0.80, 300, 0, 339, 29));
  }

  private static List<DetLabel> imageBGroundTruth() {
    return List.of(gt("car", 50, 50, 69, 69));
  }

  private static List<DetectedObject> imageBDetections() {
    return List.of(
        det("car", 0.60, 600, 600, 609, 609),
        det("car", 0.80, 50, 50, 69, 59),
        det("train", 0.50, 0, 0, 9, 9));
  }

  private static DetectionEvaluator fixtureEvaluator() {
    return new DetectionEvaluator(Head.DETECTION.labels(), 0.5, 10);
  }

  private static Result evaluateFixture() {
    DetectionEvaluator e = fixtureEvaluator();
    e.add(imageAGroundTruth(), imageADetections());
    e.add(imageBGroundTruth(), imageBDetections());
    return e.evaluate();
  }

  @Test
  void carApIsTheAllPointInterpolatedAreaUnderThePrCurve() {
    ClassResult car = evaluateFixture().get("car");

    /*
     * 3 positives (A1, A2, B; S is ignored). Ranked scored detections, the absorbed 0.85 left out:
     *   rank score  outcome  TP FP  precision  recall
     *   1    0.95   FP       0  1   0/1        0/3
     *   2    0.90   TP (A1)  1  1   1/2        1/3
     *   3    0.80   TP (B)   2  1   2/3        2/3
     *   4    0.70   FP dup   2  2   2/4        2/3
     *   5    0.60   FP       2  3   2/5        2/3
     * Precision made non-increasing from the right: at recall 1/3 max(1/2, 2/3, 2/4, 2/5) = 2/3,
     * at recall 2/3 max(2/3, 2/4, 2/5) = 2/3; recall never reaches 3/3 (A2 missed).
     * AP = (1/3 - 0) * 2/3 + (2/3 - 1/3) * 2/3 = 2/9 + 2/9 = 4/9.
     * (Without interpolation it would be 1/3 * (1/2 + 2/3) = 7/18; with 11-point sampling 14/33;
     * counting the absorbed detection as FP 1/3; counting S as a positive and TP 9/16; using
     * IoU > 0.5 instead of >= 1/6.)
     */
    assertThat(car.ap()).isCloseTo(4.0 / 9.0, within(EPS));
    assertThat(car.instances()).isEqualTo(3);
    assertThat(car.ignoredInstances()).isEqualTo(1);
    assertThat(car.detections()).isEqualTo(6);
    assertThat(car.truePositives()).isEqualTo(2);
    assertThat(car.falsePositives()).isEqualTo(3);
    assertThat(car.ignoredDetections()).isEqualTo(1);
    assertThat(car.recall()).isCloseTo(2.0 / 3.0, within(EPS));
  }

  @Test
  void wrongClassDetectionIsAFalsePositiveOfItsOwnClass() {
    ClassResult truck = evaluateFixture().get("truck");

    // Ranked: 0.90 FP (on car A2), 0.80 TP (T). One positive, reached at precision 1/2: AP = 1/2.
    assertThat(truck.ap()).isCloseTo(0.5, within(EPS));
    assertThat(truck.instances()).isEqualTo(1);
    assertThat(truck.truePositives()).isEqualTo(1);
    assertThat(truck.falsePositives()).isEqualTo(1);
    // ...and it did not match the car box A2, which is why car recall stops at 2/3 above.
  }

  @Test
  void classWithoutGroundTruthHasNanApAndZeroInstances() {
    Result result = evaluateFixture();

    ClassResult train = result.get("train");
    assertThat(train.ap()).isNaN();
    assertThat(train.instances()).isZero();
    assertThat(train.detections()).isEqualTo(1);
    assertThat(train.falsePositives()).isEqualTo(1);
    // Declared classes absent from the data are reported too, in declaration order.
    assertThat(result.get("pedestrian").ap()).isNaN();
    assertThat(result.get("pedestrian").detections()).isZero();
    assertThat(result.classes())
        .extracting(ClassResult::category)
        .containsExactlyElementsOf(Head.DETECTION.labels());
  }

  @Test
  void mapAveragesClassesWithEnoughInstances() {
    Result result = evaluateFixture();

    // car 4/9 (3 instances), truck 1/2 (1 instance); train (0) and the other 7 classes are NaN
    // and left out. mAP = (4/9 + 1/2) / 2 = (8/18 + 9/18) / 2 = 17/36.
    assertThat(result.mAP()).isCloseTo(17.0 / 36.0, within(EPS));
    // minInstances 2 drops truck: only car remains.
    assertThat(result.mAP(2)).isCloseTo(4.0 / 9.0, within(EPS));
    assertThat(result.mAP(4)).isNaN();
    assertThat(result.images()).isEqualTo(2);
  }

  @Test
  void mergedEvaluatorsEqualOneEvaluatorOverAllImages() {
    DetectionEvaluator first = fixtureEvaluator();
    first.add(imageAGroundTruth(), imageADetections());
    DetectionEvaluator second = fixtureEvaluator();
    second.add(imageBGroundTruth(), imageBDetections());

    first.merge(second);

    assertThat(first.evaluate()).isEqualTo(evaluateFixture());
    // other is left as it was.
    assertThat(second.images()).isEqualTo(1);
    assertThat(second.evaluate().get("car").instances()).isEqualTo(1);
  }

  @Test
  void mergeIntoItselfDoublesEverything() {
    DetectionEvaluator e = fixtureEvaluator();
    e.add(imageAGroundTruth(), imageADetections());
    e.add(imageBGroundTruth(), imageBDetections());

    e.merge(e);

    ClassResult car = e.evaluate().get("car");
    assertThat(car.instances()).isEqualTo(6);
    assertThat(car.truePositives()).isEqualTo(4);
    assertThat(car.falsePositives()).isEqualTo(6);
    assertThat(e.images()).isEqualTo(4);
  }

  @Test
  void mergeRejectsDifferentSettings() {
    DetectionEvaluator e = new DetectionEvaluator(0.5, 0);

    assertThatThrownBy(() -> e.merge(new DetectionEvaluator(0.7, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("iouThreshold");
    assertThatThrownBy(() -> e.merge(new DetectionEvaluator(0.5, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minGtHeight");
  }

  // ------------------------------------------------------------------ matching rules

  @Test
  void matchNeedsIouAtLeastTheThreshold() {
    DetectionEvaluator e = new DetectionEvaluator();
    // GT (0,0,9,9) = 100 px. (0,0,9,4) is 10x5 = 50 px inside it: IoU 50 / 100 = 0.5 -> TP.
    e.add(List.of(gt("car", 0, 0, 9, 9)), List.of(det("car", 0.9, 0, 0, 9, 4)));
    // (0,0,9,3) is 10x4 = 40 px: IoU 40 / 100 = 0.4 -> FP, and this GT is missed.
    e.add(List.of(gt("car", 0, 0, 9, 9)), List.of(det("car", 0.8, 0, 0, 9, 3)));

    ClassResult car = e.evaluate().get("car");
    assertThat(car.truePositives()).isEqualTo(1);
    assertThat(car.falsePositives()).isEqualTo(1);
    // Ranked TP (P 1, R 1/2), FP: AP = 1/2 * 1 = 1/2.
    assertThat(car.ap()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void detectionTakesTheUnmatchedTruthWithTheHighestIou() {
    /*
     * G1 (0,0,9,9) and G2 (2,0,11,9), both 100 px, listed G1 first.
     * D1 0.9 = G2: IoU G2 = 1, IoU G1 = 80 / 120 = 0.667. Best is G2 (first-above-threshold would
     *    wrongly take G1).
     * D2 0.8 (0,0,6,9), 70 px: IoU G1 = 70 / 100 = 0.7, IoU G2 = 50 / 120 = 0.417 < 0.5.
     * Best-IoU matching: D1 -> G2, D2 -> G1: 2 TP, AP 1. Had D1 taken G1, D2 would be an FP.
     */
    DetectionEvaluator e = new DetectionEvaluator();
    e.add(
        List.of(gt("car", 0, 0, 9, 9), gt("car", 2, 0, 11, 9)),
        List.of(det("car", 0.8, 0, 0, 6, 9), det("car", 0.9, 2, 0, 11, 9)));

    ClassResult car = e.evaluate().get("car");
    assertThat(car.truePositives()).isEqualTo(2);
    assertThat(car.falsePositives()).isZero();
    assertThat(car.ap()).isCloseTo(1.0, within(EPS));
  }

  @Test
  void equalScoresAreMatchedInInputOrder() {
    /*
     * Same G1, G2 as above; two detections with the same score 0.9:
     *   X (0,0,6,9): IoU G1 0.7, G2 0.417 (only G1 qualifies)
     *   Y = G1:      IoU G1 1,   G2 0.667
     * Order X, Y: X -> G1, Y -> G2 (0.667): 2 TP.
     * Order Y, X: Y -> G1, X finds G1 taken and G2 too low: 1 TP, 1 FP.
     */
    List<DetLabel> truth = List.of(gt("car", 0, 0, 9, 9), gt("car", 2, 0, 11, 9));
    DetectedObject x = det("car", 0.9, 0, 0, 6, 9);
    DetectedObject y = det("car", 0.9, 0, 0, 9, 9);

    DetectionEvaluator xFirst = new DetectionEvaluator();
    xFirst.add(truth, List.of(x, y));
    DetectionEvaluator yFirst = new DetectionEvaluator();
    yFirst.add(truth, List.of(y, x));

    assertThat(xFirst.evaluate().get("car").truePositives()).isEqualTo(2);
    assertThat(yFirst.evaluate().get("car").truePositives()).isEqualTo(1);
    assertThat(yFirst.evaluate().get("car").falsePositives()).isEqualTo(1);
  }

  @Test
  void ignoredTruthAbsorbsDetectionsButCountedTruthIsPreferred() {
    /*
     * minGtHeight 10. C (0,0,19,19) is 20x20 = 400 px, counted. S (0,0,19,8) is 20x9: height 9,
     * ignored.
     * D1 0.9 = S and D2 0.8 = S: IoU S = 1, IoU C = 180 / 400 = 0.45 -> both absorbed (an ignored
     *    box absorbs any number of detections).
     * D3 0.7 (0,0,19,10), 20x11 = 220 px: IoU C = 220 / 400 = 0.55, IoU S = 180 / 220 = 0.818.
     *    S overlaps more, but a counted box at the threshold wins -> TP.
     * Scored: only D3, a TP: AP = 1. Counting the absorbed ones as FP would give AP 1/3.
     */
    DetectionEvaluator e = new DetectionEvaluator(0.5, 10);
    e.add(
        List.of(gt("car", 0, 0, 19, 19), gt("car", 0, 0, 19, 8)),
        List.of(
            det("car", 0.9, 0, 0, 19, 8),
            det("car", 0.8, 0, 0, 19, 8),
            det("car", 0.7, 0, 0, 19, 10)));

    ClassResult car = e.evaluate().get("car");
    assertThat(car.instances()).isEqualTo(1);
    assertThat(car.ignoredInstances()).isEqualTo(1);
    assertThat(car.detections()).isEqualTo(3);
    assertThat(car.truePositives()).isEqualTo(1);
    assertThat(car.falsePositives()).isZero();
    assertThat(car.ignoredDetections()).isEqualTo(2);
    assertThat(car.ap()).isCloseTo(1.0, within(EPS));
  }

  @Test
  void truthExactlyMinGtHeightHighIsCounted() {
    // (0,0,9,9) is 10 px high (inclusive): not below 10, so counted. (0,0,9,8) is 9 px: ignored.
    DetectionEvaluator e = new DetectionEvaluator(0.5, 10);
    e.add(List.of(gt("car", 0, 0, 9, 9), gt("car", 50, 0, 59, 8)), List.of());

    ClassResult car = e.evaluate().get("car");
    assertThat(car.instances()).isEqualTo(1);
    assertThat(car.ignoredInstances()).isEqualTo(1);
  }

  @Test
  void classWithTruthButNoDetectionsHasApZero() {
    DetectionEvaluator e = new DetectionEvaluator();
    e.add(List.of(gt("bus", 0, 0, 9, 9)), List.of());

    Result result = e.evaluate();
    assertThat(result.get("bus").ap()).isZero();
    assertThat(result.mAP()).isZero();
  }

  @Test
  void emptyEvaluatorHasNoMap() {
    Result result = new DetectionEvaluator().evaluate();

    assertThat(result.classes()).isEmpty();
    assertThat(result.mAP()).isNaN();
    assertThatThrownBy(() -> result.get("car")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidInputIsRejected() {
    assertThatThrownBy(() -> det("car", Double.NaN, 0, 0, 9, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new DetectionEvaluator(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DetectionEvaluator(1.5, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DetectionEvaluator(0.5, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ helpers

  // ------------------------------------------------------------------ COCO size buckets

  /*
   * One image, bucket MEDIUM (areas 32^2 = 1024 .. 96^2 = 9216), nothing else ignored.
   *   car M (0,0,49,49)     50x50 = 2500: counted
   *   car S (100,0,119,19)  20x20 = 400: small, ignored
   *   car L (200,0,399,199) 200x200: large, ignored
   * Detections:
   *   0.9 = S                   absorbed by the ignored S -> neither
   *   0.8 (500,0,509,9)         unmatched, 10x10 small -> outside the range: dropped
   *   0.7 (600,0,649,49)        unmatched, 50x50 medium -> FP
   *   0.6 = M                   TP
   * Ranked scored detections: 0.7 FP, 0.6 TP -> AP = 1/2 (precision 0.5 at the one recall step).
   */
  @Test
  void aSizeBucketIgnoresOtherSizesAndDropsUnmatchedDetectionsOfOtherSizes() {
    DetectionEvaluator e =
        new DetectionEvaluator(List.of("car"), 0.5, 0, DetectionEvaluator.MEDIUM);
    e.add(
        List.of(gt("car", 0, 0, 49, 49), gt("car", 100, 0, 119, 19), gt("car", 200, 0, 399, 199)),
        List.of(
            det("car", 0.9, 100, 0, 119, 19),
            det("car", 0.8, 500, 0, 509, 9),
            det("car", 0.7, 600, 0, 649, 49),
            det("car", 0.6, 0, 0, 49, 49)));
    ClassResult car = e.evaluate().get("car");
    assertThat(car.instances()).isEqualTo(1);
    assertThat(car.ignoredInstances()).isEqualTo(2);
    assertThat(car.truePositives()).isEqualTo(1);
    assertThat(car.falsePositives()).isEqualTo(1);
    assertThat(car.ap()).isCloseTo(0.5, within(EPS));
    assertThat(DetectionEvaluator.SMALL.contains(1023)).isTrue();
    assertThat(DetectionEvaluator.MEDIUM.contains(1024)).isTrue();
    assertThat(DetectionEvaluator.LARGE.contains(9216)).isTrue();
    assertThatThrownBy(() -> e.merge(new DetectionEvaluator(List.of("car"), 0.5, 0)))
        .hasMessageContaining("area");
  }

  private static DetLabel gt(String category, double x1, double y1, double x2, double y2) {
    return new DetLabel(0, category, new Box(x1, y1, x2, y2), false, false, null);
  }

  private static DetectedObject det(
      String category, double score, double x1, double y1, double x2, double y2) {
    return new DetectedObject(category, new Box(x1, y1, x2, y2), score);
  }
}
