package dev.hydrastream.streams.topics;

/**
 * A record that cannot be processed (a frame, or a telemetry value), with the dead-letter reason;
 * thrown to the DLQ handler.
 */
public final class FrameRejectedException extends RuntimeException {

  private final DlqReason reason;

  public FrameRejectedException(DlqReason reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public DlqReason reason() {
    return reason;
  }

  /** The human-readable part of the message, without the reason. */
  public String detail() {
    String m = getMessage();
    return m.substring(reason.name().length() + 2);
  }
}
