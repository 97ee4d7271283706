package dev.hydrastream.frame;

/**
 * Reads the format, dimensions and coding of a JPEG or PNG from its first bytes, without decoding,
 * so that oversized, foreign or unusually coded frames are refused before any pixel memory is
 * allocated. Every read is bounds-checked: any byte array, however malformed, yields an answer or
 * null, never an exception.
 */
public final class ImageHeader {

  /** Image container formats accepted by the pipeline. */
  public enum Format {
    JPEG,
    PNG
  }

  /**
   * What the header says about the image's coding.
   *
   * @param format container format
   * @param width declared width in pixels
   * @param height declared height in pixels
   * @param coding JPEG: the start-of-frame marker ({@code 0xC0} baseline, {@code 0xC2} progressive,
   *     ...); PNG: the colour type
   * @param precision JPEG: bits per sample; PNG: bit depth
   * @param components JPEG: colour components (1 grey, 3 YCbCr, 4 CMYK/YCCK); PNG: the interlace
   *     method
   */
  public record Info(
      Format format, int width, int height, int coding, int precision, int components) {}

  private ImageHeader() {}

  /** The format from the magic bytes, or null if neither JPEG nor PNG. */
  public static Format format(byte[] b) {
    if (b.length >= 3 && (b[0] & 255) == 0xFF && (b[1] & 255) == 0xD8 && (b[2] & 255) == 0xFF) {
      return Format.JPEG;
    }
    if (b.length >= 8
        && (b[0] & 255) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0D
        && b[5] == 0x0A
        && b[6] == 0x1A
        && b[7] == 0x0A) {
      return Format.PNG;
    }
    return null;
  }

  /** {@code {width, height}} from the header, or null if missing or malformed. */
  public static int[] size(byte[] b) {
    Info info = read(b);
    return info == null ? null : new int[] {info.width(), info.height()};
  }

  /** The header's description of the image, or null if missing or malformed. */
  public static Info read(byte[] b) {
    Format f = format(b);
    if (f == Format.PNG) {
      return png(b);
    }
    return f == Format.JPEG ? jpeg(b) : null;
  }

  private static Info png(byte[] b) {
    if (b.length < 33
        || u32(b, 8) != 13
        || b[12] != 'I'
        || b[13] != 'H'
        || b[14] != 'D'
        || b[15] != 'R') {
      return null;
    }
    long w = u32(b, 16);
    long h = u32(b, 20);
    int depth = b[24] & 255;
    int colour = b[25] & 255;
    int interlace = b[28] & 255;
    if (w <= 0
        || h <= 0
        || w > Integer.MAX_VALUE
        || h > Integer.MAX_VALUE
        || !validPngDepth(colour, depth)
        || b[26] != 0
        || b[27] != 0
        || interlace > 1) {
      return null;
    }
    return new Info(Format.PNG, (int) w, (int) h, colour, depth, interlace);
  }

  /** The bit depths the PNG specification allows for each colour type (table 11.1). */
  private static boolean validPngDepth(int colour, int depth) {
    return switch (colour) {
      case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
      case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
      case 2, 4, 6 -> depth == 8 || depth == 16;
      default -> false;
    };
  }

  private static Info jpeg(byte[] b) {
    int i = 2;
    while (i + 4 <= b.length) {
      if ((b[i] & 255) != 0xFF) {
        return null;
      }
      int marker = b[i + 1] & 255;
      if (marker == 0xFF) {
        i++;
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return null;
      }
      int len = ((b[i + 2] & 255) << 8) | (b[i + 3] & 255);
      if (len < 2) {
        return null;
      }
      boolean sof =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        if (i + 10 > b.length) {
          return null;
        }
        int h = ((b[i + 5] & 255) << 8) | (b[i + 6] & 255);
        int w = ((b[i + 7] & 255) << 8) | (b[i + 8] & 255);
        return w > 0 && h > 0
            ? new Info(Format.JPEG, w, h, marker, b[i + 4] & 255, b[i + 9] & 255)
            : null;
      }
      i += 2 + len;
    }
    return null;
  }

  static long u32(byte[] b, int o) {
    return ((long) (b[o] & 255) << 24)
        | ((b[o + 1] & 255) << 16)
        | ((b[o + 2] & 255) << 8)
        | (b[o + 3] & 255);
  }
}
