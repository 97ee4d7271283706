package dev.hydrastream.streams.timing;

import java.nio.ByteBuffer;

/**
 * What the perceive step keeps per camera in the {@value #STORE} store to judge late and
 * out-of-order frames: the capture time of the camera's newest answered frame (the clock; it never
 * moves backwards) and how many of its frames were late or out of order, and how many of those were
 * dead-lettered. The store is changelogged, so with {@code exactly_once_v2} the clock, the counts,
 * the results (or dead letter) and the input offset commit together and move with the partition.
 *
 * @param lastAnsweredTs capture time of the newest frame answered on the task topics, epoch
 *     milliseconds, or {@link #NONE}
 * @param late frames captured more than {@code frame.max.age.ms} before their arrival
 * @param lateDeadLettered of those, dead-lettered (as {@link DlqReason#LATE}, or as {@link
 *     DlqReason#OUT_OF_ORDER} when also out of order and only that policy dead-letters)
 * @param outOfOrder frames captured strictly before {@code lastAnsweredTs} at their arrival
 * @param outOfOrderDeadLettered of those, dead-lettered (as {@code OUT_OF_ORDER}, or as {@code
 *     LATE} when also late)
 * @param deadLettered frames dead-lettered as {@code LATE} or {@code OUT_OF_ORDER} (a frame both
 *     late and out of order counts once here)
 */
public record CameraClock(
    long lastAnsweredTs,
    long late,
    long lateDeadLettered,
    long outOfOrder,
    long outOfOrderDeadLettered,
    long deadLettered) {

  /** Name of the store (changelog: {@code <application.id>-camera-clock-changelog}). */
  public static final String STORE = "camera-clock";

  /** {@link #lastAnsweredTs} of a camera without an answered frame. */
  public static final long NONE = Long.MIN_VALUE;

  /** A camera never seen. */
  public static final CameraClock EMPTY = new CameraClock(NONE, 0, 0, 0, 0, 0);

  /** First byte of the stored value: the layout's version. */
  static final byte VERSION = 1;

  private static final int BYTES = 1 + 6 * Long.BYTES;

  /** Whether a frame has been answered. */
  public boolean answered() {
    return lastAnsweredTs != NONE;
  }

  /** The clock after a frame captured at {@code captureTs} was answered (never backwards). */
  public CameraClock answeredAt(long captureTs) {
    return captureTs <= lastAnsweredTs && answered()
        ? this
        : new CameraClock(
            captureTs, late, lateDeadLettered, outOfOrder, outOfOrderDeadLettered, deadLettered);
  }

  /** The counts after a frame was judged {@code verdict}. */
  public CameraClock counted(FrameTiming.Verdict verdict) {
    boolean dl = verdict.reason() != null;
    return new CameraClock(
        lastAnsweredTs,
        late + (verdict.late() ? 1 : 0),
        lateDeadLettered + (verdict.late() && dl ? 1 : 0),
        outOfOrder + (verdict.outOfOrder() ? 1 : 0),
        outOfOrderDeadLettered + (verdict.outOfOrder() && dl ? 1 : 0),
        deadLettered + (dl ? 1 : 0));
  }

  /** The stored bytes: a version byte, then the six longs in declaration order, big-endian. */
  public byte[] encode() {
    return ByteBuffer.allocate(BYTES)
        .put(VERSION)
        .putLong(lastAnsweredTs)
        .putLong(late)
        .putLong(lateDeadLettered)
        .putLong(outOfOrder)
        .putLong(outOfOrderDeadLettered)
        .putLong(deadLettered)
        .array();
  }

  /**
   * Reads {@link #encode()}'s bytes ({@link #EMPTY} for null).
   *
   * @throws IllegalStateException for bytes of another layout (a newer build's, or damaged)
   */
  public static CameraClock decode(byte[] bytes) {
    if (bytes == null) {
      return EMPTY;
    }
    if (bytes.length < BYTES || bytes[0] != VERSION) {
      throw new IllegalStateException(
          "camera clock of "
              + bytes.length
              + " bytes, version "
              + (bytes.length == 0 ? "none" : bytes[0])
              + " (this build reads version "
              + VERSION
              + ", "
              + BYTES
              + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 1, BYTES - 1);
    return new CameraClock(
        b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }
}
