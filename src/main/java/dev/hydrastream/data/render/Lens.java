package dev.hydrastream.data.render;

/**
 * What the lens and the camera's processing do to a randomized dataset frame: sun glare with lens
 * flare ghosts on the lit image, then, on the exposed BGR bytes, white balance, gamma, saturation
 * and contrast, vignetting, lateral chromatic aberration, rolling exposure bands and directional
 * motion blur (see {@link Randomization} for the ranges). Colour only: labels are untouched.
 */
final class Lens {
  private final SceneSpec spec;
  private final Randomization dr;

  Lens(SceneSpec spec) {
    this.spec = spec;
    this.dr = spec.dr;
  }

  /** Sun glare over the lit image: a bright veil round the sun and a few ghosts opposite it. */
  void glare(Canvas canvas) {
    if (dr.glare <= 0) {
      return;
    }
    int w = canvas.width;
    int h = canvas.height;
    int[] rgb = canvas.rgb;
    double radius = 0.45 * Math.hypot(w, h);
    double warm = spec.dusk() ? 0.75 : 0.92;
    double cx = w / 2.0;
    double cy = h / 2.0;
    // ghosts on the line from the sun through the image centre
    double[][] ghosts = {
      {0.6, 0.05 * w, 0.10}, {1.25, 0.02 * w, 0.16}, {1.6, 0.09 * w, 0.06}, {1.9, 0.035 * w, 0.1}
    };
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x + 0.5 - dr.sunX;
        double dy = y + 0.5 - dr.sunY;
        double d = Math.sqrt(dx * dx + dy * dy) / radius;
        double veil = dr.glare * (Math.exp(-d * d * 6) * 0.9 + Math.exp(-d * 28) * 1.2);
        for (double[] g : ghosts) {
          double gx = dr.sunX + (cx - dr.sunX) * g[0];
          double gy = dr.sunY + (cy - dr.sunY) * g[0];
          double r = Math.hypot(x + 0.5 - gx, y + 0.5 - gy);
          if (r < g[1]) {
            veil += dr.glare * g[2];
          }
        }
        if (veil < 0.004) {
          continue;
        }
        int p = y * w + x;
        int c = rgb[p];
        double add = 255 * veil;
        int r = screen((c >> 16) & 255, add);
        int gg = screen((c >> 8) & 255, add * warm);
        int b = screen(c & 255, add * warm * warm);
        rgb[p] = (r << 16) | (gg << 8) | b;
      }
    }
  }

  /** Light added the way bright light adds on film: never past white. */
  private static int screen(int c, double add) {
    return (int) Math.min(255, c + add * (1 - c / 255.0));
  }

  /**
   * The camera's processing of the exposed frame ({@code width * height} interleaved BGR bytes), in
   * place.
   */
  void develop(byte[] bgr, int w, int h) {
    tone(bgr);
    if (dr.aberration > 0 || dr.vignette > 0 || dr.banding > 0) {
      geometry(bgr, w, h);
    }
    if (dr.blurLength >= 2) {
      motionBlur(bgr, w, h);
    }
  }

  /** White balance, contrast, saturation and gamma through per-channel tables. */
  private void tone(byte[] bgr) {
    int[][] lut = new int[3][256];
    for (int ch = 0; ch < 3; ch++) {
      double gain = dr.whiteBalance[2 - ch]; // bgr order, gains are r, g, b
      for (int v = 0; v < 256; v++) {
        double x = v / 255.0 * gain;
        x = 0.5 + (x - 0.5) * dr.contrast;
        x = Math.pow(Math.max(0, Math.min(1, x)), dr.gamma);
        lut[ch][v] = (int) Math.round(x * 255);
      }
    }
    double s = dr.saturation;
    for (int p = 0; p < bgr.length; p += 3) {
      int b = lut[0][bgr[p] & 255];
      int g = lut[1][bgr[p + 1] & 255];
      int r = lut[2][bgr[p + 2] & 255];
      double y = 0.299 * r + 0.587 * g + 0.114 * b;
      bgr[p] = (byte) clamp(y + (b - y) * s);
      bgr[p + 1] = (byte) clamp(y + (g - y) * s);
      bgr[p + 2] = (byte) clamp(y + (r - y) * s);
    }
  }

  /** Vignetting, rolling exposure bands and lateral colour, resampling red and blue radially. */
  private void geometry(byte[] bgr, int w, int h) {
    byte[] src = bgr.clone();
    double cx = w / 2.0;
    double cy = h / 2.0;
    double rmax2 = cx * cx + cy * cy;
    double a = dr.aberration;
    for (int y = 0; y < h; y++) {
      double band = 1 + dr.banding * Math.sin(2 * Math.PI * y / dr.bandPeriod + dr.bandPhase);
      double dy = y + 0.5 - cy;
      for (int x = 0; x < w; x++) {
        double dx = x + 0.5 - cx;
        double r2 = (dx * dx + dy * dy) / rmax2;
        double gain = band * (1 - dr.vignette * r2 * r2);
        int p = 3 * (y * w + x);
        int b = sample(src, w, h, cx + dx * (1 - a), cy + dy * (1 - a), 0);
        int g = src[p + 1] & 255;
        int r = sample(src, w, h, cx + dx * (1 + a), cy + dy * (1 + a), 2);
        bgr[p] = (byte) clamp(b * gain);
        bgr[p + 1] = (byte) clamp(g * gain);
        bgr[p + 2] = (byte) clamp(r * gain);
      }
    }
  }

  /** Channel {@code ch} at the nearest pixel to (x, y), clamped to the frame. */
  private static int sample(byte[] src, int w, int h, double x, double y, int ch) {
    int xi = Math.max(0, Math.min(w - 1, (int) x));
    int yi = Math.max(0, Math.min(h - 1, (int) y));
    return src[3 * (yi * w + xi) + ch] & 255;
  }

  /** A box blur along the blur angle (a camera panning or shaking during the exposure). */
  private void motionBlur(byte[] bgr, int w, int h) {
    byte[] src = bgr.clone();
    int n = (int) Math.round(dr.blurLength);
    double ux = Math.cos(dr.blurAngle);
    double uy = Math.sin(dr.blurAngle);
    int[] ox = new int[n];
    int[] oy = new int[n];
    for (int i = 0; i < n; i++) {
      double t = i - (n - 1) / 2.0;
      ox[i] = (int) Math.round(t * ux);
      oy[i] = (int) Math.round(t * uy);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sb = 0;
        int sg = 0;
        int sr = 0;
        for (int i = 0; i < n; i++) {
          int xx = Math.max(0, Math.min(w - 1, x + ox[i]));
          int yy = Math.max(0, Math.min(h - 1, y + oy[i]));
          int q = 3 * (yy * w + xx);
          sb += src[q] & 255;
          sg += src[q + 1] & 255;
          sr += src[q + 2] & 255;
        }
        int p = 3 * (y * w + x);
        bgr[p] = (byte) (sb / n);
        bgr[p + 1] = (byte) (sg / n);
        bgr[p + 2] = (byte) (sr / n);
      }
    }
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5);
  }
}
