package dev.hydrastream.tracking;

/** Why the tracker ignored a detection; counted per frame. Stable names: they are published. */
public enum DropReason {
  /** A coordinate or the score is NaN or infinite. */
  NON_FINITE,
  /** {@code x2 < x1} or {@code y2 < y1}. */
  INVERTED_BOX,
  /** The category is not a detection class. */
  UNKNOWN_CATEGORY,
  /** More than {@code maxDetections} in the frame: the lowest scores are dropped. */
  DETECTION_LIMIT,
  /** The camera already has {@code maxTracks} tracks and none is lost: no new track. */
  TRACK_LIMIT
}
