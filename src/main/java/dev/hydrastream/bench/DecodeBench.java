package dev.hydrastream.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Full JPEG decode + resize against reduced-scale decode + resize into the model input, on
 * rendered 1280x720 frames of realistic content encoded at quality 75–90. Both paths run on one
 * thread, interleaved, over the same frames; the median of the repeats is reported.
 */
public final class DecodeBench {

  /** Frames per second of each path (medians) and their ratio. */
  public record Result(int frames, int width, int height, double fullFps, double reducedFps,
      double[] fullRuns, double[] reducedRuns) {
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
    return new Result(frames, 1280, 720, SharingBench.median(a), SharingBench.median(b), a, b);
  }

  private static double pass(FrameDecoder d, List<byte[]> jpegs) {
    long t = System.nanoTime();
    for (byte[] j : jpegs) {
      d.decode(j, 1280, 720);
    }
    return jpegs.size() / ((System.nanoTime() - t) / 1e9);
  }

  private static byte[] encode(RenderedFrame f, int quality) {
    try (Mat m = new Mat(f.height(), f.width(), CV_8UC3);
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, quality)) {
      m.data().put(f.bgr());
      opencv_imgcodecs.imencode(".jpg", m, buf, params);
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  static String runs(double[] v) {
    return Arrays.toString(Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray());
  }
}
