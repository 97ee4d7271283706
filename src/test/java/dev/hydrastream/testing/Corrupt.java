package dev.hydrastream.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Test inputs: small real images and the corrupt kinds the dead-letter path must catch. */
public final class Corrupt {

  private Corrupt() {}

  public static byte[] jpeg(int w, int h) {
    return encode(w, h, ".jpg");
  }

  public static byte[] png(int w, int h) {
    return encode(w, h, ".png");
  }

  private static byte[] encode(int w, int h, String ext) {
    try (Mat m =
            new Mat(
                h, w, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0));
        BytePointer buf = new BytePointer()) {
      org.bytedeco.opencv.global.opencv_imgproc.circle(
          m,
          new org.bytedeco.opencv.opencv_core.Point(w / 2, h / 2),
          Math.min(w, h) / 4,
          new Scalar(20, 200, 40, 0),
          -1,
          8,
          0);
      opencv_imgcodecs.imencode(ext, m, buf);
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  /**
   * A valid JPEG of random noise at quality 95: noise does not compress, so {@code w x h} sets its
   * size (1600x1200 is about 2.5 MB, above Kafka clients' 1 MB default).
   */
  public static byte[] noiseJpeg(int w, int h, long seed) {
    byte[] pixels = new byte[w * h * 3];
    new java.util.Random(seed).nextBytes(pixels);
    try (Mat m = new Mat(h, w, org.bytedeco.opencv.global.opencv_core.CV_8UC3);
        org.bytedeco.javacpp.IntPointer params =
            new org.bytedeco.javacpp.IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        BytePointer buf = new BytePointer()) {
      m.data().put(pixels);
      opencv_imgcodecs.imencode(".jpg", m, buf, params);
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  /** A little-endian TIFF header followed by junk. */
  public static byte[] tiff() {
    byte[] b = new byte[2048];
    b[0] = 'I';
    b[1] = 'I';
    b[2] = 42;
    return b;
  }

  /** A well-formed PNG signature + IHDR declaring {@code w x h}, then IDAT junk and IEND. */
  public static byte[] hugePng(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[64]);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
