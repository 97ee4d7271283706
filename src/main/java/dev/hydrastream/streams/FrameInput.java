package dev.hydrastream.streams;

import dev.hydrastream.schema.CameraFrame;
import dev.hydrastream.streams.serde.AvroCodec;
import dev.hydrastream.streams.serde.MalformedRecordException;
import dev.hydrastream.streams.serde.UnknownSchemaException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;

/**
 * Reads an input record of {@code camera.frames} in either accepted form: an Avro {@code
 * CameraFrame} in single-object encoding, or raw JPEG/PNG bytes whose metadata comes from headers
 * ({@code camera_id}, {@code vehicle_id}, {@code frame_seq}, {@code capture_ts}). For raw frames
 * sent by generic tools ({@code kcat -P}) missing headers fall back to the record key (camera id),
 * the offset (sequence number) and the record timestamp (capture time).
 */
public final class FrameInput {

  /** An input frame: its metadata (size still unknown) and its encoded image. */
  public record Incoming(
      String cameraId, String vehicleId, long frameSeq, long captureTs, byte[] image) {}

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
      return new Incoming(
          avro.getCameraId(),
          avro.getVehicleId(),
          avro.getFrameSeq(),
          epochMillis(avro.getCaptureTs()),
          image);
    }
    String camera = HeaderNames.read(headers, HeaderNames.CAMERA_ID);
    if (camera == null || camera.isBlank()) {
      camera = key;
    }
    if (camera == null || camera.isBlank()) {
      throw new FrameRejectedException(
          DlqReason.MISSING_CAMERA_ID, "raw image without a camera_id header or a record key");
    }
    long seq = number(headers, HeaderNames.FRAME_SEQ, offset);
    long ts = number(headers, HeaderNames.CAPTURE_TS, timestamp);
    return new Incoming(camera, HeaderNames.read(headers, HeaderNames.VEHICLE_ID), seq, ts, value);
  }

  private static long number(Headers headers, String name, long fallback) {
    String v = HeaderNames.read(headers, name);
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
