package dev.hydrastream.tracking;

import dev.hydrastream.config.Settings;
import dev.hydrastream.config.TrackingSettings;

/**
 * The tracker's parameters. Defaults are ByteTrack's (Zhang et al., ECCV 2022: score thresholds,
 * IoU gates) where it has one; the others are ours and documented on each component.
 *
 * @param minHits a track is confirmed after this many matched frames in a row (birth after N hits);
 *     a tentative track that misses a frame is deleted
 * @param maxMisses a confirmed track that has not been matched for more than this many frames is
 *     deleted (deletion after M misses); until then it is {@code LOST} and can be found again
 * @param highScore detections at or above this score take part in the first association
 * @param lowScore detections at or above this score (and below {@code highScore}) take part in the
 *     second association only (ByteTrack's "low score" boxes); lower ones are ignored
 * @param newTrackScore an unmatched detection starts a track only at or above this score
 * @param matchIou the least IoU between a predicted track box and a high-score detection to match
 * @param lowMatchIou the least IoU for the second association (low-score detections)
 * @param tentativeMatchIou the least IoU for tentative tracks
 * @param iouBuffer every IoU is taken between boxes grown by this fraction of their width and
 *     height on each side (0: plain IoU)
 * @param maxGapMs a frame more than this many milliseconds after the previous one of its camera
 *     ends every track (a gap); one at most this much older than the previous one is skipped (out
 *     of order); one still older ends every track (the camera's clock jumped back)
 * @param maxTracks most live tracks per camera (bounds the state); see {@link DropReason}
 * @param maxDetections most detections per frame the tracker looks at (the highest scores)
 */
public record TrackerConfig(
    int minHits,
    int maxMisses,
    double highScore,
    double lowScore,
    double newTrackScore,
    double matchIou,
    double lowMatchIou,
    double tentativeMatchIou,
    double iouBuffer,
    long maxGapMs,
    int maxTracks,
    int maxDetections) {

  /** Hard limit on {@code maxTracks}: keeps the encoded state of a camera under 1 MB. */
  public static final int TRACK_LIMIT = 8192;

  public TrackerConfig {
    require(minHits >= 1 && minHits <= 1000, "minHits must be within 1..1000", minHits);
    require(
        maxMisses >= 0 && maxMisses <= 100_000, "maxMisses must be within 0..100000", maxMisses);
    require(unit(highScore), "highScore must be within 0..1", highScore);
    require(
        unit(lowScore) && lowScore <= highScore, "lowScore must be within 0..highScore", lowScore);
    require(unit(newTrackScore), "newTrackScore must be within 0..1", newTrackScore);
    require(open(matchIou), "matchIou must be within 0..1 (exclusive of 1)", matchIou);
    require(open(lowMatchIou), "lowMatchIou must be within 0..1 (exclusive of 1)", lowMatchIou);
    require(
        open(tentativeMatchIou),
        "tentativeMatchIou must be within 0..1 (exclusive of 1)",
        tentativeMatchIou);
    require(iouBuffer >= 0 && iouBuffer <= 2, "iouBuffer must be within 0..2", iouBuffer);
    require(maxGapMs >= 1, "maxGapMs must be at least 1", maxGapMs);
    require(
        maxTracks >= 1 && maxTracks <= TRACK_LIMIT,
        "maxTracks must be 1.." + TRACK_LIMIT,
        maxTracks);
    require(maxDetections >= 1, "maxDetections must be at least 1", maxDetections);
  }

  /**
   * ByteTrack's thresholds, IoU on boxes grown by 0.3 of their size, deletion after 15 missed
   * frames, and birth on the first hit: at 5 fps a second hit costs every new object a frame, and
   * ByteTrack's birth score (0.6) already keeps weak detections from starting tracks; on simulated
   * video this scores better with ground-truth boxes and with the model's detections alike (README,
   * "Tracking").
   */
  public static TrackerConfig defaults() {
    return new TrackerConfig(1, 15, 0.5, 0.1, 0.6, 0.2, 0.5, 0.3, 0.3, 2_000, 256, 256);
  }

  /** This configuration with another birth ({@code minHits}) and deletion ({@code maxMisses}). */
  public TrackerConfig withLifecycle(int minHits, int maxMisses) {
    return new TrackerConfig(
        minHits,
        maxMisses,
        highScore,
        lowScore,
        newTrackScore,
        matchIou,
        lowMatchIou,
        tentativeMatchIou,
        iouBuffer,
        maxGapMs,
        maxTracks,
        maxDetections);
  }

  /**
   * The configuration the service settings describe ({@code track.*}); the IoU gates of the second
   * association and of tentative tracks keep ByteTrack's values.
   */
  public static TrackerConfig of(Settings s) {
    TrackerConfig d = defaults();
    return new TrackerConfig(
        s.getInt(TrackingSettings.MIN_HITS),
        s.getInt(TrackingSettings.MAX_MISSES),
        s.getDouble(TrackingSettings.HIGH_SCORE),
        s.getDouble(TrackingSettings.LOW_SCORE),
        s.getDouble(TrackingSettings.NEW_SCORE),
        s.getDouble(TrackingSettings.MATCH_IOU),
        d.lowMatchIou(),
        d.tentativeMatchIou(),
        s.getDouble(TrackingSettings.IOU_BUFFER),
        s.getLong(TrackingSettings.MAX_GAP_MS),
        s.getInt(TrackingSettings.MAX_TRACKS),
        s.getInt(TrackingSettings.MAX_DETECTIONS));
  }

  private static boolean unit(double v) {
    return v >= 0 && v <= 1;
  }

  private static boolean open(double v) {
    return v >= 0 && v < 1;
  }

  private static void require(boolean ok, String message, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(message + ", got " + value);
    }
  }
}
