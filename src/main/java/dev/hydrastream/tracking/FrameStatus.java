package dev.hydrastream.tracking;

/** How the tracker treated a frame. Stable names: they are published. */
public enum FrameStatus {
  /** Tracks were updated with the frame's detections. */
  TRACKED,
  /** The frame came after a gap longer than {@code maxGapMs}: all tracks ended, then tracked. */
  RESET_AFTER_GAP,
  /** The camera's clock went back by more than {@code maxGapMs}: all tracks ended, then tracked. */
  RESET_AFTER_TIME_JUMP,
  /**
   * The frame is not newer than the previous one (by at most {@code maxGapMs}): skipped, tracks
   * unchanged and not reported for it.
   */
  SKIPPED_OUT_OF_ORDER
}
