package dev.hydrastream.spec;

import java.util.regex.Pattern;

/**
 * Which model answered a frame: its card's name and version and the SHA-256 of its {@code
 * saved_model.pb}. Each {@link Perception} carries the identity of the model that produced it, so a
 * result names the model that actually answered it even when the served model changes between
 * frames.
 *
 * @param name the card's {@code name}
 * @param version the card's {@code version}
 * @param sha256 lower-case hex SHA-256 of {@code saved_model.pb}; empty when the graph has no file
 *     (a graph the trainer validates before it is exported)
 */
public record ModelIdentity(String name, String version, String sha256) {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  /**
   * @throws IllegalArgumentException naming the part that is blank or not a SHA-256
   */
  public ModelIdentity {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model identity: name is blank");
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("model identity of " + name + ": version is blank");
    }
    sha256 = sha256 == null ? "" : sha256.toLowerCase(java.util.Locale.ROOT);
    if (!sha256.isEmpty() && !HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "model identity of "
              + name
              + "@"
              + version
              + ": sha256 '"
              + sha256
              + "' is not 64 hex digits");
    }
  }

  /** An identity without a graph file (no SHA-256). */
  public static ModelIdentity of(String name, String version) {
    return new ModelIdentity(name, version, "");
  }

  /** {@code name@version}, the {@code model} field of every result record. */
  public String id() {
    return name + "@" + version;
  }

  @Override
  public String toString() {
    return sha256.isEmpty() ? id() : id() + " (sha256 " + sha256 + ")";
  }
}
