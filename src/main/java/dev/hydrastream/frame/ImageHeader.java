package dev.hydrastream.frame;

/**
 * Reads the format and dimensions of a JPEG or PNG from its first bytes, without decoding, so that
 * oversized or foreign frames are refused before any pixel memory is allocated.
 */
public final class ImageHeader {

  /** Image container formats accepted by the pipeline. */
  public enum Format {
    JPEG,
    PNG
  }

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
    Format f = format(b);
    if (f == Format.PNG) {
      if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
        return null;
      }
      long w = u32(b, 16);
      long h = u32(b, 20);
      return w > 0 && h > 0 && w <= Integer.MAX_VALUE && h <= Integer.MAX_VALUE
          ? new int[] {(int) w, (int) h}
          : null;
    }
    if (f == Format.JPEG) {
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
          if (i + 9 > b.length) {
            return null;
          }
          int h = ((b[i + 5] & 255) << 8) | (b[i + 6] & 255);
          int w = ((b[i + 7] & 255) << 8) | (b[i + 8] & 255);
          return w > 0 && h > 0 ? new int[] {w, h} : null;
        }
        i += 2 + len;
      }
    }
    return null;
  }

  private static long u32(byte[] b, int o) {
    return ((long) (b[o] & 255) << 24)
        | ((b[o + 1] & 255) << 16)
        | ((b[o + 2] & 255) << 8)
        | (b[o + 3] & 255);
  }
}
