package dev.hydrastream.streams.timing;

import dev.hydrastream.config.Settings;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Where a result's capture-to-result latency goes ({@code results.latency}): the records' {@code
 * latency_ms} field, or a {@link HeaderNames#LATENCY_MS} header with the field 0. It is the one
 * wall-clock measurement in a result record; out of the value, a record depends only on its frame,
 * the model and the settings, and a replay reproduces it byte for byte.
 *
 * @param inRecord whether the measured latency is the {@code latency_ms} field
 */
public record ResultLatency(boolean inRecord) {

  /** The placement {@code results.latency} asks for. */
  public static ResultLatency of(Settings settings) {
    return new ResultLatency(
        Settings.LATENCY_RECORD.equals(settings.getString(Settings.RESULTS_LATENCY)));
  }

  /** Milliseconds from {@code captureTs} to now (0 for a capture time in the future). */
  public static double since(long captureTs) {
    return Math.max(0, System.currentTimeMillis() - captureTs);
  }

  /** The value of the records' {@code latency_ms} field for this measured latency. */
  public double field(double measuredMs) {
    return inRecord ? measuredMs : 0.0;
  }

  /** Puts the measured latency in {@code headers}, replacing any, unless it is in the record. */
  public void header(Headers headers, double measuredMs) {
    if (!inRecord) {
      headers.remove(HeaderNames.LATENCY_MS);
      headers.add(
          HeaderNames.LATENCY_MS, Double.toString(measuredMs).getBytes(StandardCharsets.UTF_8));
    }
  }
}
