package dev.hydrastream.camera;

/**
 * Turns a stream's presentation timestamps into {@code capture_ts}: the wall clock when the first
 * frame of a timeline was read, plus the frame's PTS minus that first frame's PTS. So the spacing
 * of capture times is the spacing the camera recorded, not when we got around to sending.
 *
 * <p>A timeline ends where the PTS restarts: a reconnect, the next round of {@code --loop}, or a
 * PTS that goes backwards. The next timeline is anchored at the wall clock again, but never before
 * the previous frame plus one frame interval, so a camera's capture times only go forward (a file
 * played fast and looped continues its timeline instead of overlapping itself).
 */
final class CaptureClock {

  private boolean anchored;
  private long anchorMs;
  private long firstPtsUs;
  private long lastPtsUs;
  private long lastTs = Long.MIN_VALUE;

  /** The next frame starts a new timeline (after a reconnect or a loop). */
  void newTimeline() {
    anchored = false;
  }

  /**
   * The capture time of a frame.
   *
   * @param ptsUs the frame's PTS in microseconds ({@code FrameGrabber.getTimestamp()})
   * @param nowMs the wall clock now, epoch milliseconds
   * @param frameIntervalMs the stream's nominal frame interval (for the start of a later timeline)
   * @return epoch milliseconds
   */
  long captureTs(long ptsUs, long nowMs, long frameIntervalMs) {
    if (!anchored || ptsUs < lastPtsUs) {
      anchorMs =
          lastTs == Long.MIN_VALUE ? nowMs : Math.max(nowMs, lastTs + Math.max(1, frameIntervalMs));
      firstPtsUs = ptsUs;
      anchored = true;
    }
    lastPtsUs = ptsUs;
    lastTs = anchorMs + Math.floorDiv(ptsUs - firstPtsUs, 1000);
    return lastTs;
  }
}
