package dev.hydrastream.frame;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** OpenCV encoding of raw pixel buffers: JPEG frames (simulator, benches) and PNG masks. */
public final class ImageEncoder {

  private ImageEncoder() {}

  /** Encodes interleaved BGR pixels as a JPEG of the given quality (0–100). */
  public static byte[] jpeg(byte[] bgr, int width, int height, int quality) {
    try (Mat m = new Mat(height, width, CV_8UC3);
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, quality)) {
      m.data().put(bgr, 0, width * height * 3);
      return encode(".jpg", m, buf, params);
    }
  }

  /** Encodes an 8-bit single-channel buffer (e.g. a class-id mask) as a grayscale PNG. */
  public static byte[] grayPng(byte[] gray, int width, int height) {
    try (Mat m = new Mat(height, width, CV_8UC1);
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_PNG_COMPRESSION, 3)) {
      m.data().put(gray, 0, width * height);
      return encode(".png", m, buf, params);
    }
  }

  private static byte[] encode(String ext, Mat m, BytePointer buf, IntPointer params) {
    if (!opencv_imgcodecs.imencode(ext, m, buf, params)) {
      throw new IllegalStateException("OpenCV could not encode " + ext);
    }
    byte[] out = new byte[(int) buf.limit()];
    buf.get(out);
    return out;
  }
}
