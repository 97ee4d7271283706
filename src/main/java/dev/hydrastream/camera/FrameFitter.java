package dev.hydrastream.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes a frame's JPEG fit into one Kafka record: a JPEG over the budget ({@code max.request.size}
 * less the key, headers and framing) is encoded again at lower quality, then at smaller sizes,
 * until it fits; a frame that does not fit even at the last step is refused with an error that
 * names the camera, the frame and the sizes. The steps: the requested quality, then 75, 60 and 45
 * (those below it), then 3/4, 1/2, 1/3 and 1/4 of the size at quality 45 (or the requested quality
 * if lower), as long as the width stays at least {@value #MIN_WIDTH} pixels.
 */
final class FrameFitter {

  /** The smallest width a re-encode goes down to. */
  static final int MIN_WIDTH = 160;

  private static final int[] QUALITIES = {75, 60, 45};
  private static final double[] SCALES = {0.75, 0.5, 1.0 / 3, 0.25};

  /** Encodes the frame at a quality and a scale of its (already limited) size. */
  @FunctionalInterface
  interface Encoder {
    Jpeg encode(int quality, double scale);
  }

  /**
   * An encoded frame.
   *
   * @param bytes the JPEG
   * @param width its width
   * @param height its height
   */
  record Jpeg(byte[] bytes, int width, int height) {}

  /**
   * A frame that fits.
   *
   * @param jpeg the JPEG that fits
   * @param quality its quality
   * @param attempts encodings made (1: it fitted at once; more: it was re-encoded)
   */
  record Fit(Jpeg jpeg, int quality, int attempts) {
    boolean reencoded() {
      return attempts > 1;
    }
  }

  /** A frame refused because no step made it fit; the message names camera, frame and sizes. */
  static final class TooLargeException extends Exception {
    TooLargeException(String message) {
      super(message);
    }
  }

  private FrameFitter() {}

  /**
   * Encodes a frame so that it fits {@code budgetBytes}.
   *
   * @param what the frame named in an error, e.g. {@code camera cab frame 1234}
   * @param maxRequestSize the producer's {@code max.request.size}, named in an error
   * @throws TooLargeException when even the smallest step is over the budget
   */
  static Fit fit(Encoder encoder, int quality, int budgetBytes, String what, int maxRequestSize)
      throws TooLargeException {
    List<String> tried = new ArrayList<>();
    Jpeg first = encoder.encode(quality, 1.0);
    if (first.bytes().length <= budgetBytes) {
      return new Fit(first, quality, 1);
    }
    tried.add(describe(first, quality));
    int attempts = 1;
    int lastQuality = quality;
    for (int q : QUALITIES) {
      if (q >= quality) {
        continue;
      }
      Jpeg j = encoder.encode(q, 1.0);
      attempts++;
      lastQuality = q;
      if (j.bytes().length <= budgetBytes) {
        return new Fit(j, q, attempts);
      }
      tried.add(describe(j, q));
    }
    for (double s : SCALES) {
      if (first.width() * s < MIN_WIDTH) {
        break;
      }
      Jpeg j = encoder.encode(lastQuality, s);
      attempts++;
      if (j.bytes().length <= budgetBytes) {
        return new Fit(j, lastQuality, attempts);
      }
      tried.add(describe(j, lastQuality));
    }
    throw new TooLargeException(
        String.format(
            Locale.ROOT,
            "%s refused: its JPEG does not fit max.request.size %,d bytes (%,d for the image after"
                + " key and headers); tried %s. Raise --producer max.request.size (and the topic's"
                + " max.message.bytes) or lower --max-width/--jpeg-quality",
            what,
            maxRequestSize,
            budgetBytes,
            String.join(", ", tried)));
  }

  private static String describe(Jpeg j, int quality) {
    return String.format(
        Locale.ROOT, "%dx%d q%d = %,d bytes", j.width(), j.height(), quality, j.bytes().length);
  }
}
