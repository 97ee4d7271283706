package dev.hydrastream.cli;

import dev.hydrastream.bench.CapacityBench;
import dev.hydrastream.bench.Sizing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench capacity}: CPU per frame by stage in the service process, and fleet sizing. */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    description = {
      "Capacity model: CPU seconds per frame by stage (decode, model, results + serde, Kafka"
          + " Streams, Kafka clients, HTTP, JVM) of `hydrastream run` in a JVM of its own, fed"
          + " through an embedded broker; frames/s per core, cores per camera, instances for N"
          + " cameras, and a GPU column worked out from the model's FLOPs.",
      "The GPU column is arithmetic, not a measurement: its assumptions are printed with it."
    })
final class CapacityBenchCommand extends BacklogBenchCommand {
  CapacityBenchCommand() {
    super(new BacklogRounds(4, 400, 600, 5));
  }

  @Option(
      names = "--camera-fps",
      defaultValue = "30",
      description = "Frames per second of one camera (default: ${DEFAULT-VALUE}).")
  double cameraFps;

  @Option(
      names = "--cameras",
      defaultValue = "1,10,100,1000",
      split = ",",
      description = "Camera counts of the sizing table (default: ${DEFAULT-VALUE}).")
  int[] cameras;

  @Option(
      names = "--instance-cores",
      defaultValue = "8",
      description = "Cores of one instance (default: ${DEFAULT-VALUE}).")
  int instanceCores;

  @Option(
      names = "--utilisation",
      defaultValue = "0.7",
      description = "Share of an instance's cores to plan for (default: ${DEFAULT-VALUE}).")
  double utilisation;

  @Option(
      names = "--gpu",
      defaultValue = "NVIDIA T4",
      description = "The GPU of the paper column, by name (default: ${DEFAULT-VALUE}).")
  String gpu;

  @Option(
      names = "--gpu-tflops",
      defaultValue = "8.1",
      description = "Its peak FP32 TFLOP/s (default: ${DEFAULT-VALUE}, a T4).")
  double gpuTflops;

  @Option(
      names = "--gpu-efficiency",
      defaultValue = "0.25",
      description =
          "Share of that peak the model sustains at batch 8-32 (default: ${DEFAULT-VALUE}).")
  double gpuEfficiency;

  @Override
  Object report() throws Exception {
    var sizing =
        new Sizing.Assumptions(
            cameraFps, cameras, instanceCores, utilisation, gpu, gpuTflops, gpuEfficiency);
    var options = new CapacityBench.Options(backlog.value(), sizing, set.values);
    return CapacityBench.run(model.dir(), options, out.dir());
  }
}
