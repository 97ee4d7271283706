package dev.hydrastream.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tracker's rules, frame by frame: identity, birth, loss, ids, time, bad input, bounds. */
class CameraTrackerTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final long STEP = 200; // 5 fps

  private static Observation car(double x, double y) {
    return box("car", 0.9, x, y, 60, 40);
  }

  private static Observation box(
      String category, double score, double x, double y, double w, double h) {
    return new Observation(category, score, x, y, x + w - 1, y + h - 1);
  }

  private static TrackedObject only(TrackerResult r) {
    assertThat(r.tracks()).hasSize(1);
    return r.tracks().get(0);
  }

  @Test
  void movingObjectKeepsOneIdIsConfirmedOnItsSecondHitAndReportsItsVelocity() {
    CameraTracker t = new CameraTracker(config(2, 15));
    TrackerResult first = t.update(T0, List.of(car(100, 300)));
    assertThat(first.started()).containsExactly(1L);
    assertThat(only(first).state()).isEqualTo(TrackState.TENTATIVE);
    TrackerResult r = null;
    for (int k = 1; k <= 20; k++) {
      // 10 px per frame to the right = 50 px/s at 5 fps
      r = t.update(T0 + k * STEP, List.of(car(100 + 10 * k, 300)));
      TrackedObject o = only(r);
      assertThat(o.id()).isEqualTo(1);
      assertThat(o.state()).isEqualTo(TrackState.CONFIRMED);
      assertThat(o.ageFrames()).isEqualTo(k + 1);
      assertThat(o.hits()).isEqualTo(k + 1);
      assertThat(r.started()).isEmpty();
    }
    TrackedObject o = only(r);
    assertThat(o.vx()).isCloseTo(50, org.assertj.core.data.Offset.offset(2.0));
    assertThat(o.vy()).isCloseTo(0, org.assertj.core.data.Offset.offset(1.0));
    assertThat(o.box().x1()).isCloseTo(300, org.assertj.core.data.Offset.offset(2.0));
    assertThat(o.box().width()).isCloseTo(60, org.assertj.core.data.Offset.offset(1.0));
    assertThat(o.category()).isEqualTo("car");
  }

  @Test
  void anApproachingObjectsBoxGrowthGivesItsTimeToContact() {
    // A car 30 m ahead closing at 10 m/s: its box height is f*H/Z (1500 px*m / Z), so the time to
    // contact Z / 10 equals h / (dh/dt), what 1/scaleRate estimates.
    CameraTracker t = new CameraTracker(TrackerConfig.defaults());
    TrackedObject o = null;
    for (int k = 0; k <= 8; k++) {
      double z = 30 - 10 * (k * STEP / 1000.0);
      double h = 1500 / z;
      o =
          only(
              t.update(
                  T0 + k * STEP,
                  List.of(box("car", 0.9, 640 - h * 0.75, 400 - h / 2, 1.5 * h, h))));
      if (k >= 2) {
        assertThat(o.scaleRate()).as("frame %d", k).isPositive();
      }
    }
    double truth = (30 - 10 * 1.6) / 10; // 1.4 s at the last frame
    // The constant-velocity filter lags a growth that accelerates as the car comes closer: its
    // estimate is later than the truth (2.0 s here at 5 fps), never earlier.
    assertThat(1 / o.scaleRate()).isBetween(truth, truth * 1.6);
    // a car keeping its distance: no growth to speak of
    CameraTracker still = new CameraTracker(TrackerConfig.defaults());
    for (int k = 0; k <= 8; k++) {
      o = only(still.update(T0 + k * STEP, List.of(box("car", 0.9, 600, 380, 75, 50))));
    }
    assertThat(o.scaleRate()).isCloseTo(0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void aFastNewObjectWhoseBoxesDoNotOverlapIsMatchedByTheFiltersGate() {
    CameraTracker t = new CameraTracker(TrackerConfig.defaults());
    CameraTracker tentative = new CameraTracker(config(2, 15));
    // 40x100 px, 70 px to the right in one frame: no overlap even with buffered boxes
    for (CameraTracker c : List.of(t, tentative)) {
      c.update(T0, List.of(box("pedestrian", 0.9, 100, 300, 40, 100)));
      TrackerResult r = c.update(T0 + STEP, List.of(box("pedestrian", 0.9, 170, 300, 40, 100)));
      assertThat(r.started()).isEmpty();
      assertThat(only(r).id()).isEqualTo(1);
      assertThat(only(r).state()).isEqualTo(TrackState.CONFIRMED);
      // a matched track reports the detection's box
      assertThat(only(r).box()).isEqualTo(new dev.hydrastream.spec.Box(170, 300, 209, 399));
    }
    // too far for the gate: a new object
    CameraTracker u = new CameraTracker(TrackerConfig.defaults());
    u.update(T0, List.of(box("pedestrian", 0.9, 100, 300, 40, 100)));
    assertThat(u.update(T0 + STEP, List.of(box("pedestrian", 0.9, 600, 300, 40, 100))).started())
        .containsExactly(2L);
  }

  @Test
  void aTentativeTrackThatMissesAFrameEndsUnconfirmed() {
    CameraTracker t = new CameraTracker(config(2, 15));
    t.update(T0, List.of(car(100, 300)));
    TrackerResult r = t.update(T0 + STEP, List.of());
    assertThat(r.ended()).containsExactly(new TrackEnd(1, EndReason.UNCONFIRMED));
    assertThat(r.tracks()).isEmpty();
    // the next object gets a new id
    assertThat(t.update(T0 + 2 * STEP, List.of(car(100, 300))).started()).containsExactly(2L);
  }

  @Test
  void birthNeedsMinHitsInARow() {
    TrackerConfig c = config(3, 15);
    CameraTracker t = new CameraTracker(c);
    assertThat(only(t.update(T0, List.of(car(100, 300)))).state()).isEqualTo(TrackState.TENTATIVE);
    assertThat(only(t.update(T0 + STEP, List.of(car(105, 300)))).state())
        .isEqualTo(TrackState.TENTATIVE);
    assertThat(only(t.update(T0 + 2 * STEP, List.of(car(110, 300)))).state())
        .isEqualTo(TrackState.CONFIRMED);
    CameraTracker one = new CameraTracker(config(1, 15));
    assertThat(only(one.update(T0, List.of(car(100, 300)))).state())
        .isEqualTo(TrackState.CONFIRMED);
  }

  @Test
  void anOccludedObjectIsLostThenFoundWithTheSameIdAndEndsAfterMaxMisses() {
    CameraTracker t = new CameraTracker(config(2, 3));
    long ts = T0;
    for (int k = 0; k < 5; k++, ts += STEP) {
      t.update(ts, List.of(car(100 + 10 * k, 300)));
    }
    // hidden for 3 frames: lost, predicted onwards
    for (int k = 5; k < 8; k++, ts += STEP) {
      TrackedObject o = only(t.update(ts, List.of()));
      assertThat(o.state()).isEqualTo(TrackState.LOST);
      assertThat(o.misses()).isEqualTo(k - 4);
      assertThat(o.box().x1()).isCloseTo(100 + 10 * k, org.assertj.core.data.Offset.offset(3.0));
    }
    TrackedObject back = only(t.update(ts, List.of(car(180, 300))));
    ts += STEP;
    assertThat(back.id()).isEqualTo(1);
    assertThat(back.state()).isEqualTo(TrackState.CONFIRMED);
    assertThat(back.misses()).isZero();
    // now hidden for 4 frames: more than maxMisses = 3
    TrackerResult r = null;
    for (int k = 0; k < 4; k++, ts += STEP) {
      r = t.update(ts, List.of());
    }
    assertThat(r.ended()).containsExactly(new TrackEnd(1, EndReason.MISSED));
    assertThat(r.tracks()).isEmpty();
  }

  @Test
  void crossingObjectsOfTheSameClassKeepTheirIds() {
    CameraTracker t = new CameraTracker(TrackerConfig.defaults());
    Map<Long, Double> lastX = new java.util.HashMap<>();
    for (int k = 0; k < 30; k++) {
      // two cars on different rows drive towards each other and pass, boxes overlapping at k=15
      double a = 100 + 20 * k;
      double b = 700 - 20 * k;
      TrackerResult r = t.update(T0 + k * STEP, List.of(car(a, 300), car(b, 320)));
      if (k >= 1) {
        assertThat(r.confirmed()).hasSize(2);
        for (TrackedObject o : r.confirmed()) {
          double expected = o.id() == 1 ? a : b;
          assertThat(o.box().x1())
              .as("frame %d id %d", k, o.id())
              .isCloseTo(expected, org.assertj.core.data.Offset.offset(8.0));
          lastX.put(o.id(), o.box().x1());
        }
      }
    }
    assertThat(lastX).containsOnlyKeys(1L, 2L);
  }

  @Test
  void aTrackOnlyTakesBoxesOfItsOwnClass() {
    CameraTracker t = new CameraTracker(TrackerConfig.defaults());
    t.update(T0, List.of(car(100, 300)));
    t.update(T0 + STEP, List.of(car(100, 300)));
    // a pedestrian exactly where the car was, the car gone
    TrackerResult r = t.update(T0 + 2 * STEP, List.of(box("pedestrian", 0.9, 100, 300, 60, 40)));
    assertThat(r.tracks()).extracting(TrackedObject::id).containsExactly(1L, 2L);
    assertThat(r.tracks().get(0).state()).isEqualTo(TrackState.LOST);
    assertThat(r.tracks().get(1).category()).isEqualTo("pedestrian");
  }

  @Test
  void lowScoreDetectionsKeepAConfirmedTrackButStartNone() {
    CameraTracker t = new CameraTracker(TrackerConfig.defaults());
    for (int k = 0; k < 2; k++) {
      t.update(T0 + k * STEP, List.of(car(100 + 10 * k, 300)));
    }
    // the detector becomes unsure (0.3): ByteTrack's second association keeps the track
    TrackerResult r = t.update(T0 + 2 * STEP, List.of(box("car", 0.3, 120, 300, 60, 40)));
    assertThat(only(r).state()).isEqualTo(TrackState.CONFIRMED);
    assertThat(only(r).score()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-6));
    // a low-score box alone starts nothing
    CameraTracker fresh = new CameraTracker(TrackerConfig.defaults());
    assertThat(fresh.update(T0, List.of(box("car", 0.3, 120, 300, 60, 40))).tracks()).isEmpty();
  }

  @Test
  void idsAreNeverReusedAcrossEndsAndResets() {
    CameraTracker t = new CameraTracker(config(1, 0));
    Set<Long> seen = new HashSet<>();
    long ts = T0;
    Random rnd = new Random(3);
    for (int k = 0; k < 200; k++) {
      List<Observation> obs = new ArrayList<>();
      for (int i = 0; i < rnd.nextInt(4); i++) {
        obs.add(car(rnd.nextInt(1200), rnd.nextInt(600)));
      }
      ts += k % 50 == 49 ? 10_000 : STEP; // a gap now and then resets everything
      TrackerResult r = t.update(ts, obs);
      for (long id : r.started()) {
        assertThat(seen.add(id)).as("id %d given out twice", id).isTrue();
      }
    }
    assertThat(seen).isNotEmpty();
    assertThat(t.nextId()).isEqualTo(seen.size() + 1);
  }

  @Test
  void gapsAndClockJumpsResetByTheDocumentedRule() {
    CameraTracker t = new CameraTracker(TrackerConfig.defaults()); // maxGapMs 2000
    t.update(T0, List.of(car(100, 300)));
    t.update(T0 + STEP, List.of(car(110, 300)));
    // late by up to maxGapMs: skipped, state unchanged
    TrackerResult late = t.update(T0 + 50, List.of(car(500, 100)));
    assertThat(late.status()).isEqualTo(FrameStatus.SKIPPED_OUT_OF_ORDER);
    assertThat(late.tracks()).isEmpty();
    TrackerResult same = t.update(T0 + STEP, List.of(car(500, 100)));
    assertThat(same.status()).isEqualTo(FrameStatus.SKIPPED_OUT_OF_ORDER);
    assertThat(t.lastCaptureTs()).isEqualTo(T0 + STEP);
    // the next frame in order continues the track
    TrackerResult next = t.update(T0 + 2 * STEP, List.of(car(120, 300)));
    assertThat(next.status()).isEqualTo(FrameStatus.TRACKED);
    assertThat(only(next).id()).isEqualTo(1);
    // a gap: every track ends, the frame starts afresh with new ids
    TrackerResult gap = t.update(T0 + 2 * STEP + 2_001, List.of(car(120, 300)));
    assertThat(gap.status()).isEqualTo(FrameStatus.RESET_AFTER_GAP);
    assertThat(gap.ended()).containsExactly(new TrackEnd(1, EndReason.GAP));
    assertThat(gap.started()).containsExactly(2L);
    // the camera's clock jumps back an hour: same, and ids still grow
    TrackerResult back = t.update(T0 - 3_600_000, List.of(car(120, 300)));
    assertThat(back.status()).isEqualTo(FrameStatus.RESET_AFTER_TIME_JUMP);
    assertThat(back.ended()).containsExactly(new TrackEnd(2, EndReason.TIME_JUMP));
    assertThat(back.started()).containsExactly(3L);
    // and then tracking goes on from the new clock
    assertThat(only(t.update(T0 - 3_600_000 + STEP, List.of(car(122, 300)))).id()).isEqualTo(3);
    // extreme capture times do not overflow
    assertThat(t.update(Long.MAX_VALUE, List.of()).status()).isEqualTo(FrameStatus.RESET_AFTER_GAP);
    assertThat(t.update(Long.MIN_VALUE + 1, List.of()).status())
        .isEqualTo(FrameStatus.RESET_AFTER_TIME_JUMP);
  }

  @Test
  void badDetectionsAreDroppedAndCountedNeverThrown() {
    CameraTracker t = new CameraTracker(TrackerConfig.defaults());
    List<Observation> bad =
        List.of(
            new Observation("car", Double.NaN, 1, 1, 10, 10),
            new Observation("car", 0.9, Double.NaN, 1, 10, 10),
            new Observation("car", 0.9, 1, 1, Double.POSITIVE_INFINITY, 10),
            new Observation("car", 0.9, 50, 1, 10, 10),
            new Observation("car", 0.9, 1, 50, 10, 10),
            new Observation("spaceship", 0.9, 1, 1, 10, 10),
            new Observation(null, 0.9, 1, 1, 10, 10),
            car(100, 300));
    TrackerResult r = t.update(T0, bad);
    assertThat(r.dropped())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                DropReason.NON_FINITE, 3,
                DropReason.INVERTED_BOX, 2,
                DropReason.UNKNOWN_CATEGORY, 2));
    assertThat(only(r).category()).isEqualTo("car");
  }

  @Test
  void tenThousandObjectsInOneFrameAreCappedAndTheStateStaysBounded() {
    TrackerConfig c = TrackerConfig.defaults();
    CameraTracker t = new CameraTracker(c);
    Random rnd = new Random(11);
    long ts = T0;
    int maxBytes = 0;
    for (int frame = 0; frame < 30; frame++, ts += STEP) {
      List<Observation> obs = new ArrayList<>(10_000);
      for (int i = 0; i < 10_000; i++) {
        obs.add(
            box("car", 0.6 + 0.4 * rnd.nextDouble(), rnd.nextInt(1280), rnd.nextInt(720), 8, 8));
      }
      TrackerResult r = t.update(ts, obs);
      assertThat(r.dropped().get(DropReason.DETECTION_LIMIT)).isEqualTo(10_000 - c.maxDetections());
      assertThat(r.tracks()).hasSizeLessThanOrEqualTo(c.maxTracks());
      maxBytes = Math.max(maxBytes, TrackerStateCodec.encode(t).length);
    }
    assertThat(maxBytes).isLessThanOrEqualTo(TrackerStateCodec.maxBytes(c));
    assertThat(TrackerStateCodec.maxBytes(c)).isLessThan(28_000);
  }

  @Test
  void aFullCameraEvictsItsLongestLostTrackForANewOne() {
    TrackerConfig c = new TrackerConfig(1, 100, 0.5, 0.1, 0.6, 0.2, 0.5, 0.3, 0.3, 2_000, 2, 256);
    CameraTracker t = new CameraTracker(c);
    t.update(T0, List.of(car(0, 0), car(500, 0)));
    t.update(T0 + STEP, List.of(car(500, 0))); // track 1 lost
    TrackerResult r = t.update(T0 + 2 * STEP, List.of(car(500, 0), car(900, 500)));
    assertThat(r.ended()).containsExactly(new TrackEnd(1, EndReason.EVICTED));
    assertThat(r.started()).containsExactly(3L);
    // both tracks confirmed and matched: no room, the detection is dropped and counted
    TrackerResult full = t.update(T0 + 3 * STEP, List.of(car(500, 0), car(900, 500), car(0, 600)));
    assertThat(full.dropped()).containsEntry(DropReason.TRACK_LIMIT, 1);
    assertThat(full.tracks()).hasSize(2);
  }

  @Test
  void aRestoredTrackerContinuesExactlyLikeOneThatNeverStopped() {
    Random rnd = new Random(5);
    List<List<Observation>> frames = new ArrayList<>();
    double[][] objects = new double[12][4];
    for (double[] o : objects) {
      o[0] = rnd.nextInt(1200);
      o[1] = rnd.nextInt(600);
      o[2] = rnd.nextGaussian() * 8;
      o[3] = rnd.nextGaussian() * 3;
    }
    for (int k = 0; k < 120; k++) {
      List<Observation> obs = new ArrayList<>();
      for (double[] o : objects) {
        if (rnd.nextDouble() < 0.85) {
          obs.add(
              box("car", 0.2 + 0.8 * rnd.nextDouble(), o[0] + o[2] * k, o[1] + o[3] * k, 50, 30));
        }
      }
      frames.add(obs);
    }
    CameraTracker straight = new CameraTracker(TrackerConfig.defaults());
    byte[] stored = TrackerStateCodec.encode(new CameraTracker(TrackerConfig.defaults()));
    for (int k = 0; k < frames.size(); k++) {
      long ts = T0 + k * STEP;
      TrackerResult a = straight.update(ts, frames.get(k));
      CameraTracker restored = TrackerStateCodec.decode(stored, TrackerConfig.defaults());
      TrackerResult b = restored.update(ts, frames.get(k));
      stored = TrackerStateCodec.encode(restored);
      assertThat(b).as("frame %d", k).isEqualTo(a);
      assertThat(stored).isEqualTo(TrackerStateCodec.encode(straight));
    }
    assertThat(straight.nextId()).isGreaterThan(12);
  }

  @Test
  void stateBytesThatAreNotOursAreRefusedByName() {
    byte[] ok = TrackerStateCodec.encode(new CameraTracker(TrackerConfig.defaults()));
    byte[] newer = ok.clone();
    newer[0] = 2;
    assertThatThrownBy(() -> TrackerStateCodec.decode(newer, TrackerConfig.defaults()))
        .hasMessageContaining("format 2");
    assertThatThrownBy(
            () ->
                TrackerStateCodec.decode(java.util.Arrays.copyOf(ok, 5), TrackerConfig.defaults()))
        .hasMessageContaining("corrupt tracker state");
    assertThatThrownBy(() -> TrackerStateCodec.decode(new byte[0], TrackerConfig.defaults()))
        .hasMessageContaining("empty");
  }

  @Test
  void configRefusesNonsense() {
    assertThatThrownBy(() -> config(0, 15)).hasMessageContaining("minHits");
    assertThatThrownBy(
            () -> new TrackerConfig(2, 15, 0.5, 0.7, 0.6, 0.2, 0.5, 0.3, 0.3, 2_000, 256, 256))
        .hasMessageContaining("lowScore");
  }

  @Test
  void theServiceSettingsDefaultToTheTrackerDefaultsAndAreCheckedByName() {
    assertThat(TrackerConfig.of(dev.hydrastream.config.Settings.of(Map.of())))
        .isEqualTo(TrackerConfig.defaults());
    assertThatThrownBy(
            () ->
                dev.hydrastream.config.Settings.of(
                    Map.of("track.low.score", "0.8", "track.high.score", "0.5")))
        .hasMessageContaining("track.low.score");
    assertThatThrownBy(() -> dev.hydrastream.config.Settings.of(Map.of("track.min.hits", "0")))
        .hasMessageContaining("track.min.hits");
  }

  private static TrackerConfig config(int minHits, int maxMisses) {
    return TrackerConfig.defaults().withLifecycle(minHits, maxMisses);
  }
}
