package dev.hydrastream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * Simulated video: the same bytes for the same frame whatever the rendering order or thread, small
 * changes between consecutive frames and a new scene at each clip boundary.
 */
class SimulatedCameraTest {
  private static final int W = 320;
  private static final int H = 180;

  private static SimulatedCamera camera(long seed, double clipSeconds) {
    return new SimulatedCamera("cam-0", "veh-0", seed, W, H, 10, clipSeconds, 85, 1_000_000);
  }

  /** Decodes a JPEG into interleaved BGR. */
  static byte[] decode(byte[] jpeg) {
    try (BytePointer buf = new BytePointer(jpeg);
        Mat raw = new Mat(1, jpeg.length, opencv_core.CV_8UC1, buf);
        Mat bgr = opencv_imgcodecs.imdecode(raw, opencv_imgcodecs.IMREAD_COLOR)) {
      byte[] out = new byte[(int) (bgr.total() * bgr.channels())];
      bgr.data().get(out);
      return out;
    }
  }

  /** Mean absolute difference per channel value, 0..255. */
  static double mad(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 255) - (b[i] & 255));
    }
    return sum / (double) a.length;
  }

  @Test
  void sameSeedGivesTheSameBytesWhateverTheOrderAndThread() throws Exception {
    int[] order = {7, 0, 3, 12, 5, 7, 1};
    List<byte[]> sequential = new ArrayList<>();
    try (SimulatedCamera cam = camera(42, 1.0)) {
      for (int seq : order) {
        sequential.add(cam.frame(seq).jpeg());
      }
    }
    // the same frames on a fresh camera each, from two threads, in reverse order
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<byte[]>> futures = new ArrayList<>();
      for (int i = order.length - 1; i >= 0; i--) {
        int seq = order[i];
        futures.add(
            0,
            pool.submit(
                () -> {
                  try (SimulatedCamera cam = camera(42, 1.0)) {
                    return cam.frame(seq).jpeg();
                  }
                }));
      }
      for (int i = 0; i < order.length; i++) {
        assertThat(futures.get(i).get()).as("frame %d", order[i]).isEqualTo(sequential.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
    try (SimulatedCamera other = camera(43, 1.0)) {
      assertThat(other.frame(7).jpeg()).isNotEqualTo(sequential.get(0));
    }
  }

  @Test
  void consecutiveFramesDifferLittleComparedWithOtherClipsAndCameras() {
    double consecutive = 0;
    double across = 0;
    int pairs = 0;
    for (long seed = 1; seed <= 4; seed++) {
      try (SimulatedCamera cam = camera(seed, 20);
          SimulatedCamera other = camera(seed + 100, 20)) {
        byte[] prev = decode(cam.frame(0).jpeg());
        for (int seq = 1; seq <= 5; seq++) {
          byte[] cur = decode(cam.frame(seq).jpeg());
          consecutive += mad(prev, cur);
          // same moment, another camera (another scene); and the next clip of this camera
          across += mad(cur, decode(other.frame(seq).jpeg()));
          across += mad(cur, decode(cam.frame(seq + 200).jpeg()));
          prev = cur;
          pairs++;
        }
      }
    }
    consecutive /= pairs;
    across /= 2 * pairs;
    System.out.printf(
        "mean abs difference at 10 fps: consecutive %.2f, other clip/camera %.2f%n",
        consecutive, across);
    assertThat(consecutive).isLessThan(across / 4);
  }

  @Test
  void aNewSceneStartsExactlyAtTheClipBoundary() {
    try (SimulatedCamera cam = camera(5, 2.0)) {
      // 10 fps, 2 s clips: frames 0..19 are clip 0, frame 20 starts clip 1
      SimFrame f18 = cam.frame(18);
      SimFrame f19 = cam.frame(19);
      SimFrame f20 = cam.frame(20);
      SimFrame f21 = cam.frame(21);
      assertThat(f19.truth().clip()).isZero();
      assertThat(f20.truth().clip()).isEqualTo(1);
      // the clip's truth; what is nearest ahead changes from frame to frame
      assertThat(f18.truth())
          .usingRecursiveComparison()
          .ignoringFields("nearestAhead")
          .isEqualTo(f19.truth());
      assertThat(f20.truth())
          .usingRecursiveComparison()
          .ignoringFields("nearestAhead")
          .isEqualTo(f21.truth());
      double within = mad(decode(f18.jpeg()), decode(f19.jpeg()));
      double boundary = mad(decode(f19.jpeg()), decode(f20.jpeg()));
      double next = mad(decode(f20.jpeg()), decode(f21.jpeg()));
      assertThat(boundary).isGreaterThan(3 * Math.max(within, next));
    }
  }

  @Test
  void framesCarryTheirIdentityAndCaptureTime() {
    try (SimulatedCamera cam = new SimulatedCamera("cam-3", "veh-3", 9, W, H, 30)) {
      SimFrame f = cam.frame(45);
      assertThat(f.cameraId()).isEqualTo("cam-3");
      assertThat(f.vehicleId()).isEqualTo("veh-3");
      assertThat(f.seq()).isEqualTo(45);
      assertThat(f.captureTs()).isEqualTo(1500);
      assertThat(f.width()).isEqualTo(W);
      assertThat(f.height()).isEqualTo(H);
      assertThat(f.jpeg()[0] & 255).isEqualTo(0xFF);
      assertThat(f.jpeg()[1] & 255).isEqualTo(0xD8);
      assertThat(decode(f.jpeg())).hasSize(W * H * 3);
      assertThat(f.truth().scene()).isNotBlank();
    }
  }

  @Test
  void closedCameraRefusesFrames() {
    SimulatedCamera cam = camera(1, 20);
    cam.frame(0);
    cam.close();
    cam.close();
    assertThat(cam.isClosed()).isTrue();
    assertThatThrownBy(() -> cam.frame(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
