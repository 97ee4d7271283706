package dev.hydrastream.tracking;

/** Where a track is in its life. Stable names: they are published. */
public enum TrackState {
  /** Born from a detection, not yet matched {@code minHits} frames in a row. */
  TENTATIVE,
  /** Matched in this frame (and confirmed). */
  CONFIRMED,
  /** Confirmed before, not matched in this frame; its box is the prediction. */
  LOST
}
