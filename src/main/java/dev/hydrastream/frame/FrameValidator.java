package dev.hydrastream.frame;

/**
 * Byte-level checks run before any pixel memory is allocated: magic-byte whitelist (JPEG, PNG),
 * byte-size cap, dimension cap read from the header, and an end-marker check that catches truncated
 * frames (OpenCV would otherwise decode a truncated JPEG into a half-grey image). Native decoding
 * is reached only by frames that pass these checks. Used by the service, {@code infer}, {@code
 * eval} and training alike.
 *
 * @param maxBytes largest encoded frame accepted
 * @param maxWidth widest frame accepted
 * @param maxHeight tallest frame accepted
 */
public record FrameValidator(int maxBytes, int maxWidth, int maxHeight) {

  /** Default byte cap (the {@code frame.max.bytes} setting's default). */
  public static final int DEFAULT_MAX_BYTES = 4 << 20;

  /** Default width and height cap ({@code frame.max.width}/{@code frame.max.height}). */
  public static final int DEFAULT_MAX_SIDE = 4096;

  /** The validator with the default caps. */
  public static FrameValidator defaults() {
    return new FrameValidator(DEFAULT_MAX_BYTES, DEFAULT_MAX_SIDE, DEFAULT_MAX_SIDE);
  }

  /** The format and {@code {width, height}} of an acceptable image, else a rejection. */
  public record Checked(ImageHeader.Format format, int width, int height) {}

  /** Validates {@code image}; throws {@link InvalidFrameException} naming the problem. */
  public Checked check(byte[] image) {
    if (image == null || image.length == 0) {
      throw new InvalidFrameException(FrameProblem.EMPTY, "no image bytes");
    }
    if (image.length > maxBytes) {
      throw new InvalidFrameException(
          FrameProblem.TOO_MANY_BYTES, image.length + " bytes > frame.max.bytes=" + maxBytes);
    }
    ImageHeader.Format format = ImageHeader.format(image);
    if (format == null) {
      throw new InvalidFrameException(
          FrameProblem.UNSUPPORTED_FORMAT,
          "magic bytes " + hex(image, 8) + " are neither JPEG (FF D8 FF) nor PNG");
    }
    int[] wh = ImageHeader.size(image);
    if (wh == null) {
      throw new InvalidFrameException(
          FrameProblem.UNREADABLE_HEADER,
          format + " header without readable dimensions (" + image.length + " bytes)");
    }
    if (wh[0] > maxWidth || wh[1] > maxHeight) {
      throw new InvalidFrameException(
          FrameProblem.TOO_MANY_PIXELS,
          format
              + " declares "
              + wh[0]
              + "x"
              + wh[1]
              + " > frame.max.width x frame.max.height = "
              + maxWidth
              + "x"
              + maxHeight);
    }
    if (!complete(format, image)) {
      throw new InvalidFrameException(
          FrameProblem.TRUNCATED,
          format
              + " of "
              + image.length
              + " bytes has no "
              + (format == ImageHeader.Format.JPEG ? "EOI (FF D9)" : "IEND chunk")
              + " at its end");
    }
    return new Checked(format, wh[0], wh[1]);
  }

  /** True if the image ends with its format's end marker (trailing padding zeros allowed). */
  static boolean complete(ImageHeader.Format format, byte[] b) {
    int end = b.length;
    while (end > 0 && b[end - 1] == 0) {
      end--;
    }
    if (format == ImageHeader.Format.JPEG) {
      return end >= 4 && (b[end - 2] & 255) == 0xFF && (b[end - 1] & 255) == 0xD9;
    }
    // PNG: the last chunk is IEND: length 0, type "IEND", CRC AE 42 60 82.
    return end >= 20
        && b[end - 8] == 'I'
        && b[end - 7] == 'E'
        && b[end - 6] == 'N'
        && b[end - 5] == 'D';
  }

  static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, b.length); i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 255));
    }
    return sb.toString();
  }
}
