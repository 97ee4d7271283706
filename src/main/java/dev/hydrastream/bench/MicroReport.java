package dev.hydrastream.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bench micro} reports: JMH's score of each microbenchmark. The benchmarks and their
 * runner ({@code bench.micro.MicroBench}) are test code, so that JMH stays out of the runtime
 * classpath; this record is what the command line and the runner share.
 *
 * @param include the regular expression of benchmarks run
 * @param iterations measurement iterations of one second
 * @param results one row per benchmark
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MicroReport(String machine, String include, int iterations, List<Score> results) {

  /** The runner's fully qualified class name (found reflectively: it is on the test classpath). */
  public static final String RUNNER = "dev.hydrastream.bench.micro.MicroBench";

  /**
   * One benchmark's mean time per operation.
   *
   * @param error half the 99.9% confidence interval
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Score(String benchmark, double score, double error, String unit) {}

  /**
   * The settings of a run.
   *
   * @param include regular expression of benchmark names
   * @param iterations measurement iterations of one second (after two of warm-up)
   * @param model the model the result benchmarks take their outputs from
   */
  public record Options(String include, int iterations, Path model) {}
}
