package dev.hydrastream.bench;

import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full JPEG decode + resize against reduced-scale decode + resize into the model input, on rendered
 * 1280x720 frames of realistic content encoded at quality 75–90. Both paths run on one thread,
 * interleaved, over the same frames; the median of the repeats is reported.
 */
public final class DecodeBench {

  /** Frames per second of each path (medians) and their ratio. */
  public record Result(
      int frames,
      int width,
      int height,
      double fullFps,
      double reducedFps,
      double[] fullRuns,
      double[] reducedRuns) {
    public double ratio() {
      return reducedFps / fullFps;
    }
  }

  private DecodeBench() {}

  public static Result run(int frames, int inputWidth, int inputHeight, int repeats) {
    SceneRenderer renderer = new SceneRenderer(1280, 720);
    List<byte[]> jpegs = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      RenderedFrame f = renderer.render(2024, i);
      jpegs.add(encode(f, 75 + (i % 16)));
    }
    FrameDecoder full = new FrameDecoder(inputWidth, inputHeight, false);
    FrameDecoder reduced = new FrameDecoder(inputWidth, inputHeight, true);
    pass(full, jpegs);
    pass(reduced, jpegs);
    double[] a = new double[repeats];
    double[] b = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      a[r] = pass(full, jpegs);
      b[r] = pass(reduced, jpegs);
    }
    return new Result(frames, 1280, 720, Paired.median(a), Paired.median(b), a, b);
  }

  private static double pass(FrameDecoder d, List<byte[]> jpegs) {
    long t = System.nanoTime();
    for (byte[] j : jpegs) {
      d.decode(j, 1280, 720);
    }
    return jpegs.size() / ((System.nanoTime() - t) / 1e9);
  }

  private static byte[] encode(RenderedFrame f, int quality) {
    return dev.hydrastream.frame.ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), quality);
  }

  static String runs(double[] v) {
    return Arrays.toString(Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray());
  }
}
