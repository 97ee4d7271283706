package dev.hydrastream.camera;

/**
 * What one camera did, printed when the gateway stops (text, or JSON with {@code --json}).
 *
 * @param camera camera id
 * @param source what it read
 * @param state {@code ended} (its file ended), {@code stopped} (Ctrl-C or {@code --duration}) or
 *     {@code failed}
 * @param error why it failed; null otherwise
 * @param framesRead frames decoded (each took a {@code frame_seq}, sent or not)
 * @param sent frames acknowledged by the brokers
 * @param failed frames the producer gave up on
 * @param dropped frames the {@code --fps} throttle dropped
 * @param reencoded frames encoded again, smaller, to fit {@code max.request.size}
 * @param refused frames that did not fit even then (each logged with its sizes)
 * @param reconnects successful reopenings of a live source after it was lost
 * @param gapSeconds stream time lost while the source was away (from the last frame before to the
 *     first frame after, less one frame interval), including a gap still open at the end
 * @param gapFramesEstimated frames the camera recorded in those gaps, estimated from its frame rate
 * @param firstCaptureTs capture time of the first frame, epoch ms; 0: none
 * @param lastCaptureTs capture time of the last frame, epoch ms; 0: none
 */
public record CameraSummary(
    String camera,
    String source,
    String state,
    String error,
    long framesRead,
    long sent,
    long failed,
    long dropped,
    long reencoded,
    long refused,
    long reconnects,
    double gapSeconds,
    long gapFramesEstimated,
    long firstCaptureTs,
    long lastCaptureTs) {

  /** Frames lost without being accounted for as dropped or refused; 0 when nothing went wrong. */
  public long unaccounted() {
    return framesRead - sent - failed - dropped - refused;
  }
}
