package dev.hydrastream.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.sim.SimFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real clips of real street frames, encoded by ffmpeg at test time (H.264, H.265, MJPEG), decoded
 * by the gateway into JPEGs with their capture times; no broker (the sink is a list).
 */
class CameraDecodeTest {

  private static final int FPS = 5;
  private static final int ROUNDS = 3;

  @TempDir static Path tmp;

  private final List<SimFrame> got = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void available() {
    TestClips.assumeAvailable();
  }

  private List<CameraSummary> run(CameraSettings settings, CameraSource... cameras)
      throws Exception {
    try (CameraGateway g =
        new CameraGateway(
                List.of(cameras),
                settings,
                (f, acked) -> {
                  got.add(f);
                  acked.accept(null);
                })
            .open()) {
      return g.run(Duration.ofMinutes(2));
    }
  }

  @ParameterizedTest(name = "{0} in .{1}")
  @CsvSource({"libx264, mp4", "libx265, mp4", "libx265, mkv", "mjpeg, avi"})
  void decodesEveryFrameWithCaptureTimesFromThePts(String codec, String ext) throws Exception {
    Path clip = TestClips.encode(tmp.resolve(codec + "." + ext), codec, FPS, ROUNDS);
    long before = System.currentTimeMillis();
    List<CameraSummary> s = run(CameraSettings.defaults(), CameraSource.of("cab", clip.toString()));

    int frames = 5 * ROUNDS;
    assertThat(got).hasSize(frames);
    assertThat(s.get(0).state()).isEqualTo("ended");
    assertThat(s.get(0).framesRead()).isEqualTo(frames);
    assertThat(s.get(0).sent()).isEqualTo(frames);
    assertThat(s.get(0).unaccounted()).isZero();
    for (int i = 0; i < frames; i++) {
      SimFrame f = got.get(i);
      assertThat(f.cameraId()).isEqualTo("cab");
      assertThat(f.seq()).isEqualTo(i);
      // Played as fast as it decodes, yet the capture times are 1/fps apart: they come from the
      // PTS, not from when the frame was sent.
      assertThat(f.captureTs() - got.get(0).captureTs()).isEqualTo(i * 1000L / FPS);
      assertThat(f.width()).isEqualTo(1000);
      assertThat(f.height()).isEqualTo(562);
    }
    assertThat(got.get(0).captureTs()).isBetween(before, System.currentTimeMillis());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(got.get(7).jpeg()));
    assertThat(img.getWidth()).isEqualTo(1000);
  }

  @Test
  void maxWidthKeepsTheAspectAndQualityChangesTheSize() throws Exception {
    Path clip = TestClips.encode(tmp.resolve("w.mp4"), "libx264", FPS, 1);
    run(CameraSettings.defaults().withJpeg(90, 500), CameraSource.of("a", clip.toString()));
    assertThat(got).allSatisfy(f -> assertThat(f.width()).isEqualTo(500));
    assertThat(got).allSatisfy(f -> assertThat(f.height()).isEqualTo(281));
    int q90 = got.get(0).jpeg().length;
    got.clear();
    run(CameraSettings.defaults().withJpeg(30, 500), CameraSource.of("a", clip.toString()));
    assertThat(got.get(0).jpeg().length).isLessThan(q90);
  }

  @Test
  void throttlesByStreamTimeAndCountsTheDrops() throws Exception {
    Path clip = TestClips.encode(tmp.resolve("t.mp4"), "libx264", 10, 3); // 15 frames, 1.5 s
    List<CameraSummary> s =
        run(
            CameraSettings.defaults().withThrottle(5, DropPolicy.NEWEST),
            CameraSource.of("a", clip.toString()));
    assertThat(s.get(0).framesRead()).isEqualTo(15);
    assertThat(s.get(0).sent()).isEqualTo(8);
    assertThat(s.get(0).dropped()).isEqualTo(7);
    // frame_seq counts frames read: the dropped ones leave gaps.
    assertThat(got).extracting(SimFrame::seq).containsExactly(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L);
  }

  @Test
  void oversizeFramesAreReencodedToFit() throws Exception {
    Path clip = TestClips.encode(tmp.resolve("o.mp4"), "libx264", FPS, 1);
    List<CameraSummary> s =
        run(
            CameraSettings.defaults().withJpeg(100, 0).withMaxRequestSize(80_000),
            CameraSource.of("a", clip.toString()));
    assertThat(s.get(0).reencoded()).isEqualTo(5);
    assertThat(s.get(0).refused()).isZero();
    assertThat(got).hasSize(5).allSatisfy(f -> assertThat(f.jpeg().length).isLessThan(80_000));
  }

  @Test
  void loopContinuesFrameSeqAndCaptureTime() throws Exception {
    Path clip = TestClips.encode(tmp.resolve("l.mp4"), "libx264", FPS, 1);
    CameraSettings settings = CameraSettings.defaults().withPlayback(false, true);
    try (CameraGateway g =
        new CameraGateway(
                List.of(CameraSource.of("a", clip.toString())),
                settings,
                (f, acked) -> {
                  got.add(f);
                  acked.accept(null);
                })
            .open()) {
      Thread stopper =
          new Thread(
              () -> {
                while (got.size() < 12) {
                  Thread.onSpinWait();
                }
                g.stop();
              });
      stopper.start();
      List<CameraSummary> s = g.run(Duration.ofMinutes(1));
      assertThat(s.get(0).state()).isEqualTo("stopped");
    }
    for (int i = 1; i < 12; i++) {
      assertThat(got.get(i).seq()).isEqualTo(i);
      assertThat(got.get(i).captureTs() - got.get(i - 1).captureTs()).isEqualTo(200);
    }
  }

  @Test
  void anUnopenableSourceNamesTheCameraAndTheSource() throws Exception {
    Path notVideo = tmp.resolve("notes.txt");
    java.nio.file.Files.writeString(notVideo, "not a video");
    assertThatThrownBy(
            () -> run(CameraSettings.defaults(), CameraSource.of("rear", notVideo.toString())))
        .hasMessageContaining("camera rear")
        .hasMessageContaining(notVideo.toString());
    assertThatThrownBy(
            () ->
                run(
                    CameraSettings.defaults(),
                    CameraSource.of("side", tmp.resolve("no.mp4").toString())))
        .hasMessageContaining("camera side")
        .hasMessageContaining("no.mp4");
    assertThatThrownBy(
            () ->
                run(
                    CameraSettings.defaults()
                        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200)),
                    CameraSource.of("front", "rtsp://127.0.0.1:1/none")))
        .hasMessageContaining("camera front")
        .hasMessageContaining("rtsp://127.0.0.1:1/none");
  }
}
