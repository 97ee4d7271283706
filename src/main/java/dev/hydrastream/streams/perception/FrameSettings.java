package dev.hydrastream.streams.perception;

import dev.hydrastream.config.Settings;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.timing.FrameTiming;
import dev.hydrastream.streams.timing.ResultLatency;
import dev.hydrastream.streams.topics.Lineage;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.HeaderNames;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * What {@code perceive} holds each frame to, as the settings say: which frames it answers (the
 * replay window {@code frame.window.*}, the late and out-of-order policy), how long a frame waits
 * for the model, and the headers every result of a frame shares.
 *
 * @param timeoutMillis longest wait for the model's answer to a frame ({@code predict.timeout.ms})
 * @param timing the late and out-of-order policy
 * @param contentType the content type of the result records
 * @param lineage the lineage headers of every result
 * @param latency where the capture-to-result latency goes ({@code results.latency})
 * @param windowStartMs frames with a timestamp before this are skipped
 * @param windowEndMs frames with a timestamp from this on are skipped
 */
record FrameSettings(
    long timeoutMillis,
    FrameTiming timing,
    String contentType,
    Lineage lineage,
    ResultLatency latency,
    long windowStartMs,
    long windowEndMs) {

  /** The frame settings of {@code settings}, results written as {@code contentType}. */
  static FrameSettings of(Settings settings, String contentType) {
    return new FrameSettings(
        settings.getInt(Settings.PREDICT_TIMEOUT_MS),
        FrameTiming.of(settings),
        contentType,
        Lineage.of(settings),
        ResultLatency.of(settings),
        settings.getLong(Settings.FRAME_WINDOW_START_MS),
        settings.getLong(Settings.FRAME_WINDOW_END_MS));
  }

  /** Whether a frame with this record timestamp is inside {@code frame.window.*}. */
  boolean inWindow(long timestamp) {
    return timestamp >= windowStartMs && timestamp < windowEndMs;
  }

  /**
   * The headers every result of the frame shares: its identity, the content type and its lineage
   * (the model that answered this frame, the frame's own topic, partition and offset).
   */
  RecordHeaders headers(
      FrameMeta meta, Perception result, RecordMetadata source, double latencyMs) {
    RecordHeaders h = new RecordHeaders();
    h.add(HeaderNames.FRAME_ID, meta.frameId().getBytes(StandardCharsets.UTF_8));
    h.add(HeaderNames.CAMERA_ID, meta.cameraId().getBytes(StandardCharsets.UTF_8));
    h.add(HeaderNames.CAPTURE_TS, Long.toString(meta.captureTs()).getBytes(StandardCharsets.UTF_8));
    h.add(HeaderNames.CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
    lineage.addTo(h, result.model(), source);
    latency.header(h, latencyMs);
    return h;
  }
}
