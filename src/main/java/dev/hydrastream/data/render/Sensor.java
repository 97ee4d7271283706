package dev.hydrastream.data.render;

import java.util.SplittableRandom;

/**
 * The camera sensor: exposure and noise, from the lit image to the interleaved BGR bytes (OpenCV
 * order) of a frame. Noise is roughly Gaussian, the sum of two 10-bit uniforms, from a xorshift
 * stream seeded by one draw of the frame's stream.
 *
 * <p>Like lighting, dataset and video frames share the model and differ in {@link
 * Lighting.Precision}: a dataset frame draws every sample in double precision, a video frame works
 * in fixed point and reads samples from a table at a random offset per row.
 */
final class Sensor {
  /** Samples as {@link #exact} draws them, centred; read by {@link #fast}. */
  private static final short[] NOISE = noiseTable();

  /** Scale from the noise level to a sample's spread. */
  private static final double NOISE_GAIN = 1.7;

  private final SceneSpec spec;
  private final Canvas canvas;
  private final Rng rng;

  Sensor(SceneSpec spec, Canvas canvas, Rng rng) {
    this.spec = spec;
    this.canvas = canvas;
    this.rng = rng;
  }

  private static short[] noiseTable() {
    SplittableRandom r = new SplittableRandom(0x5EED);
    short[] t = new short[1 << 16];
    for (int i = 0; i < t.length; i++) {
      t[i] = (short) (r.nextInt(1024) + r.nextInt(1024) - 1023);
    }
    return t;
  }

  /** Exposure and noise into {@code out}, {@code width * height * 3} bytes; returns it. */
  byte[] expose(byte[] out, Lighting.Precision precision) {
    long seed = rng.nextLong() | 1;
    return precision == Lighting.Precision.EXACT ? exact(out, seed) : fast(out, seed);
  }

  private byte[] exact(byte[] out, long s) {
    int[] rgb = canvas.rgb;
    double exposure = spec.exposure;
    double sigma = spec.noise;
    for (int p = 0; p < rgb.length; p++) {
      int c = rgb[p];
      s = xorshift(s);
      // three roughly Gaussian samples from one 64-bit draw (sum of two 10-bit uniforms)
      double n0 = (((s & 1023) + ((s >>> 10) & 1023)) / 1023.0 - 1) * sigma * NOISE_GAIN;
      double n1 = ((((s >>> 20) & 1023) + ((s >>> 30) & 1023)) / 1023.0 - 1) * sigma * NOISE_GAIN;
      double n2 = ((((s >>> 40) & 1023) + ((s >>> 50) & 1023)) / 1023.0 - 1) * sigma * NOISE_GAIN;
      out[3 * p] = (byte) clamp((c & 255) * exposure + n2);
      out[3 * p + 1] = (byte) clamp(((c >> 8) & 255) * exposure + n1);
      out[3 * p + 2] = (byte) clamp(((c >> 16) & 255) * exposure + n0);
    }
    return out;
  }

  private byte[] fast(byte[] out, long s) {
    int[] rgb = canvas.rgb;
    int w = canvas.width;
    int exposure = (int) Math.round(spec.exposure * 65536);
    int[] noise = new int[NOISE.length];
    double sigma = spec.noise * NOISE_GAIN / 1023.0 * 65536;
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (int) (NOISE[i] * sigma) + 32768;
    }
    int mask = noise.length - 1;
    for (int y = 0, p = 0, o = 0; y < canvas.height; y++) {
      s = xorshift(s);
      int k = (int) s;
      for (int x = 0; x < w; x++, p++, o += 3, k += 3) {
        int c = rgb[p];
        out[o] = (byte) clamp(((c & 255) * exposure + noise[k & mask]) >> 16);
        out[o + 1] = (byte) clamp((((c >> 8) & 255) * exposure + noise[(k + 1) & mask]) >> 16);
        out[o + 2] = (byte) clamp((((c >> 16) & 255) * exposure + noise[(k + 2) & mask]) >> 16);
      }
    }
    return out;
  }

  private static long xorshift(long s) {
    s ^= s << 13;
    s ^= s >>> 7;
    s ^= s << 17;
    return s;
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : v > 255 ? 255 : v;
  }

  /** Packed RGB ints to BGR bytes without any effect (flat test images). */
  static byte[] toBgr(int[] rgb) {
    byte[] out = new byte[rgb.length * 3];
    for (int p = 0; p < rgb.length; p++) {
      int c = rgb[p];
      out[3 * p] = (byte) (c & 255);
      out[3 * p + 1] = (byte) ((c >> 8) & 255);
      out[3 * p + 2] = (byte) ((c >> 16) & 255);
    }
    return out;
  }
}
