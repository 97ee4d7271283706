package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;

/**
 * What a measured CPU cost per frame means for a fleet: frames per second per core, cores per
 * camera, instances for N cameras on CPU nodes, and the same on GPU nodes worked out on paper from
 * the model's FLOPs (the model's arithmetic moves to the GPU; decoding, results and Kafka stay on
 * the CPU). Every assumption is a field of {@link Assumptions} and is printed with the table.
 *
 * @param assumptions what the table assumes
 * @param framesPerSecondPerCore CPU: 1 / CPU seconds per frame
 * @param coresPerCamera CPU: cores one camera at {@code cameraFps} keeps busy
 * @param gpuFramesPerSecond a GPU's model throughput: peak FLOP/s x efficiency / FLOPs per frame
 * @param gpuHostCpuMsPerFrame CPU milliseconds per frame that stay on the host with a GPU
 * @param gpuInstanceFramesPerSecond what one GPU instance sustains: the GPU or its CPU cores
 * @param table instances for each camera count
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Sizing(
    Assumptions assumptions,
    double framesPerSecondPerCore,
    double coresPerCamera,
    double gpuFramesPerSecond,
    double gpuHostCpuMsPerFrame,
    double gpuInstanceFramesPerSecond,
    List<Row> table) {

  /**
   * The sizing's inputs.
   *
   * @param cameraFps frames per second of one camera
   * @param cameras camera counts of the table
   * @param instanceCores cores of one instance (pod, container)
   * @param utilisation share of those cores to plan for (headroom for bursts and rebalances)
   * @param gpu the GPU assumed, by name
   * @param gpuTflops its peak FP32 TFLOP/s
   * @param gpuEfficiency the share of that peak a small convolutional network at batch 8-32
   *     sustains
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Assumptions(
      double cameraFps,
      int[] cameras,
      int instanceCores,
      double utilisation,
      String gpu,
      double gpuTflops,
      double gpuEfficiency) {}

  /**
   * One camera count.
   *
   * @param cameras cameras
   * @param framesPerSecond their frames per second together
   * @param cpuCores cores they keep busy on CPU nodes
   * @param cpuInstances CPU instances at the planned utilisation
   * @param gpuInstances GPU instances (one GPU each)
   * @param minPartitions camera.frames partitions the larger instance count needs (one per instance
   *     at least; more leave room to scale)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      int cameras,
      double framesPerSecond,
      double cpuCores,
      int cpuInstances,
      int gpuInstances,
      int minPartitions) {}

  /**
   * The sizing for a service that spends {@code cpuMsPerFrame} CPU milliseconds per frame, {@code
   * modelMsPerFrame} of them in the model, whose model costs {@code flopsPerFrame}.
   */
  static Sizing of(
      Assumptions a, double cpuMsPerFrame, double modelMsPerFrame, long flopsPerFrame) {
    double fpsPerCore = 1000 / cpuMsPerFrame;
    double coresPerCamera = a.cameraFps() / fpsPerCore;
    double gpuFps = a.gpuTflops() * 1e12 * a.gpuEfficiency() / flopsPerFrame;
    double hostMs = Math.max(0, cpuMsPerFrame - modelMsPerFrame);
    double hostFps = a.instanceCores() * a.utilisation() * 1000 / hostMs;
    double gpuInstanceFps = Math.min(gpuFps, hostFps);
    double cpuInstanceFps = a.instanceCores() * a.utilisation() * fpsPerCore;
    List<Row> rows = new ArrayList<>();
    for (int n : a.cameras()) {
      double fps = n * a.cameraFps();
      int cpu = (int) Math.ceil(fps / cpuInstanceFps);
      int gpu = (int) Math.ceil(fps / gpuInstanceFps);
      rows.add(new Row(n, fps, fps / fpsPerCore, cpu, gpu, Math.min(n, Math.max(cpu, gpu))));
    }
    return new Sizing(a, fpsPerCore, coresPerCamera, gpuFps, hostMs, gpuInstanceFps, rows);
  }
}
