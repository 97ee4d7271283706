package dev.hydrastream.cli;

import dev.hydrastream.sim.CameraFleet;
import dev.hydrastream.sim.FrameProducer;
import dev.hydrastream.streams.topics.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate}: synthetic cameras (temporally coherent video) producing to any cluster. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Synthetic cameras producing temporally coherent video to camera.frames, and their"
            + " vehicles' telemetry to vehicle.telemetry.")
final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin FleetOptions fleet;

  @Mixin ProducerOptions target;

  @Option(names = "--render-threads", defaultValue = "2", description = "Render threads.")
  int renderThreads;

  @Override
  public Integer call() throws Exception {
    int[] wh = fleet.check();
    Topics topics = target.topics();
    String topic = topics.cameraFrames().name();
    try (FrameProducer producer =
            new FrameProducer(target.bootstrap, topic, fleet.format(), target.settings);
        CameraFleet cameras =
            new CameraFleet(fleet.cameras, fleet.seed, fleet.fps, wh[0], wh[1], renderThreads)) {
      StopSignals.onStop("simulate", cameras::stop);
      spec.commandLine()
          .getErr()
          .printf(
              "simulate: %d cameras x %.1f fps -> %s on %s%n",
              fleet.cameras, fleet.fps, topic, target.bootstrap);
      CameraFleet.Stats s =
          fleet.telemetryHz > 0
              ? cameras.run(
                  fleet.durationOrForever(),
                  producer::send,
                  t -> producer.sendTelemetry(topics.telemetry().name(), t),
                  fleet.telemetryHz)
              : cameras.run(fleet.durationOrForever(), producer::send);
      producer.flush();
      spec.commandLine()
          .getOut()
          .printf(
              "simulate: rendered %d, skipped %d (render too slow), sent %d, failed %d;"
                  + " telemetry sent %d, failed %d%n",
              s.produced(),
              s.skipped(),
              producer.sent(),
              producer.failed(),
              producer.telemetrySent(),
              producer.telemetryFailed());
      return producer.failed() + producer.telemetryFailed() == 0 ? 0 : 1;
    }
  }
}
