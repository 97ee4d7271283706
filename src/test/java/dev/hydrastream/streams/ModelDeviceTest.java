package dev.hydrastream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.hydrastream.config.Settings;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.runtime.TensorFlowRuntime;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * {@code model.device=gpu} on a machine without a GPU is refused at start, naming the setting,
 * instead of running on the CPU; {@code cpu} loads.
 */
class ModelDeviceTest {

  private static Settings device(String device) {
    return Settings.of(
        Map.of(Settings.BOOTSTRAP_SERVERS, "unused:9092", Settings.MODEL_DEVICE, device));
  }

  @Test
  void gpuWithoutAGpuIsRefusedNamingTheSetting() {
    assumeFalse(TensorFlowRuntime.load().defaultDevice().isGpu(), "this machine has a GPU");
    assertThatThrownBy(() -> PerceptionService.loadModel(device("gpu")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Settings.MODEL_DEVICE)
        .hasMessageContaining("no GPU");
  }

  @Test
  void cpuLoads() {
    try (PerceptionModel m = PerceptionService.loadModel(device("cpu"))) {
      assertThat(m.card().id()).isEqualTo("hydranet@3");
    }
  }
}
