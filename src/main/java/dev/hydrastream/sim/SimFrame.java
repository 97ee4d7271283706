package dev.hydrastream.sim;

/**
 * One frame of simulated camera video, as a camera on a vehicle would publish it.
 *
 * @param cameraId the camera ({@code cam-0}, ...)
 * @param vehicleId the vehicle it is mounted on
 * @param seq frame number since the camera started; gaps mean frames were skipped
 * @param captureTs capture time, epoch milliseconds: the camera's start plus {@code seq * 1000 /
 *     fps}
 * @param jpeg the encoded image (compared by reference, like any record array component)
 * @param width image width
 * @param height image height
 * @param truth what the frame shows, for dashboards and tests; null if unknown
 */
public record SimFrame(
    String cameraId,
    String vehicleId,
    long seq,
    long captureTs,
    byte[] jpeg,
    int width,
    int height,
    Truth truth) {

  /**
   * This frame sent again (benches replay a few frames): {@code cameraId}'s frame {@code seq},
   * captured at {@code captureTs}.
   */
  public SimFrame resent(String cameraId, long seq, long captureTs) {
    return new SimFrame(cameraId, vehicleId, seq, captureTs, jpeg, width, height, truth);
  }

  /**
   * Ground truth of a frame: the clip it belongs to and that clip's BDD100K attributes.
   *
   * @param clip clip number since the camera started (a new scene every clip)
   * @param scene BDD100K scene attribute
   * @param weather BDD100K weather attribute
   * @param timeofday BDD100K time-of-day attribute
   * @param egoSpeed speed of the vehicle in m/s
   * @param nearestAhead camera depth in metres of the nearest object in the ego's path (infinite:
   *     none)
   */
  public record Truth(
      long clip,
      String scene,
      String weather,
      String timeofday,
      double egoSpeed,
      double nearestAhead) {}
}
