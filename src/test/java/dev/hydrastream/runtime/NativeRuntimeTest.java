package dev.hydrastream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction of native libraries into the cache, exercised with a small fake native set laid out
 * like the TensorFlow native jar ({@code native/lib/tensorflow.properties} + listed files).
 */
class NativeRuntimeTest {

  @TempDir Path tmp;
  Path resources;
  Path cache;

  @BeforeEach
  void fakeNatives() throws IOException {
    resources = tmp.resolve("res");
    cache = tmp.resolve("cache");
    Path lib = resources.resolve("native/lib");
    Files.createDirectories(lib);
    Files.writeString(
        lib.resolve("tensorflow.properties"),
        "version=9.9.9-test\nclassifier=fake-linux\nlibraries=LICENSE,libjnitensorflow.so,libbig.so\n");
    Files.writeString(lib.resolve("LICENSE"), "test licence\n");
    Files.writeString(lib.resolve("libjnitensorflow.so"), "not really a library\n");
    byte[] big = new byte[24 << 20];
    new Random(1).nextBytes(big);
    try (OutputStream out = Files.newOutputStream(lib.resolve("libbig.so"))) {
      out.write(big);
    }
  }

  private ClassLoader loader() throws IOException {
    return new URLClassLoader(new URL[] {resources.toUri().toURL()}, null);
  }

  @Test
  void extractsOnceThenReusesTheCache() throws IOException {
    NativeRuntime.Status first = NativeRuntime.ensure(cache, loader());
    assertThat(first.source()).isEqualTo("extracted");
    assertThat(first.libraryDir()).isEqualTo(cache.resolve("tensorflow/9.9.9-test-fake-linux"));
    assertThat(first.libraryDir().resolve("libbig.so")).hasSize(24 << 20);
    assertThat(Files.readString(first.libraryDir().resolve("LICENSE"))).isEqualTo("test licence\n");
    List<NativeRuntime.Entry> manifest =
        NativeRuntime.readManifest(first.libraryDir().resolve(NativeRuntime.MANIFEST));
    assertThat(manifest)
        .extracting(NativeRuntime.Entry::name)
        .containsExactly("LICENSE", "libjnitensorflow.so", "libbig.so");
    assertThat(NativeRuntime.verify(first.libraryDir())).isEmpty();

    NativeRuntime.Status second = NativeRuntime.ensure(cache, loader());
    assertThat(second.source()).isEqualTo("cache");
    assertThat(second.extracted()).isFalse();
    // no temporary extraction directories are left behind
    try (var list = Files.list(cache.resolve("tensorflow"))) {
      assertThat(list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
          .containsExactly("9.9.9-test-fake-linux");
    }
  }

  @Test
  void damagedCacheIsExtractedAgainAndVerifyReportsCorruption() throws IOException {
    Path dir = NativeRuntime.ensure(cache, loader()).libraryDir();
    // same size, different content: only the checksum check can see it
    byte[] bytes = Files.readAllBytes(dir.resolve("libjnitensorflow.so"));
    bytes[0] ^= 1;
    Files.write(dir.resolve("libjnitensorflow.so"), bytes);
    assertThat(NativeRuntime.verify(dir))
        .singleElement()
        .asString()
        .contains("libjnitensorflow.so")
        .contains("sha256");

    // a truncated library is caught by the size check at start and replaced
    Files.write(dir.resolve("libbig.so"), new byte[10]);
    NativeRuntime.Status again = NativeRuntime.ensure(cache, loader());
    assertThat(again.source()).isEqualTo("extracted");
    assertThat(dir.resolve("libbig.so")).hasSize(24 << 20);
  }

  @Test
  void missingNativeJarNamesTheArtifact() {
    ClassLoader empty = new URLClassLoader(new URL[0], null);
    assertThatThrownBy(() -> NativeRuntime.ensure(cache, empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tensorflow-native-cu121")
        .hasMessageContaining("native/lib/tensorflow.properties");
  }

  @Test
  void propertiesWithoutAFieldNameTheField() throws IOException {
    Files.writeString(
        resources.resolve("native/lib/tensorflow.properties"), "version=1\nlibraries=LICENSE\n");
    assertThatThrownBy(() -> NativeRuntime.ensure(cache, loader()))
        .hasMessageContaining("classifier");
  }

  @Test
  void twoProcessesStartingTogetherExtractOnce() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              Child.class.getName(),
              cache.toString(),
              resources.toString());
      pb.redirectErrorStream(true);
      processes.add(pb.start());
    }
    List<String> sources = new ArrayList<>();
    for (Process p : processes) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      sources.add(out.lines().filter(l -> l.startsWith("source=")).findFirst().orElse(out));
    }
    assertThat(sources).containsExactlyInAnyOrder("source=extracted", "source=cache");
    assertThat(NativeRuntime.verify(cache.resolve("tensorflow/9.9.9-test-fake-linux"))).isEmpty();
  }

  /** Entry point of the child JVMs in {@link #twoProcessesStartingTogetherExtractOnce}. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      ClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[1]).toUri().toURL()}, null);
      NativeRuntime.Status s = NativeRuntime.ensure(Path.of(args[0]), loader);
      System.out.println("source=" + s.source());
    }
  }
}
