package dev.hydrastream.metrics;

import java.util.function.LongSupplier;

/**
 * One frame's clock on its stream thread, so the processor marks phases instead of doing timing
 * arithmetic: {@link ServiceMetrics#startFrame()} reads the start (wall and the thread's CPU time),
 * the processor calls {@link #mark} once at the end of each {@link Phase}, in order (like the
 * {@code preprocessEnd}/{@code predictEnd} marks of DJL's predictor metrics), and {@link
 * ServiceMetrics#record} turns the marks into {@code hydrastream_stage_cpu_seconds_total}. A phase
 * left unmarked lasts zero; marking a phase again or after a later one is a bug and throws. One
 * frame, one thread: not thread-safe. With disabled metrics the thread's CPU is never read.
 */
public final class FrameClock {

  /**
   * The phases of a frame on its stream thread, in order; each ends where it is marked and starts
   * where the previous one ended. Each is charged to one label of {@code
   * hydrastream_stage_cpu_seconds_total}.
   */
  public enum Phase {
    /** Parsing, judging and decoding the frame into the model input. */
    DECODE(Stage.DECODE.label()),
    /** Handing the frame to the batching predictor and waiting for its result. */
    BATCH_WAIT(Stage.BATCH_WAIT.label()),
    /** Building the per-task result records and handing them to the producer. */
    RESULT(Stage.RESULT.label()),
    /** The tracking stage: tracker, its state, the fused frame with tracks and the tracks. */
    TRACKING(ServiceMetrics.TRACKING),
    /** Counting the frame in the metrics: charged to the result stage, whose output it counts. */
    COUNTING(Stage.RESULT.label()),
    /** The dashboard's latest-frame entry (thumbnail, store, changelog). */
    LATEST_FRAME(ServiceMetrics.LATEST_FRAME);

    private final String cpuLabel;

    Phase(String cpuLabel) {
      this.cpuLabel = cpuLabel;
    }

    /** The {@code stage} label of {@code hydrastream_stage_cpu_seconds_total} it is charged to. */
    public String cpuLabel() {
      return cpuLabel;
    }
  }

  private static final Phase[] PHASES = Phase.values();

  private final LongSupplier wall;
  private final LongSupplier cpu;
  private final long startNanos;
  private final long startMillis;
  private final long startCpu;
  private final long[] endNanos = new long[PHASES.length];
  private final long[] endCpu = new long[PHASES.length];
  private int next;

  /**
   * Starts a clock now.
   *
   * @param wall monotonic wall time in nanoseconds ({@code System::nanoTime})
   * @param cpu the calling thread's CPU time in nanoseconds
   * @param millis epoch milliseconds ({@code System::currentTimeMillis})
   */
  FrameClock(LongSupplier wall, LongSupplier cpu, LongSupplier millis) {
    this.wall = wall;
    this.cpu = cpu;
    this.startNanos = wall.getAsLong();
    this.startMillis = millis.getAsLong();
    this.startCpu = cpu.getAsLong();
  }

  /**
   * Marks the end of {@code phase} now; phases skipped since the last mark last zero.
   *
   * @throws IllegalStateException when {@code phase} or a later one was already marked
   */
  public void mark(Phase phase) {
    int i = phase.ordinal();
    if (i < next) {
      throw new IllegalStateException(
          "phase " + phase + " marked after " + PHASES[next - 1] + " (marks go in order, once)");
    }
    long n = wall.getAsLong();
    long c = cpu.getAsLong();
    for (; next < i; next++) {
      endNanos[next] = next == 0 ? startNanos : endNanos[next - 1];
      endCpu[next] = next == 0 ? startCpu : endCpu[next - 1];
    }
    endNanos[i] = n;
    endCpu[i] = c;
    next = i + 1;
  }

  /** Whether {@code phase} has ended (was marked, or skipped by a later mark). */
  public boolean ended(Phase phase) {
    return phase.ordinal() < next;
  }

  /** {@link System#nanoTime()} when the frame started. */
  public long startNanos() {
    return startNanos;
  }

  /** Epoch milliseconds when the frame started (its arrival, for the late-frame judgement). */
  public long startMillis() {
    return startMillis;
  }

  /** {@link System#nanoTime()} at the end of {@code phase}. */
  public long endNanos(Phase phase) {
    return endNanos[index(phase)];
  }

  /** Wall nanoseconds {@code phase} lasted. */
  public long wallNanos(Phase phase) {
    int i = index(phase);
    return endNanos[i] - (i == 0 ? startNanos : endNanos[i - 1]);
  }

  /** CPU nanoseconds the thread spent in {@code phase} (0 with disabled metrics). */
  public long cpuNanos(Phase phase) {
    int i = index(phase);
    return endCpu[i] - (i == 0 ? startCpu : endCpu[i - 1]);
  }

  private int index(Phase phase) {
    if (!ended(phase)) {
      throw new IllegalStateException("phase " + phase + " has not ended");
    }
    return phase.ordinal();
  }
}
