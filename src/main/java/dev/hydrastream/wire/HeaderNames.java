package dev.hydrastream.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Every record header name the service reads or writes, in one place (a contract: cameras,
 * consumers and tools rely on them), and the one reader of header values.
 */
public final class HeaderNames {

  /** Input: camera id of a raw frame (else the record key). */
  public static final String CAMERA_ID = "camera_id";

  /** Input: vehicle the camera is mounted on. */
  public static final String VEHICLE_ID = "vehicle_id";

  /** Input: frame sequence number of a raw frame (else the offset). */
  public static final String FRAME_SEQ = "frame_seq";

  /** Input and output: capture time, epoch milliseconds (else the record timestamp). */
  public static final String CAPTURE_TS = "capture_ts";

  /** Output: {@code <camera>:<seq>}. */
  public static final String FRAME_ID = "frame_id";

  /** Output: MIME type of the value ({@code output.format}). */
  public static final String CONTENT_TYPE = "content-type";

  /** Output: full name of the value's schema. */
  public static final String SCHEMA = "hydra.schema";

  /**
   * Output, with {@code results.latency=header}: milliseconds from capture to result (a wall-clock
   * measurement, different on every run; the records' {@code latency_ms} field is then 0).
   */
  public static final String LATENCY_MS = "hydra.latency.ms";

  /** Output of perception.events: the event's telemetry_status (OK, MISSING, STALE, NO_VEHICLE). */
  public static final String TELEMETRY_STATUS = "hydra.telemetry.status";

  /** Output of perception.alerts: the rule that fired. */
  public static final String RULE_ID = "hydra.rule";

  /** Output of perception.alerts: the alert's severity (INFO, WARNING, CRITICAL). */
  public static final String SEVERITY = "hydra.severity";

  /** Lineage (every result): name of the model that answered the frame. */
  public static final String MODEL_NAME = "hydra.model.name";

  /** Lineage: version of that model. */
  public static final String MODEL_VERSION = "hydra.model.version";

  /** Lineage: SHA-256 (lower-case hex) of that model's {@code saved_model.pb}. */
  public static final String MODEL_SHA256 = "hydra.model.sha256";

  /** Lineage: topic of the frame the result is derived from. */
  public static final String SOURCE_TOPIC = "hydra.source.topic";

  /** Lineage: partition of that frame. */
  public static final String SOURCE_PARTITION = "hydra.source.partition";

  /** Lineage: offset of that frame. */
  public static final String SOURCE_OFFSET = "hydra.source.offset";

  /** Lineage: version of the service that wrote the result ({@code dev} when run from classes). */
  public static final String SERVICE_VERSION = "hydra.service.version";

  /** Lineage: SHA-256 of the settings that change results, with the model identity. */
  public static final String SETTINGS_DIGEST = "hydra.settings.digest";

  /** The lineage headers, in the order they are written. */
  public static final java.util.List<String> LINEAGE =
      java.util.List.of(
          MODEL_NAME,
          MODEL_VERSION,
          MODEL_SHA256,
          SOURCE_TOPIC,
          SOURCE_PARTITION,
          SOURCE_OFFSET,
          SERVICE_VERSION,
          SETTINGS_DIGEST);

  /** Prefix of the dead-letter headers (removed from a re-dead-lettered record first). */
  public static final String DLQ_PREFIX = "hydra.dlq.";

  /** Dead letter: the stable reason name ({@code DlqReason}). */
  public static final String DLQ_REASON = DLQ_PREFIX + "reason";

  /** Dead letter: readable detail. */
  public static final String DLQ_DETAIL = DLQ_PREFIX + "detail";

  /** Dead letter: source topic of the rejected record. */
  public static final String DLQ_SOURCE_TOPIC = DLQ_PREFIX + "source.topic";

  /** Dead letter: source partition. */
  public static final String DLQ_SOURCE_PARTITION = DLQ_PREFIX + "source.partition";

  /** Dead letter: source offset. */
  public static final String DLQ_SOURCE_OFFSET = DLQ_PREFIX + "source.offset";

  /** Dead letter: the processor that rejected it. */
  public static final String DLQ_PROCESSOR = DLQ_PREFIX + "processor";

  private HeaderNames() {}

  /** The UTF-8 value of the last header {@code name}, or null. */
  public static String read(Headers headers, String name) {
    if (headers == null) {
      return null;
    }
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
