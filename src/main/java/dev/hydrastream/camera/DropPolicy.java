package dev.hydrastream.camera;

import java.util.Locale;

/** Which frame of a throttle interval ({@code 1/--fps} of stream time) is kept; the others drop. */
public enum DropPolicy {
  /**
   * Keep the first frame of each interval and drop the newer ones: no added latency, frames sent as
   * soon as they are decoded.
   */
  NEWEST,
  /**
   * Keep the last frame of each interval and drop the older ones: the freshest picture of the
   * interval, sent when the interval closes (one source frame later).
   */
  OLDEST;

  /** Parses {@code newest} or {@code oldest}. */
  public static DropPolicy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--drop must be newest or oldest, got '" + s + "'");
    }
  }
}
