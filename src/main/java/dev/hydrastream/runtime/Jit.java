package dev.hydrastream.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Which of the JIT's tiers this JVM compiles with, as the launcher set it: {@code --profile
 * low-latency} runs the quick tier only ({@code -XX:TieredStopAtLevel=1}), so the optimising
 * compiler's start-up work does not compete with the first frames for a small host's cores
 * (docs/streaming.md).
 */
public final class Jit {

  private Jit() {}

  /** The highest tier compiled to ({@code TieredStopAtLevel}: 1 = C1 only, 4 = C1 and C2). */
  public static int stopAtLevel() {
    try {
      HotSpotDiagnosticMXBean hs =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return Integer.parseInt(hs.getVMOption("TieredStopAtLevel").getValue());
    } catch (RuntimeException e) {
      return 4; // not HotSpot, or the option is unknown: assume the full pipeline
    }
  }

  /** {@code JIT C1 only} or {@code JIT C1+C2}, for summaries and logs. */
  public static String describe() {
    return stopAtLevel() <= 1 ? "JIT C1 only" : "JIT C1+C2";
  }
}
