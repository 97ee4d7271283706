package dev.hydrastream.config;

import dev.hydrastream.spec.ModelIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The settings that change what the service writes on its result topics, and their digest ({@code
 * hydra.settings.digest} on every result): two results with the same digest, service version and
 * source frame came from the same model and the same result-changing settings, so a replay with
 * them must give the same bytes. Settings that only say where, how fast or on which machine
 * (addresses, ports, paths, threads, batching, the device, metrics, the dashboard) are left out:
 * the digest depends neither on the instance nor on the clock.
 *
 * <p>The digest is the SHA-256 (lower-case hex) of the UTF-8 lines {@code key=value\n} in key order
 * ({@link #lines}): the model identity ({@code model.name}, {@code model.version}, {@code
 * model.sha256}) of the model that answered the frame, each setting below as its parsed value (so
 * {@code 0.50} and {@code 0.5} agree; lists joined by commas), and, with {@code telemetry.enabled},
 * {@code alerts.rules.sha256}, the SHA-256 of the rules file's content (its path is left out).
 */
public final class ResultSettings {

  /** Digest line of the alert rules' content (with {@code telemetry.enabled}). */
  public static final String ALERT_RULES_SHA256 = "alerts.rules.sha256";

  /** Each result-changing setting with why it is in the digest, in key order. */
  private static final SortedMap<String, String> WHY = why();

  private ResultSettings() {}

  private static SortedMap<String, String> why() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Settings.MODEL_MIN_SCORE, "detections below it are dropped");
    m.put(Settings.OUTPUT_FORMAT, "the bytes of every record (Avro or JSON)");
    m.put(Settings.FRAME_MAX_BYTES, "larger frames are dead-lettered instead of answered");
    m.put(Settings.FRAME_MAX_WIDTH, "wider frames are dead-lettered instead of answered");
    m.put(Settings.FRAME_MAX_HEIGHT, "taller frames are dead-lettered instead of answered");
    m.put(Settings.FRAME_MAX_AGE_MS, "which frames count as late");
    m.put(Settings.FRAME_LATE_POLICY, "whether late frames are answered");
    m.put(Settings.FRAME_OUT_OF_ORDER_POLICY, "whether out-of-order frames are answered");
    m.put(
        Settings.BATCH_PAD_SINGLE,
        "whether a lone frame's outputs have the bits it has in a batch (batch composition)");
    m.put(Settings.RESULTS_LATENCY, "whether latency_ms is in the record values");
    for (String name : Settings.DEF.names()) {
      if (name.startsWith("track.")) {
        m.put(name, "the tracks (ids, states, boxes) on perception.tracks and perception.frames");
      }
    }
    m.put(Settings.TELEMETRY_ENABLED, "whether events and alerts are written");
    m.put(Settings.TELEMETRY_MAX_STALENESS_MS, "which telemetry an event joins (else STALE)");
    m.put(Settings.TELEMETRY_GRACE_MS, "how long an event waits for late telemetry");
    m.put(Settings.CAMERA_VEHICLES, "the vehicle, and so the telemetry, of an event");
    return new TreeMap<>(m);
  }

  /** The result-changing settings, in key order. */
  public static List<String> names() {
    return List.copyOf(WHY.keySet());
  }

  /**
   * The lines the digest is computed over, as key → value in key order: the model identity, the
   * result-changing settings and, with {@code telemetry.enabled}, the alert rules' SHA-256.
   *
   * @param alertRulesSha256 SHA-256 of the alert rules file's content; only read with {@code
   *     telemetry.enabled}
   */
  public static SortedMap<String, String> lines(
      Settings settings, ModelIdentity model, String alertRulesSha256) {
    SortedMap<String, String> out = new TreeMap<>();
    out.put("model.name", model.name());
    out.put("model.version", model.version());
    out.put("model.sha256", model.sha256());
    for (String name : WHY.keySet()) {
      Object v = settings.values().get(name);
      out.put(
          name,
          v instanceof List<?> l
              ? String.join(",", l.stream().map(String::valueOf).toList())
              : String.valueOf(v));
    }
    if (settings.getBoolean(Settings.TELEMETRY_ENABLED)) {
      out.put(ALERT_RULES_SHA256, alertRulesSha256);
    }
    return out;
  }

  /** SHA-256 (lower-case hex) of {@link #lines} as {@code key=value\n} lines. */
  public static String digest(Settings settings, ModelIdentity model, String alertRulesSha256) {
    StringBuilder text = new StringBuilder();
    lines(settings, model, alertRulesSha256)
        .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest's inputs as a Markdown table (generated into {@code docs/contracts.md}). */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| digest line | why it is in the digest |\n|---|---|\n");
    Map<String, String> rows = new TreeMap<>(WHY);
    rows.put("model.name", "the model that answered the frame (its card's name)");
    rows.put("model.version", "the model that answered the frame (its card's version)");
    rows.put("model.sha256", "the model that answered the frame (its graph, byte for byte)");
    rows.put(
        ALERT_RULES_SHA256,
        "the alerts (SHA-256 of the content of `alerts.rules.file`; only with `telemetry.enabled`)");
    rows.forEach((k, v) -> sb.append("| `").append(k).append("` | ").append(v).append(" |\n"));
    return sb.toString();
  }
}
