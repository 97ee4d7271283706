package dev.hydrastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.streams.topics.Topics;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution {@code mvn package} lays out runs on its own: a copy of it outside the checkout
 * runs {@code bin/hydrastream demo --duration 20s --profile low-latency} (the profile's JVM flags
 * read from its {@code profiles/} file) from yet another directory with nothing on the PATH but
 * {@code java}, and every frame gets its results (no Maven, no launcher, no source tree).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DistributionIT {

  @TempDir Path tmp;

  @Test
  void distributionRunsTheDemoWithOnlyJavaOnThePath() throws Exception {
    Path built = Path.of(System.getProperty("hydra.dist", "target/dist/missing"));
    assertThat(built.resolve("bin/hydrastream"))
        .as("the distribution of `mvn package` (failsafe passes its path as hydra.dist)")
        .isExecutable();
    Path dist = linkTree(built, tmp.resolve("install/hydrastream"));
    Path path = Files.createDirectories(tmp.resolve("only-java"));
    Files.createSymbolicLink(
        path.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path out = tmp.resolve("demo.out");
    Path err = tmp.resolve("demo.err");

    ProcessBuilder pb =
        new ProcessBuilder(
                dist.resolve("bin/hydrastream").toString(),
                "demo",
                "--duration",
                "20s",
                "--http-port",
                "0",
                "--json",
                // the launcher reads the profile's JVM flags from profiles/low-latency.properties
                "--profile",
                "low-latency")
            .directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", path.toString());
    // The natives cache of this user, as a user's second start would find it.
    pb.environment().put("HOME", System.getProperty("user.home"));
    Process p = pb.start();
    boolean ended = p.waitFor(12, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String report = "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + read(err);
    assertThat(ended).as("demo ended within 12 minutes" + report).isTrue();
    assertThat(p.exitValue()).as("exit code" + report).isZero();

    JsonNode summary = Json.MAPPER.readTree(out.toFile());
    assertThat(summary.path("machine").asText())
        .as("the profile's jvm.options reached the JVM" + report)
        .endsWith("JIT C1 only");
    long framesIn = summary.path("frames_in").asLong();
    assertThat(framesIn).as("frames sent" + report).isPositive();
    assertThat(summary.path("frames_lost").asLong()).as("frames lost" + report).isZero();
    assertThat(summary.path("duplicate_results").asLong()).as("duplicates" + report).isZero();
    for (Topics.Topic<?, ?> t : new Topics("").results()) {
      assertThat(summary.path("results").path(t.name()).asLong())
          .as("%s results%s", t.name(), report)
          .isEqualTo(framesIn);
    }
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left).as("nothing written to the working directory").isEmpty();
    }
    System.out.printf(
        "distribution: demo from %s, %d frames, p50 %.0f ms%n",
        dist, framesIn, summary.path("latency_ms_p50").asDouble());
  }

  /** {@code from}'s tree under {@code to}, files hard-linked (same disk) or else copied. */
  private static Path linkTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path src : (Iterable<Path>) all::iterator) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          try {
            Files.createLink(dst, src);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(src, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
    return to;
  }

  private static String read(Path p) throws IOException {
    String s = Files.readString(p);
    return s.length() > 20_000 ? s.substring(s.length() - 20_000) : s;
  }
}
