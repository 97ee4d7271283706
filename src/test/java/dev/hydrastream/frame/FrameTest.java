package dev.hydrastream.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.testing.Malformed;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Header sniffing, letterbox geometry and decoding with real OpenCV-encoded images. */
class FrameTest {

  private static byte[] encode(String ext, int w, int h) {
    try (Mat m = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(30, 120, 200, 0));
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 90)) {
      opencv_imgcodecs.imencode(ext, m, buf, params);
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  @Test
  void headerGivesFormatAndSizeOfRealImages() {
    byte[] jpeg = encode(".jpg", 1280, 720);
    byte[] png = encode(".png", 321, 123);
    assertThat(ImageHeader.format(jpeg)).isEqualTo(ImageHeader.Format.JPEG);
    assertThat(ImageHeader.size(jpeg)).containsExactly(1280, 720);
    assertThat(ImageHeader.format(png)).isEqualTo(ImageHeader.Format.PNG);
    assertThat(ImageHeader.size(png)).containsExactly(321, 123);
  }

  @Test
  void headerRejectsForeignOrBrokenBytes() {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0};
    byte[] random = new byte[500];
    new Random(1).nextBytes(random);
    random[0] = 0x12;
    assertThat(ImageHeader.format(tiff)).isNull();
    assertThat(ImageHeader.format(random)).isNull();
    assertThat(ImageHeader.format(new byte[0])).isNull();
    byte[] jpeg = encode(".jpg", 64, 48);
    assertThat(ImageHeader.size(Arrays.copyOf(jpeg, 6))).isNull();
    // a PNG header declaring 100000 x 100000 is read without decoding anything
    byte[] png = encode(".png", 8, 8);
    byte[] huge = png.clone();
    huge[16] = 0;
    huge[17] = 1;
    huge[18] = (byte) 0x86;
    huge[19] = (byte) 0xA0;
    System.arraycopy(huge, 16, huge, 20, 4);
    assertThat(ImageHeader.size(huge)).containsExactly(100000, 100000);
  }

  @Test
  void letterboxCentresAndInverts() {
    Letterbox lb = Letterbox.of(1280, 720, 384, 224);
    assertThat(lb.width()).isEqualTo(384);
    assertThat(lb.height()).isEqualTo(216);
    assertThat(lb.padX()).isZero();
    assertThat(lb.padY()).isEqualTo(4);
    assertThat(lb.toInputY(0)).isEqualTo(4.0);
    assertThat(lb.toFrameX(lb.toInputX(640)))
        .isCloseTo(640, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(lb.toFrameY(lb.toInputY(700)))
        .isCloseTo(700, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(lb.toFrameY(0)).isZero(); // padding clamps to the frame
    Letterbox tall = Letterbox.of(500, 1000, 384, 224);
    assertThat(tall.padX()).isPositive();
    assertThat(tall.padY()).isZero();
  }

  @Test
  void reducedScaleDecodeFillsTheLetterboxedInput() {
    FrameDecoder d = new FrameDecoder(384, 224, true);
    FrameDecoder.Decoded out = d.decode(encode(".jpg", 1280, 720), FrameValidator.defaults());
    assertThat(out.rgb()).hasSize(384 * 224 * 3);
    // padding rows are black, image rows carry the colour (BGR 30,120,200 -> RGB 200,120,30)
    assertThat(out.rgb()[0]).isZero();
    int mid = (112 * 384 + 192) * 3;
    assertThat(out.rgb()[mid] & 255).isBetween(190, 210);
    assertThat(out.rgb()[mid + 1] & 255).isBetween(110, 130);
    assertThat(out.rgb()[mid + 2] & 255).isBetween(20, 40);
  }

  @Test
  void corruptJpegIsAClearError() {
    byte[] jpeg = encode(".jpg", 640, 360);
    // everything the validator reads (SOI, tables, SOF, EOI) but no scan: passes the checks,
    // and libjpeg refuses it
    int sof = Malformed.sofOffset(jpeg);
    int sofEnd = sof + 2 + (((jpeg[sof + 2] & 255) << 8) | (jpeg[sof + 3] & 255));
    byte[] broken = Arrays.copyOf(jpeg, sofEnd + 2);
    broken[sofEnd] = (byte) 0xFF;
    broken[sofEnd + 1] = (byte) 0xD9;
    FrameDecoder d = new FrameDecoder(384, 224, true);
    assertThatThrownBy(() -> d.decode(broken, FrameValidator.defaults()))
        .isInstanceOfSatisfying(
            InvalidFrameException.class,
            e -> assertThat(e.problem()).isEqualTo(FrameProblem.UNDECODABLE))
        .hasMessageContaining("could not decode");
  }
}
