package dev.hydrastream.frame;

/**
 * Byte-level checks run before any pixel memory is allocated: magic-byte whitelist (JPEG, PNG),
 * byte-size cap, dimension cap read from the header, a coding whitelist (baseline or sequential
 * 8-bit grey or YCbCr JPEG: what cameras send; any valid PNG), a structure check (PNG chunks that
 * fit the bytes) and an end-marker check that catches truncated frames (OpenCV would otherwise
 * decode a truncated JPEG into a half-grey image). Native decoding is reached only by frames that
 * pass these checks: {@link FrameDecoder} decodes nothing but a {@link Checked}, which only {@link
 * #check} creates. Used by the service, {@code infer}, {@code eval} and training alike.
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

  /** JPEG start-of-frame markers accepted: baseline and extended sequential (Huffman) DCT. */
  private static final int SOF_BASELINE = 0xC0;

  private static final int SOF_EXTENDED = 0xC1;

  /** The validator with the default caps. */
  public static FrameValidator defaults() {
    return new FrameValidator(DEFAULT_MAX_BYTES, DEFAULT_MAX_SIDE, DEFAULT_MAX_SIDE);
  }

  /**
   * An image that passed {@link #check}: its bytes, format and declared size. Only the validator
   * creates one, so holding one proves the bytes were checked.
   */
  public static final class Checked {
    private final byte[] bytes;
    private final ImageHeader.Info header;

    private Checked(byte[] bytes, ImageHeader.Info header) {
      this.bytes = bytes;
      this.header = header;
    }

    /** The encoded image that was checked (not copied: do not modify it). */
    byte[] bytes() {
      return bytes;
    }

    public ImageHeader.Format format() {
      return header.format();
    }

    public int width() {
      return header.width();
    }

    public int height() {
      return header.height();
    }

    /** Encoded size in bytes. */
    public int length() {
      return bytes.length;
    }
  }

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
    ImageHeader.Info info = ImageHeader.read(image);
    if (info == null) {
      throw new InvalidFrameException(
          FrameProblem.UNREADABLE_HEADER,
          format + " header without readable dimensions (" + image.length + " bytes)");
    }
    if (info.width() > maxWidth || info.height() > maxHeight) {
      throw new InvalidFrameException(
          FrameProblem.TOO_MANY_PIXELS,
          format
              + " declares "
              + info.width()
              + "x"
              + info.height()
              + " > frame.max.width x frame.max.height = "
              + maxWidth
              + "x"
              + maxHeight);
    }
    String unsupported = unsupportedCoding(info);
    if (unsupported != null) {
      throw new InvalidFrameException(FrameProblem.UNSUPPORTED_FORMAT, unsupported);
    }
    String broken = format == ImageHeader.Format.PNG ? brokenChunk(image) : null;
    if (broken != null) {
      throw new InvalidFrameException(FrameProblem.TRUNCATED, broken);
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
    return new Checked(image, info);
  }

  /**
   * Why a JPEG's coding is not accepted, or null. Cameras send baseline (or extended sequential)
   * 8-bit JPEGs in grey or YCbCr; progressive, lossless, arithmetic-coded, 12-bit and CMYK/YCCK
   * JPEGs take code paths of the native decoder that no frame needs (and progressive decoding
   * buffers the whole image's coefficients), so they are refused before it.
   */
  private static String unsupportedCoding(ImageHeader.Info info) {
    if (info.format() != ImageHeader.Format.JPEG) {
      return null;
    }
    if (info.coding() != SOF_BASELINE && info.coding() != SOF_EXTENDED) {
      return String.format(
          "JPEG coded as %s (SOF %02X); only baseline or sequential JPEGs are accepted",
          jpegProcess(info.coding()), info.coding());
    }
    if (info.precision() != 8) {
      return "JPEG with " + info.precision() + "-bit samples; only 8-bit JPEGs are accepted";
    }
    if (info.components() != 1 && info.components() != 3) {
      return "JPEG with "
          + info.components()
          + " colour components"
          + (info.components() == 4 ? " (CMYK/YCCK)" : "")
          + "; only grey or YCbCr (1 or 3) are accepted";
    }
    return null;
  }

  private static String jpegProcess(int sof) {
    return switch (sof) {
      case 0xC2, 0xC6, 0xCA, 0xCE -> "progressive";
      case 0xC3, 0xC7, 0xCB, 0xCF -> "lossless";
      default -> sof >= 0xC9 ? "arithmetic sequential" : "differential";
    };
  }

  /**
   * The first PNG chunk whose declared length runs past the end of the bytes (libpng would read on
   * into whatever follows), described, or null when the chunks lead to IEND.
   */
  private static String brokenChunk(byte[] b) {
    int end = b.length;
    while (end > 0 && b[end - 1] == 0) {
      end--;
    }
    long offset = 8;
    while (offset + 12 <= end) {
      long length = ImageHeader.u32(b, (int) offset);
      String type = chunkType(b, (int) offset + 4);
      if (length > end - offset - 12) {
        return "PNG chunk "
            + type
            + " at offset "
            + offset
            + " declares "
            + length
            + " bytes but only "
            + (end - offset - 12)
            + " follow";
      }
      if (type.equals("IEND")) {
        return null;
      }
      offset += 12 + length;
    }
    return "PNG of " + b.length + " bytes ends before its IEND chunk";
  }

  private static String chunkType(byte[] b, int o) {
    StringBuilder sb = new StringBuilder(4);
    for (int i = o; i < o + 4; i++) {
      int c = b[i] & 255;
      sb.append(c >= 0x21 && c < 0x7F ? (char) c : '?');
    }
    return sb.toString();
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
