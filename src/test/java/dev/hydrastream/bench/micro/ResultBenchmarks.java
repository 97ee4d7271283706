package dev.hydrastream.bench.micro;

import dev.hydrastream.config.Settings;
import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.topics.ResultRecords;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.JsonCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Microbenchmarks of result post-processing after the model: mapping one frame's outputs to the
 * five result records (incl. the segmentation PNG) and encoding them as Avro or JSON. The result
 * comes from the real default model on a rendered frame (computed once in setup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResultBenchmarks {

  /** Model directory; empty: the {@code model.dir} setting's default (what the service serves). */
  @Param("")
  public String model;

  private Perception result;
  private FrameMeta meta;
  private ResultRecords.Outputs outputs;

  @Setup(Level.Trial)
  public void setUp() {
    String dir =
        model.isEmpty()
            ? (String) Settings.DEF.configKeys().get(Settings.MODEL_DIR).defaultValue
            : model;
    try (PerceptionModel m =
        PerceptionModel.load(Path.of(dir), PerceptionModel.Options.defaults())) {
      RenderedFrame f = new SceneRenderer(1280, 720).render(31, 3);
      byte[] jpeg = ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), 85);
      try (var p = m.newPredictor()) {
        result = m.predict(p, List.of(m.decoder().decode(jpeg, FrameValidator.defaults()))).get(0);
      }
    }
    meta = new FrameMeta("cam-0:1", "cam-0", "veh-0", 1, 1_700_000_000_000L, 1280, 720);
    outputs = ResultRecords.all(meta, result, 42.0);
  }

  /** The five records of one frame, mask resampling and PNG encoding included. */
  @Benchmark
  public ResultRecords.Outputs records() {
    return ResultRecords.all(meta, result, 42.0);
  }

  /** Avro single-object encoding of the five records. */
  @Benchmark
  public int encodeAvro() {
    return encodedBytes(AvroCodec::encode);
  }

  /** JSON encoding of the five records. */
  @Benchmark
  public int encodeJson() {
    return encodedBytes(JsonCodec::encode);
  }

  private int encodedBytes(Function<SpecificRecord, byte[]> codec) {
    return codec.apply(outputs.classification()).length
        + codec.apply(outputs.detections()).length
        + codec.apply(outputs.segmentation()).length
        + codec.apply(outputs.scene()).length
        + codec.apply(outputs.fused()).length;
  }
}
