package dev.hydrastream.spec;

/**
 * An axis-aligned box in image pixels, BDD100K {@code box2d} convention: {@code (x1, y1)} is the
 * top-left pixel and {@code (x2, y2)} the bottom-right pixel, both inclusive.
 */
public record Box(double x1, double y1, double x2, double y2) {

  public Box {
    if (!(x2 >= x1) || !(y2 >= y1)) {
      throw new IllegalArgumentException(
          "box2d needs x1 <= x2 and y1 <= y2, got " + x1 + "," + y1 + "," + x2 + "," + y2);
    }
  }

  public double width() {
    return x2 - x1 + 1;
  }

  public double height() {
    return y2 - y1 + 1;
  }

  public double area() {
    return width() * height();
  }

  /** Intersection over union with inclusive-pixel semantics. */
  public double iou(Box o) {
    return iou(x1, y1, x2, y2, o.x1, o.y1, o.x2, o.y2);
  }

  /**
   * Intersection over union of two boxes given by their inclusive pixel bounds, without building
   * {@code Box} objects (hot loops of tracking and evaluation).
   */
  public static double iou(
      double ax1,
      double ay1,
      double ax2,
      double ay2,
      double bx1,
      double by1,
      double bx2,
      double by2) {
    double iw = Math.min(ax2, bx2) - Math.max(ax1, bx1) + 1;
    double ih = Math.min(ay2, by2) - Math.max(ay1, by1) + 1;
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    double a = (ax2 - ax1 + 1) * (ay2 - ay1 + 1);
    double b = (bx2 - bx1 + 1) * (by2 - by1 + 1);
    return inter / (a + b - inter);
  }
}
