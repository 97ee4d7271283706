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
    double iw = Math.min(x2, o.x2) - Math.max(x1, o.x1) + 1;
    double ih = Math.min(y2, o.y2) - Math.max(y1, o.y1) + 1;
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    return inter / (area() + o.area() - inter);
  }
}
