package dev.hydrastream.telemetry;

import dev.cel.runtime.CelEvaluationException;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.PerceptionEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on one vehicle's events, in event time. A rule fires when its condition
 * is true and, with a {@code for} duration, has been true on every event of the vehicle for at
 * least that long (capture time of the first such event to this one); after an alert the rule is
 * suppressed for the vehicle for its {@code suppress} window, counting the firings it swallows. A
 * condition that fails to evaluate (e.g. a field that is absent, tested without {@code has()})
 * counts as false and is counted. Thread-safe: the state is the caller's, one per vehicle.
 */
public final class RuleEngine {

  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

  private final AlertRules rules;
  private final AtomicLong errors = new AtomicLong();

  public RuleEngine(AlertRules rules) {
    this.rules = rules;
  }

  /**
   * The alerts {@code event} raises, updating {@code state} (the vehicle's).
   *
   * @param nowMillis wall-clock time, for the alerts' latency
   */
  public List<PerceptionAlert> evaluate(PerceptionEvent event, AlertState state, long nowMillis) {
    Map<String, Object> vars = Map.of(AlertRules.VARIABLE, AvroCel.value(event));
    long ts = event.getCaptureTs().toEpochMilli();
    List<PerceptionAlert> out = new ArrayList<>();
    for (AlertRules.Compiled c : rules.compiled()) {
      AlertRule rule = c.rule();
      AlertState.RuleState s = state.get(rule.id());
      if (!holds(c, vars, event)) {
        state.put(rule.id(), new AlertState.RuleState(null, null, s.lastAlertTs(), s.suppressed()));
        continue;
      }
      long since = s.sinceTs() == null ? ts : Math.min(s.sinceTs(), ts);
      String sinceFrame = s.sinceTs() == null ? event.getFrameId() : s.sinceFrame();
      AlertState.RuleState held =
          new AlertState.RuleState(since, sinceFrame, s.lastAlertTs(), s.suppressed());
      if (ts - since < rule.holdFor().toMillis()) {
        state.put(rule.id(), held);
        continue;
      }
      if (s.lastAlertTs() != null
          && ts >= s.lastAlertTs()
          && ts - s.lastAlertTs() < rule.suppress().toMillis()) {
        state.put(
            rule.id(),
            new AlertState.RuleState(since, sinceFrame, s.lastAlertTs(), s.suppressed() + 1));
        continue;
      }
      out.add(alert(c, vars, event, since, sinceFrame, s.suppressed(), nowMillis));
      state.put(rule.id(), new AlertState.RuleState(since, sinceFrame, ts, 0));
    }
    return out;
  }

  /** Conditions and evidence that failed to evaluate so far. */
  public long evaluationErrors() {
    return errors.get();
  }

  private boolean holds(AlertRules.Compiled c, Map<String, Object> vars, PerceptionEvent event) {
    try {
      return Boolean.TRUE.equals(c.condition().eval(vars));
    } catch (CelEvaluationException e) {
      if (errors.getAndIncrement() % 1000 == 0) {
        LOG.warn(
            "rule {} could not be evaluated on {} (counted as false): {}",
            c.rule().id(),
            event.getFrameId(),
            e.getMessage());
      }
      return false;
    }
  }

  private PerceptionAlert alert(
      AlertRules.Compiled c,
      Map<String, Object> vars,
      PerceptionEvent event,
      long since,
      String sinceFrame,
      int suppressed,
      long nowMillis) {
    Map<String, String> evidence = new LinkedHashMap<>();
    c.evidence()
        .forEach(
            (name, program) -> {
              try {
                evidence.put(name, render(program.eval(vars)));
              } catch (CelEvaluationException e) {
                errors.incrementAndGet();
                evidence.put(name, "(not available: " + e.getMessage() + ")");
              }
            });
    List<String> frames = new ArrayList<>();
    if (sinceFrame != null && !sinceFrame.equals(event.getFrameId())) {
      frames.add(sinceFrame);
    }
    frames.add(event.getFrameId());
    AlertRule rule = c.rule();
    return PerceptionAlert.newBuilder()
        .setFrameId(event.getFrameId())
        .setCameraId(event.getCameraId())
        .setVehicleId(event.getVehicleId())
        .setFrameSeq(event.getFrameSeq())
        .setCaptureTs(event.getCaptureTs())
        .setFrameWidth(event.getFrameWidth())
        .setFrameHeight(event.getFrameHeight())
        .setModel(event.getModel())
        .setLatencyMs(Math.max(0, nowMillis - event.getCaptureTs().toEpochMilli()))
        .setRuleId(rule.id())
        .setSeverity(rule.severity())
        .setDescription(rule.description())
        .setFrameIds(frames)
        .setSinceTs(Instant.ofEpochMilli(since))
        .setEvidence(evidence)
        .setSuppressed(suppressed)
        .build();
  }

  /** A CEL value as evidence text: doubles to at most 3 decimals, the rest as written. */
  static String render(Object v) {
    if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d.toString();
      }
      return BigDecimal.valueOf(d)
          .setScale(3, RoundingMode.HALF_UP)
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.valueOf(v);
  }
}
