package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;

/**
 * What a paired on/off benchmark ran on, at the head of its report: the machine, its load average
 * before and after the run, and the model. Shared by the metrics and shadow benchmarks; their
 * reports unwrap it ({@code @JsonUnwrapped}), so they keep the fields {@code machine}, {@code
 * load_before}, {@code load_after} and {@code model}.
 *
 * @param machine cores, architecture and OS ({@link Reports#machine()})
 * @param loadBefore the load average when the run started ({@link CapacityBench#loadAverage()})
 * @param loadAfter the load average when it ended
 * @param model the model directory
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoadedRun(String machine, String loadBefore, String loadAfter, String model) {

  /** A run of {@code model} on this machine that started at {@code loadBefore} and ends now. */
  static LoadedRun endingNow(Path model, String loadBefore) {
    return new LoadedRun(
        Reports.machine(), loadBefore, CapacityBench.loadAverage(), model.toString());
  }
}
