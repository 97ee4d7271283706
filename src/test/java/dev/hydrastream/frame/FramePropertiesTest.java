package dev.hydrastream.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.testing.Corrupt;
import dev.hydrastream.testing.Malformed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based tests of validation and decoding: whatever bytes arrive, the validator gives a
 * verdict (an accepted image or an {@link InvalidFrameException} naming the problem) and nothing
 * else; and the native decoder is reached only by whitelisted formats under the byte and dimension
 * caps, counted by a probe in front of it.
 */
class FramePropertiesTest {

  private static List<byte[]> bases;

  @BeforeContainer
  static void bases() {
    Malformed corpus = new Malformed(7);
    bases = new ArrayList<>();
    bases.add(Corrupt.jpeg(160, 90));
    bases.add(Corrupt.png(96, 54));
    for (Malformed.Kind k :
        List.of(
            Malformed.Kind.VALID_RAW,
            Malformed.Kind.VALID_RAW,
            Malformed.Kind.PROGRESSIVE_JPEG,
            Malformed.Kind.CMYK_JPEG,
            Malformed.Kind.HUGE_PNG_DIMS)) {
      bases.add(corpus.make(k).value());
    }
  }

  @Property(tries = 3000)
  void anyBytesGetAVerdict(@ForAll @Size(max = 4096) byte[] bytes) {
    verdict(FrameValidator.defaults(), bytes);
  }

  @Property(tries = 3000)
  void mutatedImagesGetAVerdict(@ForAll("mutated") byte[] bytes) {
    verdict(FrameValidator.defaults(), bytes);
  }

  @Property(tries = 1500)
  void onlyWhitelistedImagesUnderTheCapsReachTheNativeDecoder(
      @ForAll("mutated") byte[] bytes,
      @ForAll @IntRange(min = 16, max = 400) int maxSide,
      @ForAll @IntRange(min = 64, max = 60_000) int maxBytes) {
    FrameValidator caps = new FrameValidator(maxBytes, maxSide, maxSide);
    List<FrameValidator.Checked> reached = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(64, 48, true, reached::add);
    boolean accepted = verdict(caps, bytes) != null;
    try {
      FrameDecoder.Decoded d = decoder.decode(bytes, caps);
      assertThat(d.rgb()).hasSize(64 * 48 * 3);
    } catch (InvalidFrameException e) {
      assertThat(e.problem()).isNotNull();
    }
    assertThat(reached).hasSize(accepted ? 1 : 0);
    for (FrameValidator.Checked c : reached) {
      byte[] b = c.bytes();
      assertThat(b).isSameAs(bytes);
      assertThat(b.length).isLessThanOrEqualTo(maxBytes);
      boolean jpeg = (b[0] & 255) == 0xFF && (b[1] & 255) == 0xD8 && (b[2] & 255) == 0xFF;
      boolean png = (b[0] & 255) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
      assertThat(jpeg || png).as("whitelisted magic").isTrue();
      ImageHeader.Info h = ImageHeader.read(b);
      assertThat(h.width()).isBetween(1, maxSide);
      assertThat(h.height()).isBetween(1, maxSide);
      if (jpeg) {
        assertThat(h.coding()).isIn(0xC0, 0xC1);
        assertThat(h.precision()).isEqualTo(8);
        assertThat(h.components()).isIn(1, 3);
      }
      assertThat(FrameValidator.complete(h.format(), b)).as("end marker").isTrue();
    }
  }

  /** The validator's verdict: the accepted image or null, and never an unexpected exception. */
  private static FrameValidator.Checked verdict(FrameValidator v, byte[] bytes) {
    try {
      FrameValidator.Checked c = v.check(bytes);
      assertThat(c.length()).isLessThanOrEqualTo(v.maxBytes());
      assertThat(c.width()).isBetween(1, v.maxWidth());
      assertThat(c.height()).isBetween(1, v.maxHeight());
      return c;
    } catch (InvalidFrameException e) {
      assertThat(e.problem()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
  }

  /** Real images (JPEG, PNG, progressive, CMYK, huge PNG header) after random mutations. */
  @Provide
  Arbitrary<byte[]> mutated() {
    Arbitrary<Integer> base = Arbitraries.integers().between(0, bases.size() - 1);
    Arbitrary<Integer> op = Arbitraries.integers().between(0, 5);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(base, op, seed).as((b, o, s) -> mutate(bases.get(b), o, s));
  }

  private static byte[] mutate(byte[] image, int op, long seed) {
    java.util.Random r = new java.util.Random(seed);
    byte[] b = image.clone();
    switch (op) {
      case 0 -> {
        // bit flips anywhere
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncated
      case 2 -> {
        // header bytes overwritten
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          b[r.nextInt(Math.min(b.length, 64))] = (byte) r.nextInt(256);
        }
      }
      case 3 -> {
        // a random run of bytes inserted
        byte[] run = new byte[1 + r.nextInt(64)];
        r.nextBytes(run);
        int at = r.nextInt(b.length);
        byte[] out = new byte[b.length + run.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(run, 0, out, at, run.length);
        System.arraycopy(b, at, out, at + run.length, b.length - at);
        b = out;
      }
      case 4 -> {
        // a 32-bit field set to an extreme (lengths, dimensions)
        int at = r.nextInt(Math.max(1, b.length - 4));
        int v = r.nextBoolean() ? 0xFFFFFFFF : 0x7FFFFFFF;
        for (int i = 0; i < 4 && at + i < b.length; i++) {
          b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
      }
      default -> {
        // unchanged, or unchanged with padding zeros
        if (r.nextBoolean()) {
          b = Arrays.copyOf(b, b.length + r.nextInt(16));
        }
      }
    }
    return b;
  }
}
