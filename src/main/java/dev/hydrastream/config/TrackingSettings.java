package dev.hydrastream.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The tracking stage's settings ({@code track.*}): names, types, defaults, validators and docs,
 * defined into {@link Settings#DEF} (kept apart only so that {@code Settings} stays readable) and
 * checked together with the other settings at start.
 */
public final class TrackingSettings {

  public static final String MIN_HITS = "track.min.hits";
  public static final String MAX_MISSES = "track.max.misses";
  public static final String HIGH_SCORE = "track.high.score";
  public static final String LOW_SCORE = "track.low.score";
  public static final String NEW_SCORE = "track.new.score";
  public static final String MATCH_IOU = "track.match.iou";
  public static final String IOU_BUFFER = "track.iou.buffer";
  public static final String MAX_GAP_MS = "track.max.gap.ms";
  public static final String MAX_TRACKS = "track.max.tracks";
  public static final String MAX_DETECTIONS = "track.max.detections";

  private TrackingSettings() {}

  /** Adds the {@code track.*} definitions to {@code def}. */
  static ConfigDef define(ConfigDef def) {
    return def.define(
            MIN_HITS,
            Type.INT,
            1,
            Range.between(1, 1000),
            Importance.MEDIUM,
            "Tracking: a track is confirmed after this many matched frames in a row (1: at birth);"
                + " a tentative track that misses a frame ends.")
        .define(
            MAX_MISSES,
            Type.INT,
            15,
            Range.between(0, 100_000),
            Importance.MEDIUM,
            "Tracking: a confirmed track not matched for more than this many frames ends; until"
                + " then it is LOST and keeps its id if found again.")
        .define(
            HIGH_SCORE,
            Type.DOUBLE,
            0.5,
            Range.between(0.0, 1.0),
            Importance.LOW,
            "Tracking: detections at or above this score are matched first (ByteTrack).")
        .define(
            LOW_SCORE,
            Type.DOUBLE,
            0.1,
            Range.between(0.0, 1.0),
            Importance.LOW,
            "Tracking: detections from this score up to track.high.score only extend confirmed"
                + " tracks (ByteTrack's second association); lower ones are ignored.")
        .define(
            NEW_SCORE,
            Type.DOUBLE,
            0.6,
            Range.between(0.0, 1.0),
            Importance.LOW,
            "Tracking: an unmatched detection starts a track only at or above this score.")
        .define(
            MATCH_IOU,
            Type.DOUBLE,
            0.2,
            Range.between(0.0, 0.99),
            Importance.LOW,
            "Tracking: least IoU between a track's predicted box and a detection to match them.")
        .define(
            IOU_BUFFER,
            Type.DOUBLE,
            0.3,
            Range.between(0.0, 2.0),
            Importance.LOW,
            "Tracking: boxes are grown by this fraction of their width and height on each side"
                + " before IoU (buffered IoU: a fast object at a low frame rate may barely"
                + " overlap its predicted box); 0 for plain IoU.")
        .define(
            MAX_GAP_MS,
            Type.LONG,
            2_000L,
            Range.atLeast(1),
            Importance.MEDIUM,
            "Tracking: a frame more than this after its camera's previous one ends every track"
                + " (status RESET_AFTER_GAP); one at most this much older is skipped"
                + " (SKIPPED_OUT_OF_ORDER); one still older ends every track"
                + " (RESET_AFTER_TIME_JUMP). Capture times decide, not arrival.")
        .define(
            MAX_TRACKS,
            Type.INT,
            256,
            Range.between(1, 8192),
            Importance.LOW,
            "Tracking: most live tracks per camera; bounds the state store (106 bytes a track)."
                + " At the limit a new track evicts the longest-lost one, or is not started.")
        .define(
            MAX_DETECTIONS,
            Type.INT,
            256,
            Range.between(1, 100_000),
            Importance.LOW,
            "Tracking: most detections per frame the tracker considers (highest scores first);"
                + " the rest are dropped and counted.");
  }

  /** Cross-setting checks, naming the setting. */
  static void check(Settings s) {
    if (s.getDouble(LOW_SCORE) > s.getDouble(HIGH_SCORE)) {
      throw new ConfigException(
          LOW_SCORE,
          s.getDouble(LOW_SCORE),
          "must not exceed " + HIGH_SCORE + " = " + s.getDouble(HIGH_SCORE));
    }
  }
}
