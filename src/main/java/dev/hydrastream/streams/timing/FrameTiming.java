package dev.hydrastream.streams.timing;

import dev.hydrastream.config.Settings;
import dev.hydrastream.streams.topics.DlqReason;

/**
 * The contract for late and out-of-order frames ({@code frame.max.age.ms}, {@code
 * frame.late.policy}, {@code frame.out.of.order.policy}) as one pure decision, taken before a frame
 * is decoded. A frame is <em>late</em> when this host's clock at its arrival is more than {@code
 * frame.max.age.ms} past its capture time (never, with 0), and <em>out of order</em> when its
 * capture time is strictly older than its camera's last answered frame's (an equal capture time, a
 * duplicate, is not). A frame may be both; it is dead-lettered when the policy of either case says
 * so, as {@link DlqReason#LATE} if the late policy says so, else as {@link DlqReason#OUT_OF_ORDER}.
 *
 * @param maxAgeMs {@code frame.max.age.ms} (0: no limit)
 * @param deadLetterLate {@code frame.late.policy=dead-letter}
 * @param deadLetterOutOfOrder {@code frame.out.of.order.policy=dead-letter}
 */
public record FrameTiming(long maxAgeMs, boolean deadLetterLate, boolean deadLetterOutOfOrder) {

  /** Judges nothing late and processes everything (the defaults). */
  static final FrameTiming DEFAULTS = new FrameTiming(0, false, false);

  /**
   * What was found about one frame.
   *
   * @param late older than {@code frame.max.age.ms} at arrival
   * @param outOfOrder older than the camera's last answered frame
   * @param ageMs arrival minus capture time (negative for a camera clock ahead of this host's)
   * @param behindMs the camera's last answered capture time minus this frame's (0 when not out of
   *     order)
   * @param reason the dead-letter reason, or null to process the frame
   */
  public record Verdict(
      boolean late, boolean outOfOrder, long ageMs, long behindMs, DlqReason reason) {

    /** Whether the frame is late or out of order (then the camera's counts change). */
    public boolean notable() {
      return late || outOfOrder;
    }

    /** The dead-letter detail: what was measured against what. */
    public String detail(long captureTs, long maxAgeMs) {
      StringBuilder s = new StringBuilder("capture_ts=").append(captureTs);
      if (late) {
        s.append(" is ")
            .append(ageMs)
            .append(" ms old at arrival (frame.max.age.ms=")
            .append(maxAgeMs)
            .append(")");
      }
      if (outOfOrder) {
        s.append(late ? " and" : "")
            .append(" is ")
            .append(behindMs)
            .append(" ms older than the camera's last answered frame (capture_ts=")
            .append(captureTs + behindMs)
            .append(")");
      }
      return s.toString();
    }
  }

  /** The contract as the settings say. */
  public static FrameTiming of(Settings settings) {
    return new FrameTiming(
        settings.getLong(Settings.FRAME_MAX_AGE_MS),
        Settings.POLICY_DEAD_LETTER.equals(settings.getString(Settings.FRAME_LATE_POLICY)),
        Settings.POLICY_DEAD_LETTER.equals(settings.getString(Settings.FRAME_OUT_OF_ORDER_POLICY)));
  }

  /**
   * Judges a frame captured at {@code captureTs} arriving at {@code arrivalMillis} (this host's
   * clock) against its camera's {@code clock}.
   */
  public Verdict judge(long captureTs, long arrivalMillis, CameraClock clock) {
    long age = arrivalMillis - captureTs;
    boolean late = maxAgeMs > 0 && age > maxAgeMs;
    boolean outOfOrder = clock.answered() && captureTs < clock.lastAnsweredTs();
    long behind = outOfOrder ? clock.lastAnsweredTs() - captureTs : 0;
    DlqReason reason =
        late && deadLetterLate
            ? DlqReason.LATE
            : outOfOrder && deadLetterOutOfOrder ? DlqReason.OUT_OF_ORDER : null;
    return new Verdict(late, outOfOrder, age, behind, reason);
  }
}
