package dev.hydrastream.tracking;

/** Why a track ended. Stable names: they are published. */
public enum EndReason {
  /** Not matched for more than {@code maxMisses} frames. */
  MISSED,
  /** A tentative track missed a frame before it was confirmed. */
  UNCONFIRMED,
  /** The frame came more than {@code maxGapMs} after the previous one: every track ended. */
  GAP,
  /** The camera's clock went back by more than {@code maxGapMs}: every track ended. */
  TIME_JUMP,
  /** A lost track made room for a new one at {@code maxTracks}. */
  EVICTED
}
