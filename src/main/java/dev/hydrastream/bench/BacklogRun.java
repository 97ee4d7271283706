package dev.hydrastream.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a backlog benchmark ran on, at the head of its report ({@code run} in its JSON): the
 * machine, the model, the service settings given with {@code --set}, and the backlog each instance
 * drained ({@link Backlog}). Shared by the pipeline and profiles benchmarks, which reported the
 * same facts under different keys.
 *
 * @param machine cores, architecture and OS ({@link Reports#machine()})
 * @param model the model directory
 * @param overrides service settings over the benchmark's own ({@code --set})
 * @param backlog stream threads, frames per measurement, warm-up frames and rounds
 */
public record BacklogRun(
    String machine, String model, Map<String, String> overrides, Backlog backlog) {

  /** This machine's run of {@code model} with {@code overrides} and {@code backlog}. */
  static BacklogRun of(Path model, Map<String, String> overrides, Backlog backlog) {
    return new BacklogRun(Reports.machine(), model.toString(), overrides, backlog);
  }
}
