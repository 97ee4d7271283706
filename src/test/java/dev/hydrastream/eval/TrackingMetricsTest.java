package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.spec.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracking metrics against cases computed by hand (each comment shows the arithmetic): an id
 * switch, a fragmentation, a false positive and a miss, a match below the IoU threshold, and two
 * sequences pooled.
 */
class TrackingMetricsTest {

  private static final Box A = new Box(100, 100, 149, 139);
  private static final Box B = new Box(400, 300, 459, 349);
  private static final Box FAR = new Box(900, 50, 939, 89);

  private static TrackingMetrics.Obj car(long id, Box box) {
    return new TrackingMetrics.Obj(id, "car", box);
  }

  private static TrackingMetrics.Frame frame(
      List<TrackingMetrics.Obj> truth, List<TrackingMetrics.Obj> predicted) {
    return new TrackingMetrics.Frame(truth, predicted);
  }

  /** One ground-truth object and one tracker output on the same box. */
  private static TrackingMetrics.Frame same(long gt, long predicted, Box box) {
    return frame(List.of(car(gt, box)), List.of(car(predicted, box)));
  }

  private static TrackingMetrics.Result score(List<TrackingMetrics.Frame> frames) {
    TrackingMetrics m = new TrackingMetrics();
    m.addSequence(frames);
    return m.result();
  }

  @Test
  void perfectTrackingScoresOne() {
    TrackingMetrics.Result r =
        score(
            List.of(
                frame(List.of(car(1, A)), List.of(car(7, A))),
                frame(List.of(car(1, A), car(2, B)), List.of(car(7, A), car(8, B))),
                frame(List.of(car(2, B)), List.of(car(8, B)))));
    assertThat(r.mota()).isEqualTo(1.0);
    assertThat(r.idf1()).isEqualTo(1.0);
    assertThat(r.hota()).isCloseTo(1.0, within(1e-12));
    assertThat(r.motp()).isEqualTo(1.0);
    assertThat(r.idSwitches()).isZero();
    assertThat(r.mostlyTracked()).isEqualTo(2);
  }

  @Test
  void anIdSwitch() {
    // gt 1 in 4 frames; the tracker calls it 10, then 11.
    TrackingMetrics.Result r =
        score(List.of(same(1, 10, A), same(1, 10, A), same(1, 11, A), same(1, 11, A)));
    // CLEAR: TP 4, FN 0, FP 0, IDSW 1 -> MOTA (4 - 0 - 1) / 4
    assertThat(r.truePositives()).isEqualTo(4);
    assertThat(r.idSwitches()).isEqualTo(1);
    assertThat(r.fragmentations()).isZero();
    assertThat(r.mota()).isEqualTo(0.75);
    // identity: the best 1:1 mapping covers 2 of 4 frames -> IDF1 2*2 / (4 + 4)
    assertThat(r.idf1()).isEqualTo(0.5);
    assertThat(r.idp()).isEqualTo(0.5);
    assertThat(r.idr()).isEqualTo(0.5);
    // HOTA: DetA 1 at every threshold; each pair matched 2 times: A = 2 / (4 + 2 - 2) = 0.5,
    // AssA = (2 * 0.5 + 2 * 0.5) / 4 = 0.5, HOTA = sqrt(1 * 0.5)
    assertThat(r.detA()).isCloseTo(1.0, within(1e-12));
    assertThat(r.assA()).isCloseTo(0.5, within(1e-12));
    assertThat(r.hota()).isCloseTo(Math.sqrt(0.5), within(1e-12));
  }

  @Test
  void aFragmentation() {
    // gt 1 in 5 frames; tracker 10 loses it in frame 2 (and reports a box elsewhere), then
    // finds it again under the same id.
    TrackingMetrics.Frame lost = frame(List.of(car(1, A)), List.of(car(99, FAR)));
    TrackingMetrics.Result r =
        score(List.of(same(1, 10, A), same(1, 10, A), lost, same(1, 10, A), same(1, 10, A)));
    // CLEAR: TP 4, FN 1, FP 1, IDSW 0 (same id after the gap), Frag 1 -> MOTA (4 - 1 - 0) / 5
    assertThat(r.fragmentations()).isEqualTo(1);
    assertThat(r.idSwitches()).isZero();
    assertThat(r.misses()).isEqualTo(1);
    assertThat(r.falsePositives()).isEqualTo(1);
    assertThat(r.mota()).isCloseTo(0.6, within(1e-12));
    // matched in 4 of 5 frames: not more than 80%, so partly tracked
    assertThat(r.partlyTracked()).isEqualTo(1);
    assertThat(r.mostlyTracked()).isZero();
    // identity: IDTP 4 of 5 gt and 5 reported boxes -> IDF1 2*4 / (5 + 5)
    assertThat(r.idf1()).isCloseTo(0.8, within(1e-12));
    // HOTA: TP 4, FN 1, FP 1 -> DetA 4/6; A(1,10) = 4 / (5 + 4 - 4) = 0.8 -> AssA 0.8
    assertThat(r.detA()).isCloseTo(4 / 6.0, within(1e-12));
    assertThat(r.assA()).isCloseTo(0.8, within(1e-12));
    assertThat(r.hota()).isCloseTo(Math.sqrt(4 / 6.0 * 0.8), within(1e-12));
  }

  @Test
  void aFalsePositiveAndAMiss() {
    // frame 1: gt 2 is not found (a miss), and the tracker reports 11 where nothing is (a FP).
    TrackingMetrics.Result r =
        score(
            List.of(
                same(1, 10, A),
                frame(List.of(car(1, A), car(2, B)), List.of(car(10, A), car(11, FAR)))));
    // CLEAR: TP 2, FN 1, FP 1 -> MOTA (2 - 1 - 0) / 3
    assertThat(r.misses()).isEqualTo(1);
    assertThat(r.falsePositives()).isEqualTo(1);
    assertThat(r.mota()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.mostlyLost()).isEqualTo(1); // gt 2: never matched
    // identity: IDTP 2 -> IDF1 2*2 / (3 + 3)
    assertThat(r.idf1()).isCloseTo(2 / 3.0, within(1e-12));
    // HOTA: DetA 2 / (2 + 1 + 1) = 0.5, AssA 1 (gt 1 and tracker 10 always together)
    assertThat(r.hota()).isCloseTo(Math.sqrt(0.5), within(1e-12));
  }

  @Test
  void aBoxBelowTheIouThresholdIsAMissAndAFalsePositiveButCountsForLowHotaThresholds() {
    Box gt = new Box(0, 0, 9, 9); // 100 px
    Box pred = new Box(0, 0, 9, 3); // 40 px inside it: IoU 0.4
    TrackingMetrics.Result r = score(List.of(frame(List.of(car(1, gt)), List.of(car(5, pred)))));
    // CLEAR at 0.5: TP 0, FN 1, FP 1 -> MOTA (0 - 1) / 1
    assertThat(r.mota()).isEqualTo(-1.0);
    assertThat(r.idf1()).isZero();
    // HOTA: matched at thresholds 0.05..0.40 (8 of 19) with DetA = AssA = 1, else 0
    assertThat(r.hotaPerThreshold().get(7)).isCloseTo(1.0, within(1e-12));
    assertThat(r.hotaPerThreshold().get(8)).isZero();
    assertThat(r.hota()).isCloseTo(8 / 19.0, within(1e-12));
  }

  @Test
  void classesNeverMatchAndSequencesArePooled() {
    TrackingMetrics m = new TrackingMetrics();
    // a pedestrian box exactly on a car: a miss and a false positive
    m.addSequence(
        List.of(frame(List.of(car(1, A)), List.of(new TrackingMetrics.Obj(1, "pedestrian", A)))));
    // a second sequence whose ids repeat the first one's: they are different objects
    m.addSequence(List.of(same(1, 1, B)));
    TrackingMetrics.Result r = m.result();
    assertThat(r.sequences()).isEqualTo(2);
    assertThat(r.truePositives()).isEqualTo(1);
    assertThat(r.misses()).isEqualTo(1);
    assertThat(r.falsePositives()).isEqualTo(1);
    assertThat(r.idSwitches()).isZero();
    assertThat(r.mota()).isZero(); // (1 - 1 - 0) / 2
    assertThat(r.gtTracks()).isEqualTo(2);
  }

  @Test
  void clearKeepsThePreviousMatchOverABetterOverlap() {
    // gt 1 matched to tracker 10; next frame tracker 11 overlaps gt 1 better, but 10 still
    // overlaps at IoU >= 0.5: CLEAR keeps 10 (no switch) and 11 is a false positive.
    Box slightlyOff = new Box(104, 100, 153, 139); // IoU with A = 46*40 / (2*2000 - 46*40)
    TrackingMetrics.Result r =
        score(
            List.of(
                same(1, 10, A),
                frame(List.of(car(1, A)), List.of(car(10, slightlyOff), car(11, A)))));
    assertThat(r.idSwitches()).isZero();
    assertThat(r.falsePositives()).isEqualTo(1);
  }
}
