package dev.hydrastream.tracking;

import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Head;
import dev.hydrastream.util.Assignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-object tracker of one camera: ByteTrack's two-stage association (Zhang et al.,
 * "ByteTrack: Multi-Object Tracking by Associating Every Detection Box", ECCV 2022) over a
 * constant-velocity Kalman filter, class-aware (a track only ever takes boxes of its own class).
 * Per frame:
 *
 * <ol>
 *   <li>every track is predicted to the frame's capture time;
 *   <li>confirmed and lost tracks are matched to high-score detections (IoU, optimal assignment);
 *   <li>confirmed tracks still unmatched are matched to low-score detections; those left become
 *       lost;
 *   <li>tentative tracks are matched to the high-score detections left, by IoU;
 *   <li>tracks born in the previous frame and still unmatched are matched to the high-score
 *       detections left by the filter's gate alone (Mahalanobis distance, DeepSORT's 95% gate):
 *       they have no velocity yet; an unmatched tentative track ends, one matched {@code minHits}
 *       frames in a row is confirmed;
 *   <li>lost tracks unmatched for more than {@code maxMisses} frames end;
 *   <li>high-score detections still unmatched start tentative tracks with new ids.
 * </ol>
 *
 * <p>Two changes to ByteTrack, both for driving video at a few frames per second, where objects
 * near the camera move by more than their size between frames: IoU is computed on boxes grown by
 * {@code iouBuffer} (C-BIoU's buffered IoU), and a track matched in a frame reports the detection's
 * box, not the filter's (whose aspect ratio lags); a lost track reports its prediction.
 *
 * <p>Ids come from a counter that only grows and is part of the state, so an id is never reused
 * within a camera. Time comes from capture times only; the rules for frames out of order and gaps
 * are on {@link FrameStatus}. Bad detections are dropped and counted ({@link DropReason}); the
 * state stays bounded by {@code maxTracks}. Not thread-safe: one instance per camera and thread.
 */
public final class CameraTracker {

  /** {@link #lastCaptureTs()} before the first frame. */
  public static final long NO_FRAME = Long.MIN_VALUE;

  /** 95% quantile of the chi-square distribution with 4 degrees of freedom (the box has 4). */
  static final double CHI2_95_4DOF = 9.4877;

  private static final Map<String, Integer> CLASS_IDS = new HashMap<>();

  static {
    List<String> labels = Head.DETECTION.labels();
    for (int i = 0; i < labels.size(); i++) {
      CLASS_IDS.put(labels.get(i), i);
    }
  }

  private final TrackerConfig config;
  private long nextId;
  private long lastTs;
  private final List<Track> tracks;

  /** A camera that has seen no frame yet; its first track gets id 1. */
  public CameraTracker(TrackerConfig config) {
    this(config, 1, NO_FRAME, new ArrayList<>());
  }

  CameraTracker(TrackerConfig config, long nextId, long lastTs, List<Track> tracks) {
    this.config = config;
    this.nextId = nextId;
    this.lastTs = lastTs;
    this.tracks = tracks;
  }

  /**
   * Tracks one frame.
   *
   * @param captureTs the frame's capture time, epoch milliseconds
   * @param observations its detections, in any order, unchecked
   */
  public TrackerResult update(long captureTs, List<Observation> observations) {
    List<TrackEnd> ended = new ArrayList<>();
    Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
    FrameStatus status = FrameStatus.TRACKED;
    double dt = 0;
    if (lastTs != NO_FRAME) {
      long delta = saturatingDelta(captureTs, lastTs);
      if (delta <= 0 && delta >= -config.maxGapMs()) {
        return new TrackerResult(
            FrameStatus.SKIPPED_OUT_OF_ORDER, List.of(), List.of(), List.of(), Map.of());
      }
      if (delta > config.maxGapMs()) {
        endAll(EndReason.GAP, ended);
        status = FrameStatus.RESET_AFTER_GAP;
      } else if (delta < 0) {
        endAll(EndReason.TIME_JUMP, ended);
        status = FrameStatus.RESET_AFTER_TIME_JUMP;
      } else {
        dt = delta / 1000.0;
      }
    }
    lastTs = captureTs;
    Detections dets = Detections.select(observations, config, CLASS_IDS, dropped);

    double[][] predicted = new double[tracks.size()][4];
    for (int i = 0; i < tracks.size(); i++) {
      Track t = tracks.get(i);
      t.observed = null;
      t.predict(dt);
      t.age = saturatingIncrement(t.age);
      t.box(predicted[i]);
    }
    boolean[] trackMatched = new boolean[tracks.size()];
    boolean[] detUsed = new boolean[dets.size()];

    // 1. confirmed and lost tracks with high-score detections
    List<Integer> pool = indices(t -> t.state != TrackState.TENTATIVE);
    List<Integer> high = dets.indices(s -> s >= config.highScore());
    match(pool, high, byIou(predicted, dets, config.matchIou()), dets, trackMatched, detUsed);

    // 2. confirmed tracks left with low-score detections
    List<Integer> tracked = new ArrayList<>();
    for (int i : pool) {
      if (!trackMatched[i] && tracks.get(i).state == TrackState.CONFIRMED) {
        tracked.add(i);
      }
    }
    List<Integer> low = dets.indices(s -> s < config.highScore());
    match(tracked, low, byIou(predicted, dets, config.lowMatchIou()), dets, trackMatched, detUsed);

    // 3. tentative tracks with the high-score detections left
    List<Integer> tentative = indices(t -> t.state == TrackState.TENTATIVE);
    PairWeight tentativeIou = byIou(predicted, dets, config.tentativeMatchIou());
    match(tentative, left(high, detUsed), tentativeIou, dets, trackMatched, detUsed);

    // 4. tracks born in the previous frame still unmatched, by the filter's gate alone: they have
    // no velocity yet, and a fast object may not overlap its first box
    List<Integer> newborn = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      if (!trackMatched[i] && tracks.get(i).hits == 1) {
        newborn.add(i);
      }
    }
    match(newborn, left(high, detUsed), byMotion(dets), dets, trackMatched, detUsed);

    for (int i : pool) {
      Track t = tracks.get(i);
      if (trackMatched[i]) {
        t.state = TrackState.CONFIRMED;
      } else {
        t.state = TrackState.LOST;
        t.misses = saturatingIncrement(t.misses);
      }
    }
    List<Track> kept = new ArrayList<>(tracks.size());
    for (int i = 0; i < tracks.size(); i++) {
      Track t = tracks.get(i);
      if (t.state == TrackState.TENTATIVE) {
        if (!trackMatched[i]) {
          ended.add(new TrackEnd(t.id, EndReason.UNCONFIRMED));
          continue;
        }
        if (t.hits >= config.minHits()) {
          t.state = TrackState.CONFIRMED;
        }
      }
      // 4. lost too long
      if (t.state == TrackState.LOST && t.misses > config.maxMisses()) {
        ended.add(new TrackEnd(t.id, EndReason.MISSED));
        continue;
      }
      kept.add(t);
    }
    tracks.clear();
    tracks.addAll(kept);

    // 5. new tracks from the high-score detections left
    List<Long> started = new ArrayList<>();
    for (int d : high) {
      if (detUsed[d] || dets.score(d) < config.newTrackScore()) {
        continue;
      }
      if (tracks.size() >= config.maxTracks() && !evictLost(ended)) {
        dropped.merge(DropReason.TRACK_LIMIT, 1, Integer::sum);
        continue;
      }
      TrackState state = config.minHits() <= 1 ? TrackState.CONFIRMED : TrackState.TENTATIVE;
      Track t = Track.start(nextId++, dets.classId(d), dets.score(d), dets.box(d), state);
      tracks.add(t);
      started.add(t.id);
    }
    tracks.sort(Comparator.comparingLong(t -> t.id));
    return new TrackerResult(status, report(), started, ended, dropped);
  }

  /**
   * A pair is worth its buffered IoU above {@code minIou} (lapjv with cost_limit, as in ByteTrack).
   */
  private PairWeight byIou(double[][] predicted, Detections dets, double minIou) {
    return (i, d) -> {
      double iou = bufferedIou(predicted[i], dets.box(d), config.iouBuffer());
      return iou > minIou ? iou - minIou : 0;
    };
  }

  /**
   * A pair is worth how far the squared Mahalanobis distance of the detection from the track's
   * predicted measurement stays below the 95% chi-square quantile (DeepSORT's gate).
   */
  private PairWeight byMotion(Detections dets) {
    return (i, d) -> {
      double d2 = tracks.get(i).mahalanobis(dets.box(d));
      return d2 < CHI2_95_4DOF ? CHI2_95_4DOF - d2 : 0;
    };
  }

  /** What pairing track {@code i} with detection {@code d} is worth (0: not a candidate). */
  private interface PairWeight {
    double of(int i, int d);
  }

  /**
   * Matches same-class pairs of {@code trackIdx} and {@code detIdx} by the most total weight and
   * updates the matched tracks.
   */
  private void match(
      List<Integer> trackIdx,
      List<Integer> detIdx,
      PairWeight weight,
      Detections dets,
      boolean[] trackMatched,
      boolean[] detUsed) {
    if (trackIdx.isEmpty() || detIdx.isEmpty()) {
      return;
    }
    double[][] w = new double[trackIdx.size()][detIdx.size()];
    for (int a = 0; a < trackIdx.size(); a++) {
      int i = trackIdx.get(a);
      for (int b = 0; b < detIdx.size(); b++) {
        int d = detIdx.get(b);
        if (dets.classId(d) == tracks.get(i).classId) {
          w[a][b] = weight.of(i, d);
        }
      }
    }
    apply(Assignment.maxWeight(w), trackIdx, detIdx, dets, trackMatched, detUsed);
  }

  /** Updates each track with the detection the assignment {@code m} gave it. */
  private void apply(
      int[] m,
      List<Integer> trackIdx,
      List<Integer> detIdx,
      Detections dets,
      boolean[] trackMatched,
      boolean[] detUsed) {
    for (int a = 0; a < m.length; a++) {
      if (m[a] < 0) {
        continue;
      }
      int i = trackIdx.get(a);
      int d = detIdx.get(m[a]);
      Track t = tracks.get(i);
      t.update(dets.box(d));
      t.hits = saturatingIncrement(t.hits);
      t.misses = 0;
      t.score = dets.score(d);
      trackMatched[i] = true;
      detUsed[d] = true;
    }
  }

  /**
   * IoU of two boxes each grown by {@code buffer} times its width and height on every side (the
   * buffered IoU of C-BIoU, Yang et al., WACV 2023): at low frame rates a fast object's box may
   * barely overlap its prediction.
   */
  static double bufferedIou(double[] p, double[] q, double buffer) {
    double pw = (p[2] - p[0] + 1) * buffer;
    double ph = (p[3] - p[1] + 1) * buffer;
    double qw = (q[2] - q[0] + 1) * buffer;
    double qh = (q[3] - q[1] + 1) * buffer;
    return Box.iou(
        p[0] - pw, p[1] - ph, p[2] + pw, p[3] + ph, q[0] - qw, q[1] - qh, q[2] + qw, q[3] + qh);
  }

  private static List<Integer> left(List<Integer> dets, boolean[] used) {
    List<Integer> out = new ArrayList<>();
    for (int d : dets) {
      if (!used[d]) {
        out.add(d);
      }
    }
    return out;
  }

  /** Ends the lost track missed longest (lowest id on ties); false if there is none. */
  private boolean evictLost(List<TrackEnd> ended) {
    Track victim = null;
    for (Track t : tracks) {
      if (t.state == TrackState.LOST && (victim == null || t.misses > victim.misses)) {
        victim = t;
      }
    }
    if (victim == null) {
      return false;
    }
    tracks.remove(victim);
    ended.add(new TrackEnd(victim.id, EndReason.EVICTED));
    return true;
  }

  private void endAll(EndReason reason, List<TrackEnd> ended) {
    for (Track t : tracks) {
      ended.add(new TrackEnd(t.id, reason));
    }
    tracks.clear();
  }

  private List<Integer> indices(java.util.function.Predicate<Track> p) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      if (p.test(tracks.get(i))) {
        out.add(i);
      }
    }
    return out;
  }

  private List<TrackedObject> report() {
    List<TrackedObject> out = new ArrayList<>(tracks.size());
    double[] b = new double[4];
    for (Track t : tracks) {
      t.reportedBox(b);
      out.add(
          new TrackedObject(
              t.id,
              Head.DETECTION.labels().get(t.classId),
              t.state,
              t.score,
              new Box(b[0], b[1], b[2], b[3]),
              t.age,
              t.hits,
              t.misses,
              t.mean[4 + Track.CX],
              t.mean[4 + Track.CY],
              t.scaleRate()));
    }
    return out;
  }

  /** {@code a - b}, saturated at the long range (capture times come from outside). */
  private static long saturatingDelta(long a, long b) {
    long d = a - b;
    if (((a ^ b) & (a ^ d)) < 0) {
      return a > b ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return d;
  }

  private static int saturatingIncrement(int v) {
    return v == Integer.MAX_VALUE ? v : v + 1;
  }

  /** The id the next new track will get. */
  public long nextId() {
    return nextId;
  }

  /** Capture time of the last frame tracked, or {@link #NO_FRAME}. */
  public long lastCaptureTs() {
    return lastTs;
  }

  /** The live tracks, by id (for the state codec). */
  List<Track> tracks() {
    return tracks;
  }
}
