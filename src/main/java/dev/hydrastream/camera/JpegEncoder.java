package dev.hydrastream.camera;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Encodes decoded video frames (BGR, as FFmpegFrameGrabber hands them out) as JPEG with OpenCV, at
 * most {@code maxWidth} wide (aspect kept, area interpolation). One per camera thread: it keeps its
 * scratch buffers; not thread-safe.
 */
final class JpegEncoder implements AutoCloseable {

  private final int maxWidth;
  private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
  private final Mat scaled = new Mat();
  private final BytePointer out = new BytePointer();

  /**
   * @param maxWidth largest width of the JPEG; 0: the frame's own
   */
  JpegEncoder(int maxWidth) {
    this.maxWidth = maxWidth;
  }

  /** An encoder of {@code frame} for {@link FrameFitter}: quality and scale of the limited size. */
  FrameFitter.Encoder of(Frame frame) {
    Mat src = converter.convert(frame);
    if (src == null || src.empty()) {
      throw new IllegalArgumentException("frame without an image");
    }
    return (quality, scale) -> encode(src, quality, scale);
  }

  private FrameFitter.Jpeg encode(Mat src, int quality, double scale) {
    double base = maxWidth > 0 && src.cols() > maxWidth ? (double) maxWidth / src.cols() : 1.0;
    int w = Math.max(1, (int) Math.round(src.cols() * base * scale));
    int h = Math.max(1, (int) Math.round(src.rows() * base * scale));
    Mat img = src;
    if (w != src.cols() || h != src.rows()) {
      try (Size size = new Size(w, h)) {
        resize(src, scaled, size, 0, 0, INTER_AREA);
      }
      img = scaled;
    }
    try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
      if (!imencode(".jpg", img, out, params)) {
        throw new IllegalStateException("OpenCV could not encode a " + w + "x" + h + " JPEG");
      }
    }
    byte[] bytes = new byte[(int) out.limit()];
    out.get(bytes);
    return new FrameFitter.Jpeg(bytes, w, h);
  }

  @Override
  public void close() {
    scaled.close();
    out.close();
    converter.close();
  }
}
