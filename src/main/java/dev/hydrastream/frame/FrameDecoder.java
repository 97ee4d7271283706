package dev.hydrastream.frame;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.hydrastream.spec.Letterbox;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decodes encoded frames with OpenCV straight into the model input: JPEGs at reduced scale when the
 * frame is at least twice the input (the decoder skips most of the IDCT work), then an area resize
 * and a letterbox into an RGB {@code height x width x 3} byte array.
 */
public final class FrameDecoder {

  /** A decoded, letterboxed frame. */
  public record Decoded(byte[] rgb, Letterbox letterbox) {}

  /** Sees every image right before it is handed to the native decoder (tests count them). */
  interface NativeProbe {
    void decoding(FrameValidator.Checked image);
  }

  private final int width;
  private final int height;
  private final boolean reducedScale;
  private final NativeProbe probe;

  public FrameDecoder(int width, int height, boolean reducedScale) {
    this(width, height, reducedScale, image -> {});
  }

  FrameDecoder(int width, int height, boolean reducedScale, NativeProbe probe) {
    this.width = width;
    this.height = height;
    this.reducedScale = reducedScale;
    this.probe = probe;
  }

  /**
   * Validates {@code encoded} (magic bytes, caps, coding, structure, end marker: see {@link
   * FrameValidator}) and only then decodes it: native decoding is never reached by anything the
   * validator refuses.
   *
   * @throws InvalidFrameException naming the problem
   */
  public Decoded decode(byte[] encoded, FrameValidator validator) {
    return decode(validator.check(encoded));
  }

  /**
   * Decodes an image the validator accepted (the only way into the native decoder: a {@link
   * FrameValidator.Checked} exists only for bytes that passed the checks).
   *
   * @throws InvalidFrameException ({@link FrameProblem#UNDECODABLE}) if OpenCV cannot decode it
   */
  public Decoded decode(FrameValidator.Checked image) {
    int srcW = image.width();
    int srcH = image.height();
    byte[] encoded = image.bytes();
    int factor = 1;
    if (reducedScale) {
      double ratio = Math.min(srcW / (double) width, srcH / (double) height);
      factor = ratio >= 8 ? 8 : ratio >= 4 ? 4 : ratio >= 2 ? 2 : 1;
    }
    int flag =
        switch (factor) {
          case 8 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
          case 4 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
          case 2 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
          default -> opencv_imgcodecs.IMREAD_COLOR;
        };
    probe.decoding(image);
    try (BytePointer buf = new BytePointer(encoded);
        Mat raw = new Mat(1, encoded.length, CV_8UC1, buf);
        Mat bgr = opencv_imgcodecs.imdecode(raw, flag)) {
      if (bgr == null || bgr.empty()) {
        throw new InvalidFrameException(
            FrameProblem.UNDECODABLE,
            "OpenCV could not decode the image (" + encoded.length + " bytes)");
      }
      return letterbox(bgr, srcW, srcH);
    }
  }

  /**
   * Reads, validates ({@link FrameValidator#defaults()}) and decodes an image file.
   *
   * @throws IllegalArgumentException naming the file and the {@link FrameProblem} for a file that
   *     is not a usable JPEG/PNG
   */
  public Decoded decodeFile(Path file) throws IOException {
    try {
      return decode(readFile(file), FrameValidator.defaults());
    } catch (InvalidFrameException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The bytes of an image file.
   *
   * @throws IOException naming the file and saying why it cannot be read (missing, a directory, not
   *     readable), not only the path as {@link Files#readAllBytes} does
   */
  public static byte[] readFile(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a directory, not an image file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException(file + ": permission denied", e);
    } catch (IOException e) {
      throw new IOException(
          file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  /** Letterboxes an already decoded BGR image of a {@code srcW x srcH} frame. */
  public Decoded letterbox(Mat bgr, int srcW, int srcH) {
    Letterbox lb = Letterbox.of(srcW, srcH, width, height);
    try (Mat resized = new Mat();
        Mat out = new Mat(height, width, CV_8UC3, new Scalar(0, 0, 0, 0))) {
      opencv_imgproc.resize(
          bgr, resized, new Size(lb.width(), lb.height()), 0, 0, opencv_imgproc.INTER_AREA);
      try (Mat roi = out.apply(new Rect(lb.padX(), lb.padY(), lb.width(), lb.height()))) {
        opencv_imgproc.cvtColor(resized, roi, opencv_imgproc.COLOR_BGR2RGB);
      }
      byte[] rgb = new byte[width * height * 3];
      out.data().get(rgb);
      return new Decoded(rgb, lb);
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }
}
