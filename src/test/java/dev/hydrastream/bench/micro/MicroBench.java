package dev.hydrastream.bench.micro;

import dev.hydrastream.bench.MicroReport;
import dev.hydrastream.bench.Reports;
import dev.hydrastream.util.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH microbenchmarks of this package for {@code ./hydrastream bench micro}, which finds
 * this class reflectively ({@link MicroReport#RUNNER}): it is test code, like JMH itself. Writes
 * JMH's own JSON ({@code micro.json}), its log ({@code jmh.log}) and a chart ({@code micro.png}).
 */
public final class MicroBench {

  private static final String PACKAGE = MicroBench.class.getPackageName() + ".";

  private MicroBench() {}

  /** Runs the benchmarks matching {@code o.include()}, one forked JVM each, into {@code out}. */
  public static MicroReport run(MicroReport.Options o, Path out)
      throws IOException, RunnerException {
    Files.createDirectories(out);
    var opts =
        new OptionsBuilder()
            .include(o.include())
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(o.iterations())
            .measurementTime(TimeValue.seconds(1))
            .param("model", o.model().toString())
            .jvmArgsAppend("-Xmx2g", "-Djava.awt.headless=true")
            .resultFormat(ResultFormatType.JSON)
            .result(out.resolve("micro.json").toString())
            .output(out.resolve("jmh.log").toString())
            .build();
    List<MicroReport.Score> scores = new ArrayList<>();
    for (RunResult r : new Runner(opts).run()) {
      var primary = r.getPrimaryResult();
      scores.add(
          new MicroReport.Score(
              r.getParams().getBenchmark().replace(PACKAGE, ""),
              primary.getScore(),
              primary.getScoreError(),
              primary.getScoreUnit()));
    }
    List<String> names =
        scores.stream().map(s -> s.benchmark().replace("Benchmarks.", ".")).toList();
    double[][] values = {scores.stream().mapToDouble(MicroReport.Score::score).toArray()};
    Charts.bars(
        out.resolve("micro.png"),
        "Per-frame work outside the model (JMH, us/op, one thread)",
        "us/op",
        names,
        List.of("mean"),
        values);
    return new MicroReport(Reports.machine(), o.include(), o.iterations(), scores);
  }
}
