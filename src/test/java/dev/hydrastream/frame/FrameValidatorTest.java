package dev.hydrastream.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.testing.Corrupt;
import dev.hydrastream.testing.Malformed;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameValidatorTest {

  private final FrameValidator validator = new FrameValidator(4 << 20, 4096, 4096);

  @Test
  void acceptsJpegAndPng() {
    FrameValidator.Checked jpeg = validator.check(Corrupt.jpeg(640, 360));
    assertThat(jpeg.width()).isEqualTo(640);
    assertThat(jpeg.height()).isEqualTo(360);
    FrameValidator.Checked png = validator.check(Corrupt.png(64, 32));
    assertThat(png.width()).isEqualTo(64);
  }

  @Test
  void reasons() {
    byte[] jpeg = Corrupt.jpeg(640, 360);
    assertReason(new byte[0], FrameProblem.EMPTY);
    assertReason(new byte[1000], FrameProblem.UNSUPPORTED_FORMAT);
    byte[] random = new byte[5000];
    new Random(1).nextBytes(random);
    random[0] = 0x13;
    assertReason(random, FrameProblem.UNSUPPORTED_FORMAT);
    assertReason(Corrupt.tiff(), FrameProblem.UNSUPPORTED_FORMAT);
    assertReason(Arrays.copyOf(jpeg, jpeg.length / 2), FrameProblem.TRUNCATED);
    assertReason(Arrays.copyOf(jpeg, 40), FrameProblem.UNREADABLE_HEADER);
    assertReason(Corrupt.hugePng(100_000, 100_000), FrameProblem.TOO_MANY_PIXELS);
    assertReason(new byte[5 << 20], FrameProblem.TOO_MANY_BYTES);
    // an IHDR with a bit depth PNG does not define for its colour type
    byte[] png = Corrupt.png(64, 32);
    png[24] = 3;
    assertReason(png, FrameProblem.UNREADABLE_HEADER);
  }

  /** Twenty inputs of each kind, each refused with the problem the corpus says it is owed. */
  @ParameterizedTest
  @EnumSource(names = {"PROGRESSIVE_JPEG", "CMYK_JPEG", "ODD_JPEG_CODING", "PNG_ABSURD_CHUNK"})
  void refusesJpegCodingsNoCameraSendsAndBrokenPngChunks(Malformed.Kind kind) {
    Malformed corpus = new Malformed(3);
    for (int i = 0; i < 20; i++) {
      Malformed.Input in = corpus.make(kind);
      assertReason(in.value(), FrameProblem.valueOf(in.expected().name()));
    }
  }

  @Test
  void namesTheJpegCodingsItRefuses() {
    Malformed corpus = new Malformed(3);
    assertThatThrownBy(() -> validator.check(corpus.make(Malformed.Kind.PROGRESSIVE_JPEG).value()))
        .hasMessageContaining("progressive");
    assertThatThrownBy(() -> validator.check(corpus.make(Malformed.Kind.CMYK_JPEG).value()))
        .hasMessageContaining("CMYK");
  }

  private void assertReason(byte[] bytes, FrameProblem reason) {
    assertThatThrownBy(() -> validator.check(bytes))
        .isInstanceOfSatisfying(
            InvalidFrameException.class, e -> assertThat(e.problem()).isEqualTo(reason));
  }
}
