package dev.hydrastream.demo;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's {@code model_switches} block ({@code demo --switch-model}): what became of the
 * activations the demo put on perception.control, which model answered each frame (the results'
 * lineage headers), and the longest gap between consecutive fused results of any camera around each
 * switch, against the bound {@code 2 x commit.interval.ms + one model call} (the run's p99 model
 * call).
 *
 * @param started the model the service started with ({@code name@version})
 * @param candidate the model the demo switched to and back from
 * @param switchesAsked {@code --switches}
 * @param switchesRequested activations put on perception.control (fewer than asked when the run
 *     ended first)
 * @param switchesActivated activations the service answered {@code activated}
 * @param switchesRefused activations the service answered {@code refused}
 * @param framesByModel frames whose every result names this model, by {@code name@version}
 * @param framesAnsweredByMoreThanOneModel frames with results naming different models (must be 0)
 * @param framesAnsweredByNone frames sent, not dead-lettered, with no result (lost)
 * @param duplicateResults records beyond one per frame over the result topics (the summary's)
 * @param boundMs {@code 2 x commitIntervalMs + modelCallP99Ms}
 * @param longestGapMs the longest time between two consecutive fused results of one camera (as the
 *     read_committed reader received them) over the whole run
 * @param longestGapAwayMs the longest such gap away from the switches: overlapping no switch's
 *     window, from {@link #STARTUP_MS} after the first result (what the same load gives without a
 *     switch)
 * @param boundHeld whether every switch's longest gap was within the bound
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelSwitches(
    String started,
    String candidate,
    int switchesAsked,
    int switchesRequested,
    int switchesActivated,
    int switchesRefused,
    Map<String, Long> framesByModel,
    long framesAnsweredByMoreThanOneModel,
    long framesAnsweredByNone,
    long duplicateResults,
    long commitIntervalMs,
    double modelCallP99Ms,
    double boundMs,
    long longestGapMs,
    String longestGapCamera,
    long longestGapAwayMs,
    boolean boundHeld,
    List<Switch> switches) {

  /**
   * How far around a switch its gaps count: from this long before the activation was requested to
   * this long after the service answered it (loading and warming the candidate included).
   */
  static final long WINDOW_MS = 2_000;

  /** The start of a run whose gaps {@code longest_gap_away_ms} leaves out (the demo's warm-up). */
  static final long STARTUP_MS = 10_000;

  /** An outcome the service reports for an activation it switched to. */
  static final String ACTIVATED = "activated";

  /** An outcome the service reports for an activation it refused. */
  static final String REFUSED = "refused";

  /**
   * One activation the demo requested and what became of it.
   *
   * @param outcome {@code activated}, {@code refused}, or {@code no answer} (none within the wait)
   * @param requestedAtMs when the activation was put on perception.control (epoch ms)
   * @param answeredAtMs when the service ended it, as it reports (epoch ms; the demo's clock when
   *     there was no answer)
   */
  record Requested(
      int n,
      String from,
      String to,
      String request,
      String outcome,
      String reason,
      long requestedAtMs,
      long answeredAtMs) {}

  /**
   * One switch in the summary.
   *
   * @param activationMs from the request to the service's answer (load, verify, warm, switch)
   * @param longestGapMs the longest time between two consecutive fused results of one camera that
   *     overlaps the switch's window ({@link #WINDOW_MS} before the request to as long after the
   *     answer)
   * @param held whether {@code longestGapMs} is within the bound
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Switch(
      int n,
      String from,
      String to,
      String outcome,
      String reason,
      long requestedAtMs,
      long activationMs,
      long longestGapMs,
      String longestGapCamera,
      boolean held) {}

  /**
   * What the results reader saw of the results' lineage, fed one record at a time: the model each
   * frame's results name, and when each camera's fused results arrived.
   */
  static final class Answers {
    private final Map<String, String> modelByFrame = new HashMap<>();
    private final Set<String> mixed = new HashSet<>();
    private final Map<String, List<Long>> receivedByCamera = new HashMap<>();

    /** A result of frame {@code frameId} answered by {@code model} ({@code name@version}). */
    synchronized void answer(String frameId, String model) {
      String before = modelByFrame.putIfAbsent(frameId, model);
      if (before != null && !before.equals(model)) {
        mixed.add(frameId);
      }
    }

    /** A fused result of {@code camera} received at {@code receivedMs}. */
    synchronized void received(String camera, long receivedMs) {
      receivedByCamera.computeIfAbsent(camera, k -> new ArrayList<>()).add(receivedMs);
    }

    /** Frames answered by each model alone. */
    synchronized Map<String, Long> framesByModel() {
      Map<String, Long> out = new TreeMap<>();
      modelByFrame.forEach(
          (frame, model) -> {
            if (!mixed.contains(frame)) {
              out.merge(model, 1L, Long::sum);
            }
          });
      return out;
    }

    synchronized int framesAnswered() {
      return modelByFrame.size();
    }

    synchronized int framesMixed() {
      return mixed.size();
    }

    /**
     * The longest time between two consecutive results of one camera such that the pair overlaps
     * {@code [from, to]} (the first at or before {@code to}, the second at or after {@code from});
     * {@code 0} and no camera when there is no such pair.
     */
    Gap longestGap(long from, long to) {
      return longest((a, b) -> a <= to && b >= from);
    }

    /**
     * The longest time between two consecutive results of one camera such that the first is at or
     * after {@code since} and the pair overlaps none of {@code windows} ({@code [from, to]} each);
     * {@code 0} and no camera when there is no such pair.
     */
    Gap longestGapOutside(List<long[]> windows, long since) {
      return longest(
          (a, b) -> a >= since && windows.stream().noneMatch(w -> a <= w[1] && b >= w[0]));
    }

    /** A pair of consecutive results of one camera, received at {@code a} and then {@code b}. */
    private interface Pair {
      boolean counts(long a, long b);
    }

    /** The longest gap between consecutive results of one camera whose pair {@code counts}. */
    private synchronized Gap longest(Pair counts) {
      Gap best = new Gap(0, null);
      for (Map.Entry<String, List<Long>> e : new TreeMap<>(receivedByCamera).entrySet()) {
        long[] t = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
        for (int i = 1; i < t.length; i++) {
          if (t[i] - t[i - 1] > best.ms() && counts.counts(t[i - 1], t[i])) {
            best = new Gap(t[i] - t[i - 1], e.getKey());
          }
        }
      }
      return best;
    }

    /** When the first result arrived; {@code Long.MAX_VALUE} before any. */
    synchronized long firstReceived() {
      return receivedByCamera.values().stream()
          .flatMap(List::stream)
          .mapToLong(Long::longValue)
          .min()
          .orElse(Long.MAX_VALUE);
    }
  }

  /** A gap between two consecutive results of {@code camera}. */
  record Gap(long ms, String camera) {}

  /**
   * A run's switches as the demo saw them, to be summed up with the run's delivery counts.
   *
   * @param started the started model ({@code name@version})
   * @param candidate the candidate
   * @param asked {@code --switches}
   * @param requested the activations requested, in order
   * @param answers what the results reader saw
   * @param commitIntervalMs the service's {@code commit.interval.ms}
   * @param modelCallP99Ms the p99 of the service's model calls ({@code hydrastream_stage_seconds},
   *     stage {@code model})
   */
  record Run(
      String started,
      String candidate,
      int asked,
      List<Requested> requested,
      Answers answers,
      long commitIntervalMs,
      double modelCallP99Ms) {

    /**
     * The summary block.
     *
     * @param sent frames sent
     * @param deadLetters frames dead-lettered
     * @param duplicates records beyond one per frame over the result topics
     */
    ModelSwitches summary(long sent, long deadLetters, long duplicates) {
      double bound = 2.0 * commitIntervalMs + modelCallP99Ms;
      List<Switch> switches = new ArrayList<>();
      List<long[]> windows = new ArrayList<>();
      for (Requested r : requested) {
        long[] window = {r.requestedAtMs() - WINDOW_MS, r.answeredAtMs() + WINDOW_MS};
        windows.add(window);
        Gap g = answers.longestGap(window[0], window[1]);
        switches.add(
            new Switch(
                r.n(),
                r.from(),
                r.to(),
                r.outcome(),
                r.reason(),
                r.requestedAtMs(),
                r.answeredAtMs() - r.requestedAtMs(),
                g.ms(),
                g.camera(),
                g.ms() <= bound));
      }
      Gap whole = answers.longestGap(Long.MIN_VALUE, Long.MAX_VALUE);
      return new ModelSwitches(
          started,
          candidate,
          asked,
          requested.size(),
          (int) requested.stream().filter(r -> ACTIVATED.equals(r.outcome())).count(),
          (int) requested.stream().filter(r -> REFUSED.equals(r.outcome())).count(),
          answers.framesByModel(),
          answers.framesMixed(),
          Math.max(0, sent - deadLetters - answers.framesAnswered()),
          duplicates,
          commitIntervalMs,
          modelCallP99Ms,
          bound,
          whole.ms(),
          whole.camera(),
          answers.longestGapOutside(windows, answers.firstReceived() + STARTUP_MS).ms(),
          switches.stream().allMatch(Switch::held),
          List.copyOf(switches));
    }
  }

  /**
   * What broke the promise of a switch, one line each: fewer switches than asked, an activation
   * refused or not answered, a frame answered by two models, a frame lost. Empty when every switch
   * was clean; the gap bound is a measurement and reported in {@link #boundHeld}, not here.
   */
  public List<String> failures() {
    List<String> out = new ArrayList<>();
    if (switchesRequested < switchesAsked) {
      out.add(
          "only "
              + switchesRequested
              + " of "
              + switchesAsked
              + " switches requested: the run ended first (a longer --duration)");
    }
    for (Switch s : switches) {
      if (!ACTIVATED.equals(s.outcome())) {
        out.add(
            "switch "
                + s.n()
                + " to "
                + s.to()
                + ": "
                + s.outcome()
                + (s.reason() == null ? "" : " (" + s.reason() + ")"));
      }
    }
    if (framesAnsweredByMoreThanOneModel > 0) {
      out.add(framesAnsweredByMoreThanOneModel + " frames answered by more than one model");
    }
    if (framesAnsweredByNone > 0) {
      out.add(framesAnsweredByNone + " frames answered by no model");
    }
    return out;
  }
}
