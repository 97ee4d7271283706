package dev.hydrastream.tracking;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the tracker says about one frame of a camera.
 *
 * @param status how the frame was treated
 * @param tracks live tracks after the frame (none for a skipped frame), in id order
 * @param started ids of tracks born in this frame (start markers)
 * @param ended tracks that ended in this frame (end markers)
 * @param dropped detections ignored in this frame, by reason (only reasons that occurred)
 */
public record TrackerResult(
    FrameStatus status,
    List<TrackedObject> tracks,
    List<Long> started,
    List<TrackEnd> ended,
    Map<DropReason, Integer> dropped) {

  public TrackerResult {
    tracks = List.copyOf(tracks);
    started = List.copyOf(started);
    ended = List.copyOf(ended);
    // enum order, not Map.copyOf's per-JVM order: published records must not depend on the JVM
    dropped = dropped.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(dropped));
  }

  /** Tracks matched in this frame: what a tracking benchmark scores. */
  public List<TrackedObject> confirmed() {
    return tracks.stream().filter(t -> t.state() == TrackState.CONFIRMED).toList();
  }
}
