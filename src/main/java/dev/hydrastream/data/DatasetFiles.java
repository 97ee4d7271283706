package dev.hydrastream.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Listing and naming the files of one dataset directory, as the readers report them. */
final class DatasetFiles {

  private final Path root;

  /**
   * @param root the dataset directory, absolute and normalized
   */
  DatasetFiles(Path root) {
    this.root = root;
  }

  /** Entries of a directory that pass {@code filter}, sorted by name; hidden files are ignored. */
  List<Path> list(Path dir, Predicate<Path> filter) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(filter)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new DatasetException(rel(dir) + ": cannot list directory (" + e.getMessage() + ")", e);
    }
  }

  /** A path relative to the dataset root with {@code /} separators, as users see it. */
  String rel(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(root)
        ? root.relativize(abs).toString().replace('\\', '/')
        : abs.toString();
  }
}
