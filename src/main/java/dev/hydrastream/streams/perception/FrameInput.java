package dev.hydrastream.streams.perception;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.FrameRejectedException;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.HeaderNames;
import dev.hydrastream.wire.MalformedRecordException;
import dev.hydrastream.wire.UnknownSchemaException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads an input record of {@code camera.frames} in either accepted form: an Avro {@code
 * CameraFrame} in single-object encoding, or raw JPEG/PNG bytes whose metadata comes from headers
 * ({@code camera_id}, {@code vehicle_id}, {@code frame_seq}, {@code capture_ts}). For raw frames
 * sent by generic tools ({@code kcat -P}) missing headers fall back to the record key (camera id),
 * the offset (sequence number) and the record timestamp (capture time).
 *
 * <p>Identity fields are checked in both forms, because they become record keys, frame ids and
 * event times downstream: camera and vehicle ids are 1 to {@value #MAX_ID_LENGTH} printable
 * characters, sequence numbers and capture times are not negative, a capture time is at most a day
 * ahead of this host's clock, and an input header given twice must not contradict itself.
 */
public final class FrameInput {

  /** An input frame: its metadata (size still unknown) and its encoded image. */
  public record Incoming(
      String cameraId, String vehicleId, long frameSeq, long captureTs, byte[] image) {}

  /** Longest camera or vehicle id accepted. */
  public static final int MAX_ID_LENGTH = 256;

  /** How far ahead of this host's clock a capture time may be (cameras' clocks drift). */
  static final long MAX_CLOCK_AHEAD_MS = 24L * 3600 * 1000;

  private FrameInput() {}

  /**
   * Parses one record.
   *
   * @param offset the record's offset (fallback sequence number for raw frames)
   * @param timestamp the record's timestamp (fallback capture time for raw frames)
   * @throws FrameRejectedException for values that are not a frame
   */
  public static Incoming parse(
      String key, byte[] value, Headers headers, long offset, long timestamp) {
    if (value == null || value.length == 0) {
      throw new FrameRejectedException(DlqReason.EMPTY, "null or empty record value");
    }
    CameraFrame avro;
    try {
      avro = AvroCodec.standard().decodeFrame(value);
    } catch (UnknownSchemaException e) {
      throw new FrameRejectedException(DlqReason.UNKNOWN_SCHEMA, e.getMessage());
    } catch (MalformedRecordException e) {
      throw new FrameRejectedException(DlqReason.MALFORMED_RECORD, e.getMessage());
    }
    if (avro != null) {
      ByteBuffer img = avro.getImage();
      byte[] image = new byte[img.remaining()];
      img.duplicate().get(image);
      return checked(
          new Incoming(
              avro.getCameraId(),
              avro.getVehicleId(),
              avro.getFrameSeq(),
              epochMillis(avro.getCaptureTs()),
              image),
          DlqReason.MALFORMED_RECORD,
          "CameraFrame field ");
    }
    String camera = single(headers, HeaderNames.CAMERA_ID);
    if (camera == null || camera.isBlank()) {
      if (key == null || key.isBlank()) {
        throw new FrameRejectedException(
            DlqReason.MISSING_CAMERA_ID, "raw image without a camera_id header or a record key");
      }
      String problem = idProblem(key);
      if (problem != null) {
        throw new FrameRejectedException(
            DlqReason.MALFORMED_HEADER,
            "record key (the camera id, as there is no camera_id header) " + problem);
      }
      camera = key;
    }
    long seq = number(headers, HeaderNames.FRAME_SEQ, offset);
    long ts = number(headers, HeaderNames.CAPTURE_TS, timestamp);
    return checked(
        new Incoming(camera, single(headers, HeaderNames.VEHICLE_ID), seq, ts, value),
        DlqReason.MALFORMED_HEADER,
        "header ");
  }

  /** The frame, if its identity fields are usable; else rejected with {@code reason}. */
  private static Incoming checked(Incoming in, DlqReason reason, String where) {
    String problem = idProblem(in.cameraId());
    if (problem != null) {
      throw new FrameRejectedException(reason, where + HeaderNames.CAMERA_ID + " " + problem);
    }
    problem = in.vehicleId() == null ? null : idProblem(in.vehicleId());
    if (problem != null) {
      throw new FrameRejectedException(reason, where + HeaderNames.VEHICLE_ID + " " + problem);
    }
    if (in.frameSeq() < 0) {
      throw new FrameRejectedException(
          reason, where + HeaderNames.FRAME_SEQ + "=" + in.frameSeq() + " is negative");
    }
    if (in.captureTs() < 0 || in.captureTs() > System.currentTimeMillis() + MAX_CLOCK_AHEAD_MS) {
      throw new FrameRejectedException(
          reason,
          where
              + HeaderNames.CAPTURE_TS
              + "="
              + in.captureTs()
              + (in.captureTs() < 0
                  ? " is negative"
                  : " is more than a day ahead of this host's clock")
              + " (epoch milliseconds expected)");
    }
    return in;
  }

  /** Why {@code id} is no usable camera or vehicle id, or null. */
  static String idProblem(String id) {
    if (id.isEmpty()) {
      return "is empty";
    }
    if (id.length() > MAX_ID_LENGTH) {
      return "has " + id.length() + " characters (at most " + MAX_ID_LENGTH + ")";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c) || c == '\uFFFD') {
        return "\"" + abbreviate(id) + "\" holds a control character or bytes that are not UTF-8";
      }
    }
    return null;
  }

  /**
   * The value of header {@code name}, or null; a header given more than once must repeat the same
   * value (which one a consumer reads would otherwise decide which camera a frame belongs to).
   */
  private static String single(Headers headers, String name) {
    if (headers == null) {
      return null;
    }
    String value = null;
    for (Header h : headers.headers(name)) {
      String v = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
      if (value != null && !value.equals(v)) {
        throw new FrameRejectedException(
            DlqReason.MALFORMED_HEADER,
            "header "
                + name
                + " given more than once with different values (\""
                + abbreviate(value)
                + "\", \""
                + abbreviate(String.valueOf(v))
                + "\")");
      }
      value = v;
    }
    return value;
  }

  private static long number(Headers headers, String name, long fallback) {
    String v = single(headers, name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new FrameRejectedException(
          DlqReason.MALFORMED_HEADER,
          "header " + name + "=\"" + abbreviate(v) + "\" is not an integer");
    }
  }

  private static long epochMillis(Object ts) {
    return ts instanceof java.time.Instant i ? i.toEpochMilli() : ((Number) ts).longValue();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
