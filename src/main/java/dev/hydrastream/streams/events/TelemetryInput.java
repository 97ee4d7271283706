package dev.hydrastream.streams.events;

import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.streams.topics.DlqReason;
import dev.hydrastream.streams.topics.FrameRejectedException;
import dev.hydrastream.telemetry.TelemetryChecks;
import dev.hydrastream.wire.AvroCodec;
import dev.hydrastream.wire.JsonRecordReader;
import dev.hydrastream.wire.MalformedRecordException;
import dev.hydrastream.wire.UnknownSchemaException;

/**
 * Reads a record of {@code vehicle.telemetry} in either accepted form: an Avro {@code
 * VehicleTelemetry} in single-object encoding, or the same record as a JSON object (field names of
 * the schema, timestamp in epoch milliseconds). A record that is neither, whose key is not its
 * {@code vehicle_id}, or whose values no vehicle can have measured is refused with a dead-letter
 * reason.
 */
final class TelemetryInput {

  private TelemetryInput() {}

  /**
   * Parses and checks one record.
   *
   * @throws FrameRejectedException with the dead-letter reason for a record that is not usable
   */
  public static VehicleTelemetry parse(String key, byte[] value) {
    if (value == null || value.length == 0) {
      throw new FrameRejectedException(DlqReason.EMPTY, "null or empty telemetry value");
    }
    VehicleTelemetry t;
    try {
      t =
          AvroCodec.isSingleObject(value)
              ? AvroCodec.standard().decode(value, VehicleTelemetry.class)
              : json(value);
    } catch (UnknownSchemaException e) {
      throw new FrameRejectedException(DlqReason.UNKNOWN_SCHEMA, e.getMessage());
    } catch (MalformedRecordException e) {
      throw new FrameRejectedException(
          AvroCodec.isSingleObject(value)
              ? DlqReason.MALFORMED_RECORD
              : DlqReason.MALFORMED_TELEMETRY,
          e.getMessage());
    }
    if (key == null || !key.equals(t.getVehicleId())) {
      throw new FrameRejectedException(
          DlqReason.TELEMETRY_KEY_MISMATCH,
          "record key "
              + (key == null ? "null" : "\"" + key + "\"")
              + " is not vehicle_id \""
              + t.getVehicleId()
              + "\" (telemetry is keyed by vehicle id)");
    }
    String problem = TelemetryChecks.problem(t);
    if (problem != null) {
      throw new FrameRejectedException(DlqReason.TELEMETRY_OUT_OF_RANGE, problem);
    }
    return t;
  }

  private static VehicleTelemetry json(byte[] value) {
    int i = 0;
    while (i < value.length && Character.isWhitespace(value[i])) {
      i++;
    }
    if (i == value.length || value[i] != '{') {
      throw new MalformedRecordException(
          "neither an Avro VehicleTelemetry (magic C3 01) nor a JSON object");
    }
    return JsonRecordReader.read(value, VehicleTelemetry.class);
  }
}
