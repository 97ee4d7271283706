package dev.hydrastream.streams.shadow;

import java.nio.charset.StandardCharsets;

/**
 * Which frames the shadow model answers ({@code shadow.fraction}): decided from the frame id alone,
 * so the same frames are sampled on every run, replay and instance.
 */
final class ShadowSampling {

  private ShadowSampling() {}

  /** Whether frame {@code frameId} is in a sample of {@code fraction} of all frames. */
  static boolean sampled(String frameId, double fraction) {
    if (fraction >= 1.0) {
      return true;
    }
    if (fraction <= 0.0) {
      return false;
    }
    return position(frameId) < fraction;
  }

  /**
   * The frame id's place in [0, 1): FNV-1a over its UTF-8 bytes, mixed (SplitMix64's finaliser) so
   * that consecutive sequence numbers land far apart.
   */
  static double position(String frameId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : frameId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }
}
