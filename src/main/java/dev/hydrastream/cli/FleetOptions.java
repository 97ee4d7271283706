package dev.hydrastream.cli;

import dev.hydrastream.sim.FrameProducer;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The simulated cameras' options, shared by {@code demo} and {@code simulate}. */
final class FleetOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

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
      description = "Stop after this long (e.g. 60s); default: run until Ctrl-C.")
  Duration duration;

  @Option(
      names = "--size",
      defaultValue = "1280x720",
      description = "Camera frame WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--format",
      defaultValue = "avro",
      description =
          "Frame wire format: avro (CameraFrame) or raw (JPEG + headers)"
              + " (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--seed", defaultValue = "1", description = "Simulator seed.")
  long seed;

  @Option(
      names = "--telemetry-hz",
      defaultValue = "10",
      description =
          "Vehicle telemetry records per second per vehicle to vehicle.telemetry, consistent"
              + " with the video (0: none) (default: ${DEFAULT-VALUE}).")
  double telemetryHz;

  /**
   * Checks the options, naming the wrong one.
   *
   * @return the frame size, {@code {width, height}}
   */
  int[] check() {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new ParameterException(mixee.commandLine(), "--duration must be positive");
    }
    if (cameras < 1 || !(fps > 0)) {
      throw new ParameterException(mixee.commandLine(), "--cameras must be >= 1 and --fps > 0");
    }
    if (!(telemetryHz >= 0) || telemetryHz > 1000) {
      throw new ParameterException(mixee.commandLine(), "--telemetry-hz must be within 0..1000");
    }
    return Dimensions.parse(mixee, "--size", size, "WIDTHxHEIGHT", 16, 8192);
  }

  /** How long to run: {@code --duration}, or in effect until stopped. */
  Duration durationOrForever() {
    return duration == null ? Duration.ofDays(3650) : duration;
  }

  FrameProducer.Format format() {
    return FrameProducer.Format.parse(format);
  }
}
