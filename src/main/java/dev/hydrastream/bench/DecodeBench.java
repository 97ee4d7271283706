package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.util.Charts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Full JPEG decode + resize against reduced-scale decode + resize into the model input, on rendered
 * 1280x720 frames of realistic content encoded at quality 75–90. Both paths run on one thread,
 * interleaved, over the same frames; the median of the repeats is reported.
 */
public final class DecodeBench {

  /**
   * What {@code bench decode} reports: frames per second of each path (medians of the repeats) and
   * their ratio.
   *
   * @param threads always 1: the figure is per core
   * @param width frame width
   * @param input model input, {@code HEIGHTxWIDTH}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String machine,
      int threads,
      int frames,
      int width,
      int height,
      String input,
      int repeats,
      double fullFps,
      double reducedFps,
      double ratioReducedOverFull,
      double[] fullRuns,
      double[] reducedRuns) {}

  private DecodeBench() {}

  /** Runs the benchmark and writes {@code decode.json} and {@code decode.png} into {@code out}. */
  public static Report run(int frames, int inputWidth, int inputHeight, int repeats, Path out)
      throws IOException {
    SceneRenderer renderer = new SceneRenderer(1280, 720);
    List<FrameValidator.Checked> jpegs = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      RenderedFrame f = renderer.render(2024, i);
      jpegs.add(FrameValidator.defaults().check(encode(f, 75 + (i % 16))));
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
    String input = inputHeight + "x" + inputWidth;
    Report report =
        new Report(
            Reports.machine(),
            1,
            frames,
            1280,
            720,
            input,
            repeats,
            Paired.median(a),
            Paired.median(b),
            Paired.median(b) / Paired.median(a),
            a,
            b);
    Reports.write(out, "decode", report);
    Charts.bars(
        out.resolve("decode.png"),
        "JPEG 1280x720 -> model input " + input + " (frames/s, one thread)",
        "frames/s",
        List.of("full decode + resize", "reduced-scale decode + resize"),
        List.of("median"),
        new double[][] {{report.fullFps(), report.reducedFps()}});
    return report;
  }

  private static double pass(FrameDecoder d, List<FrameValidator.Checked> jpegs) {
    long t = System.nanoTime();
    for (FrameValidator.Checked j : jpegs) {
      d.decode(j);
    }
    return jpegs.size() / ((System.nanoTime() - t) / 1e9);
  }

  private static byte[] encode(RenderedFrame f, int quality) {
    return dev.hydrastream.frame.ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), quality);
  }
}
