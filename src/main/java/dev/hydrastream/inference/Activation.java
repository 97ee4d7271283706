package dev.hydrastream.inference;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What came of activating a model on a running service ({@link Serving#activate}).
 *
 * @param model the model name asked for
 * @param version the version asked for
 * @param dir the directory it resolved to (null when it did not resolve)
 * @param outcome activated, or refused (the old model keeps serving)
 * @param reason why it was refused, or null
 * @param sha256 the SHA-256 of its saved_model.pb as its card names it, or null
 * @param millis how long loading, verifying and switching took
 */
public record Activation(
    String model,
    String version,
    Path dir,
    Outcome outcome,
    String reason,
    String sha256,
    long millis) {

  /** Stable outcome names (metric labels, status records). */
  public enum Outcome {
    ACTIVATED,
    REFUSED;

    /** The lower-case name used in metrics and records. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code name@version}, as result records name a model. */
  public String id() {
    return model + "@" + version;
  }

  /** A refusal before or during loading. */
  public static Activation refused(
      String model, String version, Path dir, String reason, long millis) {
    return new Activation(model, version, dir, Outcome.REFUSED, reason, null, millis);
  }
}
