package dev.hydrastream.bench;

import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every benchmark report shares: the machine it ran on (first field of each report, as
 * absolute figures only compare within one machine) and how it is written next to its chart.
 */
public final class Reports {

  private Reports() {}

  /** Cores, architecture and OS of this machine, e.g. {@code 2 cores, amd64, Linux}. */
  public static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + System.getProperty("os.arch")
        + ", "
        + System.getProperty("os.name");
  }

  /** Writes {@code report} as {@code dir/name.json}, creating {@code dir}. */
  public static void write(Path dir, String name, Object report) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".json"), Json.MAPPER.writeValueAsString(report) + "\n");
  }

  /** Work that needs a scratch directory. */
  @FunctionalInterface
  public interface Scratch<T> {
    T run(Path work) throws Exception;
  }

  /**
   * Runs {@code work} in a scratch directory ({@link #inScratch}) and writes its report as {@code
   * <name>.json} into {@code out}.
   */
  public static <T> T measureAndWrite(String name, Path out, Scratch<T> work) throws Exception {
    T report = inScratch("hydra-bench-" + name, work);
    write(out, name, report);
    return report;
  }

  /** Runs {@code work} in a new temp directory, deleted afterwards (best effort). */
  public static <T> T inScratch(String prefix, Scratch<T> work) throws Exception {
    Path dir = Files.createTempDirectory(prefix);
    try {
      return work.run(dir);
    } finally {
      try {
        dev.hydrastream.util.Trees.delete(dir);
      } catch (IOException e) {
        // Best effort: a leftover temp dir must not fail a finished run.
      }
    }
  }
}
