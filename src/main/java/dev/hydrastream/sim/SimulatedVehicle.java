package dev.hydrastream.sim;

import dev.hydrastream.schema.Gear;
import dev.hydrastream.schema.VehicleTelemetry;
import java.time.Instant;

/**
 * The telemetry of the vehicle a simulated camera rides on, consistent with its video: speed is the
 * ego speed of the clip on screen, yaw rate and steering follow the clip's road curvature, the
 * position is integrated along the heading, and the driver brakes when the last frame showed
 * something close in the ego's path (time headway under {@link #HARD_HEADWAY_S}: hard, under {@link
 * #SOFT_HEADWAY_S}: gently). The rendered ego keeps its speed, so the braking shows in brake and
 * acceleration, not in the speed. Thread-safe.
 */
public final class SimulatedVehicle {

  /** Time headway (gap / speed) under which the driver brakes hard. */
  public static final double HARD_HEADWAY_S = 1.0;

  /** Time headway under which the driver brakes gently. */
  public static final double SOFT_HEADWAY_S = 2.0;

  /** Deceleration at full brake, m/s^2. */
  public static final double FULL_BRAKE_MPS2 = 7.0;

  private static final double METRES_PER_DEGREE = 111_320;
  private static final double WHEELBASE_M = 2.8;
  private static final double STEERING_RATIO = 15;

  private final SimulatedCamera camera;
  private double latitude;
  private double longitude;
  private double headingDeg;
  private long lastTs = Long.MIN_VALUE;
  private long seenTs = Long.MIN_VALUE;
  private double nearestAhead = Double.POSITIVE_INFINITY;

  /**
   * @param camera the vehicle's camera (its clips are the vehicle's drive)
   * @param latitude start position, degrees
   * @param longitude start position, degrees
   * @param headingDeg start heading, degrees clockwise from north
   */
  public SimulatedVehicle(
      SimulatedCamera camera, double latitude, double longitude, double headingDeg) {
    this.camera = camera;
    this.latitude = latitude;
    this.longitude = longitude;
    this.headingDeg = headingDeg;
  }

  public String vehicleId() {
    return camera.vehicleId();
  }

  /** Takes in what a rendered frame of the camera showed (the newest frame wins). */
  public synchronized void observe(SimFrame frame) {
    if (frame.truth() != null && frame.captureTs() >= seenTs) {
      seenTs = frame.captureTs();
      nearestAhead = frame.truth().nearestAhead();
    }
  }

  /** The state at {@code epochMs}; calls should come in time order (the position integrates). */
  public synchronized VehicleTelemetry at(long epochMs) {
    SimulatedCamera.Motion m = camera.motionAt(epochMs);
    double speed = m.speed();
    double yawRate = Math.toDegrees(speed * m.curvature());
    if (lastTs != Long.MIN_VALUE && epochMs > lastTs) {
      double dt = (epochMs - lastTs) / 1000.0;
      double h = Math.toRadians(headingDeg);
      latitude += speed * dt * Math.cos(h) / METRES_PER_DEGREE;
      longitude +=
          speed * dt * Math.sin(h) / (METRES_PER_DEGREE * Math.cos(Math.toRadians(latitude)));
      headingDeg = ((headingDeg - yawRate * dt) % 360 + 360) % 360; // left turn: heading falls
    }
    lastTs = Math.max(lastTs, epochMs);
    double brake = brake(nearestAhead, speed);
    return VehicleTelemetry.newBuilder()
        .setVehicleId(camera.vehicleId())
        .setTimestamp(Instant.ofEpochMilli(epochMs))
        .setSpeedMps(speed)
        .setAccelerationMps2(-brake * FULL_BRAKE_MPS2)
        .setYawRateDps(yawRate)
        .setLatitude(latitude)
        .setLongitude(longitude)
        .setHeadingDeg(headingDeg)
        .setBrake(brake)
        .setSteeringAngleDeg(
            Math.toDegrees(Math.atan(WHEELBASE_M * m.curvature())) * STEERING_RATIO)
        .setGear(Gear.DRIVE)
        .build();
  }

  /** Brake application for an object {@code gap} metres ahead at {@code speed} m/s. */
  static double brake(double gap, double speed) {
    if (speed <= 0.5 || Double.isInfinite(gap)) {
      return 0;
    }
    double headway = gap / speed;
    return headway < HARD_HEADWAY_S ? 0.8 : headway < SOFT_HEADWAY_S ? 0.3 : 0;
  }
}
