package dev.hydrastream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogRoutingTest {

  @TempDir Path tmp;

  @Test
  void theTerminalKeepsOurWarningsAndLibraryErrorsButNotTheBrokers() {
    String ours = "dev.hydrastream.streams.PerceptionService";
    assertThat(LogRouting.toTerminal(ours, Level.WARN, Level.WARN)).isTrue();
    assertThat(LogRouting.toTerminal(ours, Level.INFO, Level.WARN)).isFalse();
    assertThat(LogRouting.toTerminal(ours, Level.INFO, Level.INFO)).isTrue();
    String client = "org.apache.kafka.clients.producer.internals.Sender";
    assertThat(LogRouting.toTerminal(client, Level.WARN, Level.INFO)).isFalse();
    assertThat(LogRouting.toTerminal(client, Level.ERROR, Level.WARN)).isTrue();
    assertThat(LogRouting.toTerminal("io.javalin.Javalin", Level.INFO, Level.INFO)).isFalse();
    assertThat(LogRouting.toTerminal("kafka.server.ReplicaManager", Level.ERROR, Level.WARN))
        .isFalse();
    assertThat(
            LogRouting.toTerminal(
                "org.apache.kafka.controller.QuorumController", Level.ERROR, Level.WARN))
        .isFalse();
  }

  @Test
  void libraryWarningsGoToTheFileOnlyAndTheTerminalIsRestoredAfterwards() throws Exception {
    Path file = tmp.resolve("logs/demo.log");
    Logger ours = LoggerFactory.getLogger("dev.hydrastream.cli.LogRoutingTest.Ours");
    Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient");
    Logger broker = LoggerFactory.getLogger("kafka.server.ReplicaManager");
    Logger jetty = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");
    StringWriter said = new StringWriter();
    LogFileOption option = new LogFileOption();
    option.logFile = file.toString();
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(terminal, true, StandardCharsets.UTF_8));
    try {
      try (LogRouting routing = option.apply("demo", Level.WARN, new PrintWriter(said, true))) {
        assertThat(routing).isNotNull();
        ours.info("our progress detail");
        ours.warn("our warning");
        kafka.warn("CONCURRENT_TRANSACTIONS retry");
        kafka.error("a client error");
        broker.error("OutOfOrderSequenceException");
        jetty.info("jetty banner");
      }
      kafka.warn("after close");
    } finally {
      System.setErr(err);
    }
    assertThat(said.toString()).contains("demo: log").contains(file.toString());
    String shown = terminal.toString(StandardCharsets.UTF_8);
    assertThat(shown)
        .contains("our warning", "a client error", "after close")
        .doesNotContain(
            "our progress detail",
            "CONCURRENT_TRANSACTIONS",
            "OutOfOrderSequenceException",
            "jetty banner");
    String logged = Files.readString(file);
    assertThat(logged)
        .contains(
            "our progress detail",
            "our warning",
            "CONCURRENT_TRANSACTIONS retry",
            "a client error",
            "OutOfOrderSequenceException",
            "jetty banner")
        .doesNotContain("after close");
  }

  @Test
  void theDemosDefaultFileIsNewAndOnlyTheNewestAreKept() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("logs"));
    for (int i = 0; i < LogFileOption.KEPT + 5; i++) {
      Files.writeString(dir.resolve(String.format("demo-20260101-0000%02d-1.log", i)), "old");
    }
    Files.writeString(dir.resolve("run-20250101-000000-1.log"), "another command's");
    Path file = LogFileOption.defaultFile(dir, "demo");
    assertThat(file.getFileName().toString()).matches("demo-\\d{8}-\\d{6}-\\d+\\.log");
    assertThat(file).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .hasSize(LogFileOption.KEPT)
          .contains("run-20250101-000000-1.log", "demo-20260101-000024-1.log")
          .doesNotContain("demo-20260101-000005-1.log");
    }
  }

  @Test
  void aDashKeepsEverythingOnStderr() {
    LogFileOption option = new LogFileOption();
    option.logFile = "-";
    StringWriter said = new StringWriter();
    assertThat(option.apply("demo", Level.WARN, new PrintWriter(said, true))).isNull();
    assertThat(said.toString()).isEmpty();
    option.logFile = null;
    assertThat(option.apply("run", Level.INFO, new PrintWriter(said, true))).isNull();
  }
}
