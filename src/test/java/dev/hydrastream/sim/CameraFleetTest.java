package dev.hydrastream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Real-time pacing, synchronized cameras rendered ahead of their capture time, per-camera order,
 * the skip policy and shutdown of the camera fleet.
 */
class CameraFleetTest {

  @Test
  void twoCamerasAtTenFpsForOneSecondAccountForTwentySlotsInOrder() throws Exception {
    List<SimFrame> frames = Collections.synchronizedList(new ArrayList<>());
    CameraFleet.Stats stats;
    long start = System.currentTimeMillis();
    try (CameraFleet fleet = new CameraFleet(2, 7, 10, 160, 96, 2)) {
      stats = fleet.run(Duration.ofSeconds(1), frames::add);
    }
    long took = System.currentTimeMillis() - start;
    // Every capture slot is produced or counted as skipped. How many are produced depends on the
    // machine's load (a render that misses its slot is skipped), so only the accounting, the
    // pacing (no run ends before its last slot) and the order are asserted.
    assertThat(stats.produced() + stats.skipped()).isEqualTo(20);
    assertThat(stats.produced()).isPositive();
    assertThat(frames).hasSize((int) stats.produced());
    assertThat(took).isGreaterThanOrEqualTo(850L);
    Map<String, List<SimFrame>> byCamera = new HashMap<>();
    for (SimFrame f : frames) {
      byCamera.computeIfAbsent(f.cameraId(), k -> new ArrayList<>()).add(f);
    }
    assertThat(byCamera.keySet()).containsExactlyInAnyOrder("cam-0", "cam-1");
    for (List<SimFrame> list : byCamera.values()) {
      for (int i = 1; i < list.size(); i++) {
        assertThat(list.get(i).seq()).isGreaterThan(list.get(i - 1).seq());
        assertThat(list.get(i).captureTs()).isGreaterThan(list.get(i - 1).captureTs());
      }
      SimFrame first = list.get(0);
      assertThat(first.vehicleId()).isEqualTo(first.cameraId().replace("cam", "veh"));
      // capture times are on the wall clock, 100 ms apart
      assertThat(Math.abs(first.captureTs() - start)).isLessThan(1000);
      SimFrame last = list.get(list.size() - 1);
      assertThat(last.captureTs() - first.captureTs())
          .isCloseTo(
              Math.round((last.seq() - first.seq()) * 100.0),
              org.assertj.core.data.Offset.offset(1L));
    }
  }

  @Test
  void framesThatCannotBeRenderedInTimeAreSkippedAndCounted() throws Exception {
    List<SimFrame> frames = Collections.synchronizedList(new ArrayList<>());
    CameraFleet.Stats stats;
    try (CameraFleet fleet = new CameraFleet(1, 3, 200, 320, 180, 1)) {
      // a sink slower than the frame period: the camera must skip to stay on time
      stats =
          fleet.run(
              Duration.ofMillis(500),
              f -> {
                frames.add(f);
                sleep(20);
              });
    }
    assertThat(stats.produced() + stats.skipped()).isEqualTo(100);
    assertThat(stats.skipped()).isGreaterThan(50);
    assertThat(stats.late()).isPositive();
    for (int i = 1; i < frames.size(); i++) {
      assertThat(frames.get(i).seq()).isGreaterThan(frames.get(i - 1).seq());
    }
    // the seq gaps are the skipped frames
    assertThat(frames.get(frames.size() - 1).seq()).isGreaterThan(frames.size());
  }

  @Test
  void stopEndsARunEarlyAndCloseReleasesTheThreads() throws Exception {
    CameraFleet fleet = new CameraFleet(2, 1, 20, 160, 96, 2);
    CountDownLatch first = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              try {
                first.await();
              } catch (InterruptedException e) {
                return;
              }
              fleet.stop();
            });
    stopper.start();
    CameraFleet.Stats stats = fleet.run(Duration.ofMinutes(10), f -> first.countDown());
    stopper.join();
    // stopped long before the 12,000 capture slots of ten minutes
    assertThat(stats.produced()).isPositive();
    assertThat(stats.produced() + stats.skipped()).isLessThan(12_000);
    fleet.close();
    assertThat(fleet.isTerminated()).isTrue();
    assertThatThrownBy(() -> fleet.run(Duration.ofSeconds(1), f -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void camerasAreSynchronizedAndDeliverNoFrameBeforeItsCaptureTime() throws Exception {
    List<long[]> delivered = Collections.synchronizedList(new ArrayList<>());
    List<SimFrame> frames = Collections.synchronizedList(new ArrayList<>());
    try (CameraFleet fleet = new CameraFleet(new int[] {0, 4, 7}, 3, 4, 160, 96, 1)) {
      fleet.run(
          Duration.ofSeconds(2),
          f -> {
            frames.add(f);
            delivered.add(new long[] {f.captureTs(), System.currentTimeMillis()});
          });
    }
    assertThat(frames).isNotEmpty();
    assertThat(frames.stream().map(SimFrame::cameraId).distinct())
        .containsExactlyInAnyOrder("cam-0", "cam-4", "cam-7");
    assertThat(frames).allMatch(f -> f.vehicleId().equals(f.cameraId().replace("cam", "veh")));
    // one trigger: frame n of every camera has the same capture time
    Map<Long, List<Long>> captureBySeq = new HashMap<>();
    for (SimFrame f : frames) {
      captureBySeq.computeIfAbsent(f.seq(), k -> new ArrayList<>()).add(f.captureTs());
    }
    assertThat(captureBySeq.values()).allMatch(ts -> ts.stream().distinct().count() == 1);
    // rendered ahead, published at the capture time, never before it (1 ms of clock rounding)
    assertThat(delivered).allMatch(d -> d[1] >= d[0] - 1);
  }

  @Test
  void anInstantThatIsLateStillArrivesAsOneBurstOfEveryCamera() throws Exception {
    List<SimFrame> frames = Collections.synchronizedList(new ArrayList<>());
    CameraFleet.Stats stats;
    try (CameraFleet fleet = new CameraFleet(new int[] {0, 1, 2}, 5, 100, 320, 180, 1)) {
      // a sink slower than the frame period: instants are late and skipped
      stats =
          fleet.run(
              Duration.ofMillis(600),
              f -> {
                frames.add(f);
                sleep(15);
              });
    }
    assertThat(stats.late()).isPositive();
    assertThat(stats.skipped()).isPositive();
    // skipped for every camera alike, delivered as whole instants, instant after instant
    assertThat(stats.skipped() % 3).isZero();
    assertThat(frames.size() % 3).isZero();
    for (int i = 0; i < frames.size(); i += 3) {
      List<SimFrame> instant = frames.subList(i, i + 3);
      assertThat(instant).extracting(SimFrame::seq).containsOnly(instant.get(0).seq());
      assertThat(instant).extracting(SimFrame::cameraId).containsExactly("cam-0", "cam-1", "cam-2");
      if (i > 0) {
        assertThat(instant.get(0).seq()).isGreaterThan(frames.get(i - 1).seq());
      }
    }
  }

  @Test
  void chosenCameraNumbersMustBeDistinct() {
    assertThatThrownBy(() -> new CameraFleet(new int[] {1, 1}, 1, 5, 160, 96, 1))
        .hasMessageContaining("distinct");
  }

  @Test
  void aFailingSinkFailsTheRun() {
    try (CameraFleet fleet = new CameraFleet(1, 1, 20, 160, 96, 1)) {
      assertThatThrownBy(
              () ->
                  fleet.run(
                      Duration.ofSeconds(5),
                      f -> {
                        throw new IllegalStateException("sink down");
                      }))
          .hasMessage("sink down");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
