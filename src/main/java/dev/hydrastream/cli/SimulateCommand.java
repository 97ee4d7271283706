package dev.hydrastream.cli;

import dev.hydrastream.sim.CameraFleet;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.streams.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate}: synthetic cameras (temporally coherent video) producing to any cluster. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Synthetic cameras producing temporally coherent video to camera.frames.")
final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bootstrap", required = true, description = "Kafka brokers host:port,...")
  String bootstrap;

  @Option(
      names = "--cameras",
      defaultValue = "4",
      description = "Cameras (default: ${DEFAULT-VALUE}).")
  int cameras;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description = "Frames/s per camera (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Stop after this long; default: until Ctrl-C.")
  Duration duration;

  @Option(
      names = "--size",
      defaultValue = "1280x720",
      description = "WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--format",
      defaultValue = "avro",
      description = "avro (CameraFrame) or raw (JPEG + headers) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--topic-prefix", defaultValue = "", description = "Topic name prefix.")
  String prefix;

  @Option(names = "--seed", defaultValue = "1", description = "Simulator seed.")
  long seed;

  @Option(names = "--render-threads", defaultValue = "2", description = "Render threads.")
  int renderThreads;

  @Option(
      names = "--producer",
      paramLabel = "KEY=VALUE",
      description = "Extra Kafka producer setting (e.g. security.protocol=SSL).")
  Map<String, String> producerSettings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (cameras < 1 || !(fps > 0)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--cameras must be >= 1 and --fps > 0");
    }
    int[] wh = Dimensions.parse(spec, "--size", size, "WIDTHxHEIGHT", 16, 8192);
    String topic = new Topics(prefix).cameraFrames().name();
    try (FrameProducer producer =
            new FrameProducer(
                bootstrap, topic, FrameProducer.Format.parse(format), producerSettings);
        CameraFleet fleet = new CameraFleet(cameras, seed, fps, wh[0], wh[1], renderThreads)) {
      Thread hook = new Thread(fleet::stop, "simulate-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      spec.commandLine()
          .getErr()
          .printf("simulate: %d cameras x %.1f fps -> %s on %s%n", cameras, fps, topic, bootstrap);
      CameraFleet.Stats s =
          fleet.run(duration == null ? Duration.ofDays(3650) : duration, producer::send);
      producer.flush();
      spec.commandLine()
          .getOut()
          .printf(
              "simulate: rendered %d, skipped %d (render too slow)," + " sent %d, failed %d%n",
              s.produced(), s.skipped(), producer.sent(), producer.failed());
      return producer.failed() == 0 ? 0 : 1;
    }
  }
}
