package dev.hydrastream.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameFitterTest {

  /** A fake encoder: size proportional to quality and area, like a JPEG roughly is. */
  private final List<String> calls = new ArrayList<>();

  private FrameFitter.Encoder encoder(int width, int height, double bytesPerPixelAtQ100) {
    return (q, s) -> {
      calls.add("q" + q + "@" + s);
      int w = (int) Math.round(width * s);
      int h = (int) Math.round(height * s);
      return new FrameFitter.Jpeg(new byte[(int) (w * h * bytesPerPixelAtQ100 * q / 100)], w, h);
    };
  }

  @Test
  void aFrameThatFitsIsEncodedOnce() throws Exception {
    FrameFitter.Fit f =
        FrameFitter.fit(encoder(1920, 1080, 0.5), 85, 4 << 20, "camera a frame 1", 4 << 20);
    assertThat(f.reencoded()).isFalse();
    assertThat(f.quality()).isEqualTo(85);
    assertThat(calls).containsExactly("q85@1.0");
  }

  @Test
  void aLargeFrameIsReencodedAtLowerQualityFirst() throws Exception {
    // 1920x1080 at q85: 881 kB; budget 600 kB: q60 (622 kB) is too big, q45 fits.
    FrameFitter.Fit f =
        FrameFitter.fit(encoder(1920, 1080, 0.5), 85, 600_000, "camera a frame 1", 1 << 20);
    assertThat(f.reencoded()).isTrue();
    assertThat(f.quality()).isEqualTo(45);
    assertThat(f.jpeg().width()).isEqualTo(1920);
    assertThat(calls).containsExactly("q85@1.0", "q75@1.0", "q60@1.0", "q45@1.0");
  }

  @Test
  void thenAtSmallerSizesKeepingTheAspect() throws Exception {
    FrameFitter.Fit f =
        FrameFitter.fit(encoder(1920, 1080, 2.0), 90, 300_000, "camera a frame 1", 1 << 20);
    assertThat(f.jpeg().bytes().length).isLessThanOrEqualTo(300_000);
    assertThat(f.jpeg().width()).isLessThan(1920);
    assertThat((double) f.jpeg().width() / f.jpeg().height()).isCloseTo(16 / 9.0, within(0.01));
    assertThat(f.attempts()).isGreaterThan(4);
  }

  @Test
  void aFrameThatNeverFitsIsRefusedNamingCameraFrameAndSizes() {
    assertThatThrownBy(
            () ->
                FrameFitter.fit(
                    encoder(1920, 1080, 8.0), 85, 10_000, "camera cab frame 42", 65_536))
        .isInstanceOf(FrameFitter.TooLargeException.class)
        .hasMessageContaining("camera cab frame 42")
        .hasMessageContaining("65,536")
        .hasMessageContaining("10,000")
        .hasMessageContaining("1920x1080 q85")
        .hasMessageContaining("480x270 q45");
    // Never narrower than the minimum width.
    assertThat(calls).doesNotContain("q45@0.0625");
  }

  @Test
  void aLowRequestedQualityIsNotRaised() throws Exception {
    FrameFitter.Fit f =
        FrameFitter.fit(encoder(1280, 720, 1.0), 40, 200_000, "camera a frame 1", 1 << 20);
    assertThat(calls).allMatch(c -> c.startsWith("q40@"));
    assertThat(f.quality()).isEqualTo(40);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
