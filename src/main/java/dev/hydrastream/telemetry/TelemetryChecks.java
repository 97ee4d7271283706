package dev.hydrastream.telemetry;

import dev.hydrastream.schema.VehicleTelemetry;

/**
 * Range checks of a telemetry record: what a vehicle cannot have measured is refused (and
 * dead-lettered by the topology) rather than joined into events and rules.
 */
public final class TelemetryChecks {

  /** Fastest plausible road vehicle speed, m/s (400 km/h). */
  public static final double MAX_SPEED_MPS = 111;

  private TelemetryChecks() {}

  /** The first problem of {@code t}, or null when it is plausible. */
  public static String problem(VehicleTelemetry t) {
    if (t.getVehicleId().isBlank()) {
      return "vehicle_id is empty";
    }
    if (t.getTimestamp().toEpochMilli() <= 0) {
      return "timestamp " + t.getTimestamp().toEpochMilli() + " is not a time";
    }
    String p = range("speed_mps", t.getSpeedMps(), 0, MAX_SPEED_MPS);
    p = p != null ? p : range("acceleration_mps2", t.getAccelerationMps2(), -50, 50);
    p = p != null ? p : range("yaw_rate_dps", t.getYawRateDps(), -360, 360);
    p = p != null ? p : range("heading_deg", t.getHeadingDeg(), 0, 360);
    p = p != null ? p : range("brake", t.getBrake(), 0, 1);
    p = p != null ? p : range("steering_angle_deg", t.getSteeringAngleDeg(), -1080, 1080);
    if (p == null && t.getLatitude() != null) {
      p = range("latitude", t.getLatitude(), -90, 90);
    }
    if (p == null && t.getLongitude() != null) {
      p = range("longitude", t.getLongitude(), -180, 180);
    }
    if (p == null && (t.getLatitude() == null) != (t.getLongitude() == null)) {
      p = "latitude and longitude must both be set or both be null";
    }
    return p;
  }

  private static String range(String field, double v, double lo, double hi) {
    if (Double.isNaN(v) || v < lo || v > hi) {
      return field + " = " + v + " is outside " + lo + ".." + hi;
    }
    return null;
  }
}
