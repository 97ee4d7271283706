package dev.hydrastream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A benchmark that runs the service on the model through an embedded broker and drains backlogs in
 * measured rounds ({@code bench pipeline}, {@code profiles}, {@code metrics}, {@code capacity}):
 * the options these share, and the publishing of the report. Each gives its own {@link
 * BacklogRounds} defaults.
 */
abstract class BacklogBenchCommand implements Callable<Integer> {
  @Mixin ModelOption model;
  @Mixin SetOption set;
  @Mixin BenchOutOption out;
  @Mixin JsonOption json;
  @Mixin BacklogRounds backlog;

  BacklogBenchCommand(BacklogRounds defaults) {
    backlog = defaults;
  }

  /** Runs the benchmark, which writes its JSON file and chart to {@code out.dir()}: its report. */
  abstract Object report() throws Exception;

  @Override
  public Integer call() throws Exception {
    out.publish(json, report());
    return 0;
  }
}
