package dev.hydrastream.camera;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureClockTest {

  /** A new clock per test (JUnit makes a new instance of the class for each). */
  private final CaptureClock clock = new CaptureClock();

  @Test
  void captureTimeIsTheFirstFramesWallClockPlusThePts() {
    long t0 = 1_700_000_000_000L;
    // A stream whose PTS starts at 3.6 s (RTSP and MPEG-TS rarely start at 0), read late and
    // in bursts: the send times do not matter, only the PTS.
    assertThat(clock.captureTs(3_600_000, t0, 40)).isEqualTo(t0);
    assertThat(clock.captureTs(3_640_000, t0 + 500, 40)).isEqualTo(t0 + 40);
    assertThat(clock.captureTs(3_680_000, t0 + 501, 40)).isEqualTo(t0 + 80);
    assertThat(clock.captureTs(4_600_000, t0 + 502, 40)).isEqualTo(t0 + 1000);
  }

  @Test
  void microsecondsRoundDown() {
    assertThat(clock.captureTs(0, 1000, 33)).isEqualTo(1000);
    assertThat(clock.captureTs(33_333, 1000, 33)).isEqualTo(1033);
    assertThat(clock.captureTs(66_667, 1000, 33)).isEqualTo(1066);
  }

  @Test
  void aReconnectAnchorsAtTheWallClockAgain() {
    clock.captureTs(0, 10_000, 100);
    clock.captureTs(900_000, 10_000, 100); // 10,900
    clock.newTimeline();
    // Back after a 5 s outage; the new session's PTS starts anywhere.
    assertThat(clock.captureTs(77_000_000, 16_000, 100)).isEqualTo(16_000);
    assertThat(clock.captureTs(77_100_000, 16_000, 100)).isEqualTo(16_100);
  }

  @Test
  void aLoopedFilePlayedFastContinuesItsTimelineWithoutOverlap() {
    clock.captureTs(0, 10_000, 200);
    long last = clock.captureTs(2_800_000, 10_050, 200); // 12,800: 3 s of video read in 50 ms
    clock.newTimeline();
    assertThat(clock.captureTs(0, 10_060, 200)).isEqualTo(last + 200);
  }

  @Test
  void aPtsGoingBackwardsNeverMovesCaptureTimeBack() {
    clock.captureTs(5_000_000, 10_000, 40);
    long last = clock.captureTs(5_040_000, 10_000, 40);
    long next = clock.captureTs(1_000_000, 10_001, 40);
    assertThat(next).isGreaterThan(last);
  }
}
