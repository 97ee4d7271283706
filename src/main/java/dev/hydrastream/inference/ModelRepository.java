package dev.hydrastream.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.util.Json;
import dev.hydrastream.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model repository ({@code model.repository}): a directory of models as {@code NAME/VERSION/}
 * (each a model directory: saved_model.pb, variables/, model.json). A flat {@code NAME/} holding a
 * model directly counts as the version its card names, so the shipped {@code models/hydranet/} is
 * an entry too. {@link #resolve} is how an activation finds its directory.
 *
 * @param root the repository directory
 */
public record ModelRepository(Path root) {

  /** What a model name or version may be: one path segment, no dots first (never {@code ..}). */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");

  /**
   * One model of the repository, as found on disk.
   *
   * @param name the model name (its directory's)
   * @param version the version (its directory's, or a flat directory's card's)
   * @param dir the model directory
   * @param card its card, or null when it cannot be read
   * @param problem why its files do not verify (card, files, SHA-256), or null when they do
   */
  public record Entry(String name, String version, Path dir, ModelCard card, String problem) {

    /** Whether the card reads and the files match it, SHA-256 included. */
    public boolean verified() {
      return problem == null;
    }
  }

  /**
   * The directory of model {@code name} version {@code version}: {@code <root>/NAME/VERSION/}, or
   * else {@code <root>/NAME/} when that directory holds a model whose card says this version.
   *
   * @throws IllegalArgumentException naming the directories looked at, for a malformed name or
   *     version or a model the repository does not have
   */
  public Path resolve(String name, String version) {
    requireSegment("model name", name);
    requireSegment("model version", version);
    Path versioned = root.resolve(name).resolve(version);
    if (Files.isRegularFile(versioned.resolve(ModelCard.FILE))) {
      return versioned;
    }
    Path flat = root.resolve(name);
    String flatVersion = null;
    if (Files.isRegularFile(flat.resolve(ModelCard.FILE))) {
      try {
        flatVersion = ModelCard.read(flat).version();
      } catch (IllegalArgumentException e) {
        flatVersion = "unreadable: " + e.getMessage();
      }
      if (version.equals(flatVersion)) {
        return flat;
      }
    }
    throw new IllegalArgumentException(
        "model "
            + name
            + " version "
            + version
            + " is not in the repository "
            + root
            + ": no "
            + versioned.resolve(ModelCard.FILE)
            + (flatVersion == null
                ? ", and no " + flat.resolve(ModelCard.FILE)
                : ", and " + flat.resolve(ModelCard.FILE) + " is version " + flatVersion));
  }

  /**
   * The entry an activation of {@code name} version {@code version} would take, checked on files:
   * it exists ({@link #resolve}), its card names this name and version, and its graph matches the
   * card's SHA-256 ({@link #verifyFiles}). What is checked before an activation is requested.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  public Entry require(String name, String version) {
    Path dir = resolve(name, version);
    ModelCard card = ModelCard.read(dir);
    if (!card.name().equals(name) || !card.version().equals(version)) {
      throw new IllegalArgumentException(
          dir.resolve(ModelCard.FILE) + " is " + card.id() + ", not " + name + "@" + version);
    }
    verifyFiles(dir, card);
    return new Entry(name, version, dir, card, null);
  }

  /**
   * Copies the model directory {@code model} into this repository as {@code NAME/VERSION/}, its
   * card renamed to say so (the graph and its SHA-256 unchanged): a second version of a model to
   * activate, e.g. for {@code demo --switch-model copy}.
   *
   * @return the new model directory
   * @throws IllegalArgumentException for a malformed name or version, or when the entry exists
   */
  public Path add(Path model, String name, String version) throws IOException {
    requireSegment("model name", name);
    requireSegment("model version", version);
    Path dir = root.resolve(name).resolve(version);
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(
          dir + " exists: the repository has " + name + "@" + version);
    }
    Trees.copy(model, dir);
    Path file = dir.resolve(ModelCard.FILE);
    ObjectNode card = (ObjectNode) Json.MAPPER.readTree(file.toFile());
    card.put("name", name).put("version", version);
    Files.writeString(file, Json.MAPPER.writeValueAsString(card));
    return dir;
  }

  /** Every model of the repository, by name and version, each with its files verified. */
  public List<Entry> list() {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": model repository does not exist");
    }
    List<Entry> out = new ArrayList<>();
    for (Path named : children(root)) {
      String name = named.getFileName().toString();
      if (Files.isRegularFile(named.resolve(ModelCard.FILE))) {
        out.add(entry(name, null, named));
      }
      for (Path versioned : children(named)) {
        if (Files.isRegularFile(versioned.resolve(ModelCard.FILE))) {
          out.add(entry(name, versioned.getFileName().toString(), versioned));
        }
      }
    }
    out.sort(Comparator.comparing(Entry::name).thenComparing(Entry::version));
    return List.copyOf(out);
  }

  private static Entry entry(String name, String version, Path dir) {
    ModelCard card;
    try {
      card = ModelCard.read(dir);
    } catch (IllegalArgumentException e) {
      return new Entry(name, version == null ? "?" : version, dir, null, e.getMessage());
    }
    String v = version == null ? card.version() : version;
    try {
      verifyFiles(dir, card);
      if (!card.name().equals(name) || !card.version().equals(v)) {
        return new Entry(
            name,
            v,
            dir,
            card,
            dir.resolve(ModelCard.FILE)
                + " names "
                + card.id()
                + ", but the directory is "
                + name
                + "@"
                + v);
      }
      return new Entry(name, v, dir, card, null);
    } catch (IllegalArgumentException e) {
      return new Entry(name, v, dir, card, e.getMessage());
    }
  }

  /**
   * Checks a model directory's files against its card, which must name the SHA-256 of its graph (an
   * activation trusts no model without one).
   */
  public static void verifyFiles(Path dir, ModelCard card) {
    if (card.raw() == null || card.raw().path(ModelCard.SHA256_FIELD).asText("").isEmpty()) {
      throw new IllegalArgumentException(
          dir.resolve(ModelCard.FILE)
              + ": no "
              + ModelCard.SHA256_FIELD
              + " (a model is activated only with the SHA-256 of its saved_model.pb)");
    }
    card.checkFiles(dir);
  }

  private static void requireSegment(String what, String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "malformed "
              + what
              + " '"
              + value
              + "': 1 to 100 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
    }
  }

  private static List<Path> children(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + ": cannot list (" + e.getMessage() + ")", e);
    }
  }
}
