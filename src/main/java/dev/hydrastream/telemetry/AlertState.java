package dev.hydrastream.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the rules remember about one vehicle between its events: per rule, since when its condition
 * has held and when it last raised an alert. Kept in a state store (changelogged, so it survives
 * restarts and moves with its partition); serialized as small JSON. Not thread-safe.
 */
public final class AlertState {

  /**
   * One rule's memory.
   *
   * @param sinceTs capture time of the first event of the current run of true conditions, or null
   * @param sinceFrame frame id of that event, or null
   * @param lastAlertTs capture time of the event of the last alert, or null
   * @param suppressed firings inside the suppression window since the last alert
   */
  public record RuleState(Long sinceTs, String sinceFrame, Long lastAlertTs, int suppressed) {
    static final RuleState EMPTY = new RuleState(null, null, null, 0);
  }

  private final Map<String, RuleState> rules;

  public AlertState() {
    this(new TreeMap<>());
  }

  private AlertState(Map<String, RuleState> rules) {
    this.rules = rules;
  }

  RuleState get(String ruleId) {
    return rules.getOrDefault(ruleId, RuleState.EMPTY);
  }

  void put(String ruleId, RuleState state) {
    if (state.equals(RuleState.EMPTY)) {
      rules.remove(ruleId);
    } else {
      rules.put(ruleId, state);
    }
  }

  /** Whether nothing is remembered (the store entry can be deleted). */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The state as bytes for the store. */
  public byte[] toBytes() {
    try {
      return Json.MAPPER.writeValueAsBytes(rules);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The state stored as {@code bytes} (null: nothing remembered). */
  public static AlertState fromBytes(byte[] bytes) {
    if (bytes == null) {
      return new AlertState();
    }
    try {
      Map<String, RuleState> rules =
          Json.MAPPER.readValue(
              bytes,
              Json.MAPPER
                  .getTypeFactory()
                  .constructMapType(TreeMap.class, String.class, RuleState.class));
      return new AlertState(rules);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable alert state: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return rules.toString();
  }
}
