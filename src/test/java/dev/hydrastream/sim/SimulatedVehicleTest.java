package dev.hydrastream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.schema.VehicleTelemetry;
import dev.hydrastream.telemetry.TelemetryChecks;
import org.junit.jupiter.api.Test;

/**
 * Simulated telemetry agrees with the simulated video: the speed is the rendered ego speed, the
 * driver brakes when a frame showed something close in the ego's path, and the position moves by
 * the speed along the heading.
 */
class SimulatedVehicleTest {

  static final long START = 1_800_000_000_000L;

  @Test
  void speedIsTheVideosEgoSpeedAndTheRecordIsPlausible() {
    try (SimulatedCamera cam =
        new SimulatedCamera("cam-0", "veh-0", 7, 320, 180, 5, 4, 85, START)) {
      SimulatedVehicle v = new SimulatedVehicle(cam, 48.1, 11.5, 0);
      for (long seq = 0; seq < 40; seq += 3) { // crosses clips (4 s each)
        SimFrame f = cam.frame(seq);
        v.observe(f);
        VehicleTelemetry t = v.at(f.captureTs());
        assertThat(t.getSpeedMps()).isEqualTo(f.truth().egoSpeed());
        assertThat(t.getTimestamp().toEpochMilli()).isEqualTo(f.captureTs());
        assertThat(TelemetryChecks.problem(t)).isNull();
        boolean close =
            f.truth().nearestAhead() / f.truth().egoSpeed() < SimulatedVehicle.SOFT_HEADWAY_S;
        assertThat(t.getBrake() > 0).as("frame %d: brake iff close ahead", seq).isEqualTo(close);
      }
    }
  }

  @Test
  void brakesHardWhenCloseGentlyWhenNearAndNotWhenFar() {
    assertThat(SimulatedVehicle.brake(8, 10)).isEqualTo(0.8);
    assertThat(SimulatedVehicle.brake(15, 10)).isEqualTo(0.3);
    assertThat(SimulatedVehicle.brake(25, 10)).isZero();
    assertThat(SimulatedVehicle.brake(Double.POSITIVE_INFINITY, 10)).isZero();
    assertThat(SimulatedVehicle.brake(1, 0)).isZero(); // standing
  }

  @Test
  void positionMovesBySpeedAlongTheHeading() {
    try (SimulatedCamera cam =
        new SimulatedCamera("cam-0", "veh-0", 3, 320, 180, 5, 60, 85, START)) {
      SimulatedVehicle v = new SimulatedVehicle(cam, 48.0, 11.0, 0);
      VehicleTelemetry a = v.at(START);
      VehicleTelemetry b = v.at(START + 1_000);
      double metres = (b.getLatitude() - a.getLatitude()) * 111_320;
      assertThat(metres).isCloseTo(a.getSpeedMps(), within(0.5));
      assertThat(b.getYawRateDps()).isCloseTo(a.getYawRateDps(), within(1e-9)); // same clip
    }
  }
}
