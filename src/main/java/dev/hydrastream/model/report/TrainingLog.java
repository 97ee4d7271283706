package dev.hydrastream.model.report;

import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The record of one training run that the training report is drawn from: per-step losses, per-epoch
 * validation metrics and timeline phases. Safe to feed from several threads; saved as JSON next to
 * checkpoints so that {@code --resume} continues the same curves.
 *
 * <p>Resuming rewinds: a step (or epoch) number that is not after the last one recorded means
 * training restarted from an earlier checkpoint, so the records from that number on describe
 * discarded weights and are dropped. Phases are wall-clock history and are never dropped.
 */
public final class TrainingLog {
  /** Version of the JSON layout, checked on read so an old file fails loudly, not oddly. */
  static final int FORMAT = 1;

  /**
   * Losses after one optimiser step.
   *
   * @param step global step number
   * @param epoch epoch the step belongs to
   * @param lr learning rate used for the step
   * @param losses loss per key ({@code total}, {@code weather}, ...); NaN is kept (divergence)
   */
  public record Step(long step, int epoch, double lr, Map<String, Double> losses) {
    public Step {
      losses = copy(losses, "losses");
    }
  }

  /**
   * Validation metrics after one epoch.
   *
   * @param epoch epoch number
   * @param metrics metric per key ({@code weather_acc}, {@code map50}, ...)
   */
  public record Epoch(int epoch, Map<String, Double> metrics) {
    public Epoch {
      metrics = copy(metrics, "metrics");
    }
  }

  /**
   * One stretch of wall-clock time spent on a phase such as {@code data} or {@code evaluation}.
   *
   * @param name phase name; the same name may occur many times
   * @param start when it began
   * @param end when it ended, not before {@code start}
   */
  public record Phase(String name, Instant start, Instant end) {
    public Phase {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (name.isBlank()) {
        throw new IllegalArgumentException("phase name is blank");
      }
      if (end.isBefore(start)) {
        throw new IllegalArgumentException(
            "phase " + name + " ends (" + end + ") before it starts (" + start + ")");
      }
    }
  }

  private final List<Step> steps = new ArrayList<>();
  private final List<Epoch> epochs = new ArrayList<>();
  private final List<Phase> phases = new ArrayList<>();

  /** Records the losses of one step; a step not after the last one rewinds (see class doc). */
  public synchronized void step(long step, int epoch, double lr, Map<String, Double> losses) {
    Step record = new Step(step, epoch, lr, losses);
    while (!steps.isEmpty() && steps.get(steps.size() - 1).step() >= step) {
      steps.remove(steps.size() - 1);
    }
    steps.add(record);
  }

  /** Records the validation metrics of one epoch; an epoch not after the last one rewinds. */
  public synchronized void epoch(int epoch, Map<String, Double> validationMetrics) {
    Epoch record = new Epoch(epoch, validationMetrics);
    while (!epochs.isEmpty() && epochs.get(epochs.size() - 1).epoch() >= epoch) {
      epochs.remove(epochs.size() - 1);
    }
    epochs.add(record);
  }

  /** Records one timeline phase; phases may repeat and may arrive in any order. */
  public synchronized void phase(String name, Instant start, Instant end) {
    phases.add(new Phase(name, start, end));
  }

  /** The steps in order, as of now. */
  public synchronized List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The epochs in order, as of now. */
  public synchronized List<Epoch> epochs() {
    return List.copyOf(epochs);
  }

  /** The phases in the order they were recorded, as of now. */
  public synchronized List<Phase> phases() {
    return List.copyOf(phases);
  }

  /** A consistent copy, so a report is drawn from one moment even while training goes on. */
  public synchronized TrainingLog copy() {
    TrainingLog copy = new TrainingLog();
    copy.steps.addAll(steps);
    copy.epochs.addAll(epochs);
    copy.phases.addAll(phases);
    return copy;
  }

  /** Writes the log as JSON, replacing {@code file} atomically where the file system allows. */
  public void writeJson(Path file) throws IOException {
    Doc doc;
    synchronized (this) {
      doc =
          new Doc(
              FORMAT,
              List.copyOf(steps),
              List.copyOf(epochs),
              phases.stream()
                  .map(p -> new PhaseDoc(p.name(), p.start().toString(), p.end().toString()))
                  .toList());
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    // A crash mid-write must not destroy the log that --resume needs.
    Path tmp = tempSibling(file);
    try {
      Json.MAPPER.writeValue(tmp.toFile(), doc);
      moveIntoPlace(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a log written by {@link #writeJson}. */
  public static TrainingLog readJson(Path file) throws IOException {
    Doc doc = Json.MAPPER.readValue(file.toFile(), Doc.class);
    if (doc.format() != FORMAT) {
      throw new IOException(
          file + ": training log format " + doc.format() + ", this version reads " + FORMAT);
    }
    TrainingLog log = new TrainingLog();
    // Straight into the lists: the file is already in order, and replaying through step()
    // would silently drop records if it were not.
    log.steps.addAll(nonNull(doc.steps()));
    log.epochs.addAll(nonNull(doc.epochs()));
    for (PhaseDoc p : nonNull(doc.phases())) {
      log.phases.add(new Phase(p.name(), Instant.parse(p.start()), Instant.parse(p.end())));
    }
    return log;
  }

  /**
   * A fresh name next to {@code file} for writing before the move; not createTempFile, whose
   * owner-only permissions would carry over to the report files.
   */
  static Path tempSibling(Path file) {
    Path abs = file.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, Double> copy(Map<String, Double> map, String what) {
    Objects.requireNonNull(map, what);
    Map<String, Double> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) ->
            copy.put(
                Objects.requireNonNull(k, what + " key"),
                Objects.requireNonNull(v, () -> what + " value of " + k)));
    return Collections.unmodifiableMap(copy);
  }

  /** On-disk layout; instants as ISO-8601 text since the shared mapper has no java.time. */
  private record Doc(int format, List<Step> steps, List<Epoch> epochs, List<PhaseDoc> phases) {}

  private record PhaseDoc(String name, String start, String end) {}
}
