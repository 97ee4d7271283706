package dev.hydrastream.data.render;

import java.util.List;
import java.util.SplittableRandom;

/** Seeded randomness with the helpers scene sampling needs; one per frame, never shared. */
final class Rng {
  private final SplittableRandom random;

  Rng(long seed, long index) {
    random = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
  }

  /**
   * A stream of frame {@code index} of {@code seed} that is independent of {@link #Rng(long,
   * long)}'s: drawing from it leaves the frame's own stream, and so its scene, as it was.
   */
  static Rng independent(long seed, long index, long salt) {
    return new Rng(mix(seed ^ salt), index);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  double uniform(double a, double b) {
    return a + (b - a) * random.nextDouble();
  }

  int range(int a, int bInclusive) {
    return a + random.nextInt(bInclusive - a + 1);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  double gaussian() {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** Picks index i with probability weights[i] / sum(weights). */
  int weighted(double... weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  long nextLong() {
    return random.nextLong();
  }
}
