package dev.hydrastream.bench.micro;

import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.frame.ImageHeader;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Microbenchmarks of the per-frame work before the model: header sniffing, full and reduced-scale
 * JPEG decode into the model input, and the letterbox alone, on a rendered 1280x720 street frame
 * (JPEG quality 85) into the default 384x224 input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FrameBenchmarks {

  private byte[] jpeg;
  private FrameValidator.Checked checked;
  private FrameDecoder reduced;
  private FrameDecoder full;
  private Mat decoded;

  @Setup(Level.Trial)
  public void setUp() {
    RenderedFrame f = new SceneRenderer(1280, 720).render(31, 3);
    jpeg = ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), 85);
    checked = FrameValidator.defaults().check(jpeg);
    reduced = new FrameDecoder(384, 224, true);
    full = new FrameDecoder(384, 224, false);
    try (BytePointer buf = new BytePointer(jpeg);
        Mat raw = new Mat(1, jpeg.length, opencv_core.CV_8UC1, buf)) {
      decoded = opencv_imgcodecs.imdecode(raw, opencv_imgcodecs.IMREAD_COLOR);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    decoded.close();
  }

  /** Format and dimensions from the header (the validation step). */
  @Benchmark
  public int[] header() {
    return ImageHeader.size(jpeg);
  }

  /** Full-size decode, then area resize + letterbox. */
  @Benchmark
  public FrameDecoder.Decoded decodeFull() {
    return full.decode(checked);
  }

  /** Reduced-scale decode (IMREAD_REDUCED_COLOR_2 here), then resize + letterbox. */
  @Benchmark
  public FrameDecoder.Decoded decodeReduced() {
    return reduced.decode(checked);
  }

  /** Letterbox alone: area resize of a decoded 1280x720 frame, BGR to RGB, padding. */
  @Benchmark
  public FrameDecoder.Decoded letterbox() {
    return reduced.letterbox(decoded, 1280, 720);
  }
}
