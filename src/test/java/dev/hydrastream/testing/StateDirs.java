package dev.hydrastream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kafka Streams state directories for topology test drivers. */
public final class StateDirs {
  private StateDirs() {}

  /**
   * A fresh state directory per driver (emptied when the driver closes, removed at exit): a failed
   * run's RocksDB state and locks under the shared default {@code /tmp/kafka-streams} never reach
   * the next run.
   */
  public static String fresh() {
    try {
      Path dir = Files.createTempDirectory("hydra-streams-test");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
