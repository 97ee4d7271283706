package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.data.Bdd100kTrackReader;
import dev.hydrastream.data.TrackingDataset;
import dev.hydrastream.tracking.TrackerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tracker scored on the hand-written BDD100K box_track_20 fixture, ground-truth boxes in. */
class TrackingEvaluatorTest {

  private static TrackingEvaluator.Result evaluate(TrackerConfig config) {
    TrackingDataset ds =
        Bdd100kTrackReader.open(Path.of("src/test/resources/bdd100k-fixture/track"));
    return TrackingEvaluator.evaluate(
        ds, "val", null, new TrackingEvaluator.Options(config, 5, 8, 0.3), n -> {});
  }

  @Test
  void groundTruthBoxesOnTheFixture() {
    TrackerConfig d = TrackerConfig.defaults();
    TrackingEvaluator.Result r = evaluate(d.withLifecycle(2, d.maxMisses()));
    // Birth after 2 hits: an object is missed in its first frame, then tracked.
    // video 1: frame 0 misses 3; frame 1 finds 3; frame 2 finds 2, misses the new truck.
    // video 2: frame 0 misses the bus; frame 1 finds it, misses the new rider.
    TrackingMetrics.Result m = r.metrics();
    assertThat(r.videos()).isEqualTo(2);
    assertThat(r.detections()).isEqualTo("gt");
    assertThat(r.detectionMap()).isNull();
    assertThat(m.frames()).isEqualTo(5);
    assertThat(m.truePositives()).isEqualTo(6);
    assertThat(m.misses()).isEqualTo(6);
    assertThat(m.falsePositives()).isZero();
    assertThat(m.idSwitches()).isZero();
    assertThat(m.mota()).isEqualTo(0.5);
    assertThat(m.gtTracks()).isEqualTo(6);
    assertThat(m.predictedTracks()).isEqualTo(4);
    // Birth on the first hit (the default): every box is tracked, under one id per object.
    TrackingMetrics.Result all = evaluate(TrackerConfig.defaults()).metrics();
    assertThat(all.mota()).isEqualTo(1.0);
    assertThat(all.idf1()).isEqualTo(1.0);
    assertThat(all.predictedTracks()).isEqualTo(6);
  }
}
