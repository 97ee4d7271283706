package dev.hydrastream.spec;

/**
 * Fits a frame into the model input without distortion: scale to fit, centre, pad. The same
 * transform maps labels into the input (training) and predictions back to frame pixels (serving).
 *
 * @param srcWidth frame width
 * @param srcHeight frame height
 * @param dstWidth model input width
 * @param dstHeight model input height
 * @param scale input pixels per frame pixel
 * @param padX left padding in input pixels
 * @param padY top padding in input pixels
 * @param width width of the scaled frame inside the input
 * @param height height of the scaled frame inside the input
 */
public record Letterbox(
    int srcWidth,
    int srcHeight,
    int dstWidth,
    int dstHeight,
    double scale,
    int padX,
    int padY,
    int width,
    int height) {

  /** The letterbox of a {@code srcWidth x srcHeight} frame into {@code dstWidth x dstHeight}. */
  public static Letterbox of(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    if (srcWidth <= 0 || srcHeight <= 0) {
      throw new IllegalArgumentException(
          "frame size must be positive, got " + srcWidth + "x" + srcHeight);
    }
    double scale = Math.min(dstWidth / (double) srcWidth, dstHeight / (double) srcHeight);
    int w = Math.max(1, Math.min(dstWidth, (int) Math.round(srcWidth * scale)));
    int h = Math.max(1, Math.min(dstHeight, (int) Math.round(srcHeight * scale)));
    return new Letterbox(
        srcWidth,
        srcHeight,
        dstWidth,
        dstHeight,
        scale,
        (dstWidth - w) / 2,
        (dstHeight - h) / 2,
        w,
        h);
  }

  /** Frame x (continuous) to input x. */
  public double toInputX(double x) {
    return x * scale + padX;
  }

  public double toInputY(double y) {
    return y * scale + padY;
  }

  /** Input x (continuous) to frame x, clamped to the frame. */
  public double toFrameX(double x) {
    return Math.max(0, Math.min(srcWidth, (x - padX) / scale));
  }

  public double toFrameY(double y) {
    return Math.max(0, Math.min(srcHeight, (y - padY) / scale));
  }
}
