package dev.hydrastream.camera;

import java.util.function.Consumer;

/**
 * Thins a camera's frames to at most {@code fps} per second of stream time (PTS), so that a file
 * throttles the same way whether it is played fast or in real time. Which frame of each interval
 * survives is the {@link DropPolicy}. A PTS that goes backwards (a loop, a reconnect, a broken
 * stream) starts a new timeline.
 *
 * @param <T> what is thinned (a decoded frame; the throttle only looks at its PTS)
 */
final class Throttle<T> {

  /** Tolerance for PTS rounding (a 30 fps source's 33,333 µs steps against a 10 fps grid). */
  private static final long SLACK_US = 1_000;

  private final long intervalUs;
  private final DropPolicy policy;
  private final Consumer<T> send;
  private final Consumer<T> drop;

  private boolean started;
  private long nextDueUs;
  private long originUs;
  private long lastPtsUs;
  private T held;
  private long heldSlot;

  /**
   * @param fps target frames per second; 0 or less: no throttle, every frame is sent
   * @param send receives the frames to send, in order
   * @param drop receives the frames dropped (to count and release them)
   */
  Throttle(double fps, DropPolicy policy, Consumer<T> send, Consumer<T> drop) {
    this.intervalUs = fps > 0 ? Math.round(1_000_000 / fps) : 0;
    this.policy = policy;
    this.send = send;
    this.drop = drop;
  }

  /** Offers the next frame, with its PTS in microseconds. */
  void offer(T item, long ptsUs) {
    if (intervalUs == 0) {
      send.accept(item);
      return;
    }
    if (started && ptsUs < lastPtsUs) {
      reset();
    }
    lastPtsUs = ptsUs;
    if (policy == DropPolicy.NEWEST) {
      if (!started || ptsUs + SLACK_US >= nextDueUs) {
        // On the grid; after a pause longer than an interval, a new grid (no burst to catch up).
        nextDueUs =
            !started || ptsUs >= nextDueUs + intervalUs
                ? ptsUs + intervalUs
                : nextDueUs + intervalUs;
        started = true;
        send.accept(item);
      } else {
        drop.accept(item);
      }
      return;
    }
    if (!started) {
      started = true;
      originUs = ptsUs;
    }
    long slot = Math.floorDiv(ptsUs - originUs + SLACK_US, intervalUs);
    if (held != null) {
      if (slot == heldSlot) {
        drop.accept(held);
      } else {
        send.accept(held);
      }
    }
    held = item;
    heldSlot = slot;
  }

  /** Sends a frame still held (policy {@code oldest}) and starts a new timeline. */
  void flush() {
    reset();
  }

  private void reset() {
    if (held != null) {
      T h = held;
      held = null;
      send.accept(h);
    }
    started = false;
  }
}
