package dev.hydrastream.streams.topics;

import dev.hydrastream.frame.FrameProblem;

/**
 * Why a record went to the dead-letter topic. The names are stable: they appear in the {@code
 * hydra.dlq.reason} header and in metrics, so consumers may switch on them.
 */
public enum DlqReason {
  // The frame problems of FrameProblem, each under its own name (checked when the class loads).
  /** Null or zero-length value. */
  EMPTY(FrameProblem.EMPTY),
  /** Neither a JPEG nor a PNG by its magic bytes (e.g. TIFF, random bytes). */
  UNSUPPORTED_FORMAT(FrameProblem.UNSUPPORTED_FORMAT),
  /** JPEG/PNG magic, but the dimensions cannot be read from the header. */
  UNREADABLE_HEADER(FrameProblem.UNREADABLE_HEADER),
  /** Encoded frame larger than {@code frame.max.bytes}. */
  TOO_MANY_BYTES(FrameProblem.TOO_MANY_BYTES),
  /** Declared dimensions above {@code frame.max.width}/{@code frame.max.height}. */
  TOO_MANY_PIXELS(FrameProblem.TOO_MANY_PIXELS),
  /** The image data ends before its end marker (JPEG EOI, PNG IEND). */
  TRUNCATED(FrameProblem.TRUNCATED),
  /** OpenCV could not decode the image. */
  UNDECODABLE(FrameProblem.UNDECODABLE),
  /** Avro single-object encoding with a schema fingerprint this service does not know. */
  UNKNOWN_SCHEMA,
  /** Avro single-object encoding of a known schema, but the body does not parse. */
  MALFORMED_RECORD,
  /** A raw image without a camera id (neither a {@code camera_id} header nor a record key). */
  MISSING_CAMERA_ID,
  /** A header ({@code frame_seq}, {@code capture_ts}) that is not a number. */
  MALFORMED_HEADER,
  /**
   * Captured more than {@code frame.max.age.ms} before its arrival, with {@code
   * frame.late.policy=dead-letter}.
   */
  LATE,
  /**
   * Captured strictly before the camera's last answered frame, with {@code
   * frame.out.of.order.policy=dead-letter}.
   */
  OUT_OF_ORDER,
  /** Any other failure specific to this frame. */
  PROCESSING_ERROR,
  // Telemetry records (vehicle.telemetry); the Avro and header reasons above apply to them too.
  /** Neither an Avro VehicleTelemetry nor a JSON object of its fields. */
  MALFORMED_TELEMETRY,
  /** A telemetry record whose key is missing or is not its vehicle_id. */
  TELEMETRY_KEY_MISMATCH,
  /** A telemetry value out of range (negative speed, brake outside 0..1, bad coordinates, ...). */
  TELEMETRY_OUT_OF_RANGE;

  private static final DlqReason[] BY_PROBLEM = new DlqReason[FrameProblem.values().length];

  static {
    for (DlqReason r : values()) {
      if (r.problem != null) {
        BY_PROBLEM[r.problem.ordinal()] = r;
      }
    }
    // A frame problem added without its reason fails here, at the first use of either enum.
    for (FrameProblem p : FrameProblem.values()) {
      DlqReason r = BY_PROBLEM[p.ordinal()];
      if (r == null || !r.name().equals(p.name())) {
        throw new IllegalStateException("frame problem " + p + " has no DlqReason of its name");
      }
    }
  }

  private final FrameProblem problem;

  DlqReason() {
    this(null);
  }

  DlqReason(FrameProblem problem) {
    this.problem = problem;
  }

  /** The reason under which a frame with {@code problem} is dead-lettered (the same name). */
  public static DlqReason of(FrameProblem problem) {
    return BY_PROBLEM[problem.ordinal()];
  }
}
