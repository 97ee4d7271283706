package dev.hydrastream.tracking;

import dev.hydrastream.spec.Head;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes a camera's tracker is stored as (the value of the changelogged state store). Compact
 * and versioned: a format byte first, so a later format can still read this one, and a build that
 * meets a newer format refuses it by name instead of misreading it.
 *
 * <pre>
 * format 1 (big-endian):
 *   byte   format = 1
 *   long   nextId          ids below it were given out; never decreases
 *   long   lastCaptureTs   Long.MIN_VALUE before the first frame
 *   int    trackCount
 *   per track, 106 bytes:
 *     long id, byte classId, byte state (0 tentative, 1 confirmed, 2 lost), int hits, int age,
 *     int misses, float score, float[8] mean, float[12] covariance
 * </pre>
 *
 * A camera's state is at most {@link #HEADER_BYTES} + {@code maxTracks} x {@link #TRACK_BYTES}
 * bytes (27 KB at the default 256 tracks).
 */
public final class TrackerStateCodec {

  public static final byte FORMAT = 1;
  public static final int HEADER_BYTES = 1 + 8 + 8 + 4;
  public static final int TRACK_BYTES = 8 + 1 + 1 + 4 + 4 + 4 + 4 + 8 * 4 + 12 * 4;

  private TrackerStateCodec() {}

  /** Upper bound of an encoded state under {@code config}. */
  public static int maxBytes(TrackerConfig config) {
    return HEADER_BYTES + config.maxTracks() * TRACK_BYTES;
  }

  public static byte[] encode(CameraTracker tracker) {
    List<Track> tracks = tracker.tracks();
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + tracks.size() * TRACK_BYTES);
    b.put(FORMAT).putLong(tracker.nextId()).putLong(tracker.lastCaptureTs()).putInt(tracks.size());
    for (Track t : tracks) {
      b.putLong(t.id).put((byte) t.classId).put(stateCode(t.state));
      b.putInt(t.hits).putInt(t.age).putInt(t.misses).putFloat(t.score);
      for (float v : t.mean) {
        b.putFloat(v);
      }
      for (float v : t.cov) {
        b.putFloat(v);
      }
    }
    return b.array();
  }

  /**
   * The tracker stored in {@code bytes}, continuing with {@code config}. A state with more tracks
   * than {@code config.maxTracks()} (the setting was lowered) is kept; the next frames evict lost
   * tracks as new ones need room.
   *
   * @throws IllegalStateException naming the problem if the bytes are not a state this build reads
   */
  public static CameraTracker decode(byte[] bytes, TrackerConfig config) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalStateException("tracker state is empty");
    }
    if (bytes[0] != FORMAT) {
      throw new IllegalStateException(
          "tracker state has format "
              + bytes[0]
              + "; this build reads format "
              + FORMAT
              + " (was it written by a newer version?)");
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.get();
      long nextId = b.getLong();
      long lastTs = b.getLong();
      int count = b.getInt();
      if (nextId < 1 || count < 0 || bytes.length != HEADER_BYTES + (long) count * TRACK_BYTES) {
        throw new IllegalStateException(
            "corrupt tracker state: "
                + bytes.length
                + " bytes, nextId "
                + nextId
                + ", "
                + count
                + " tracks");
      }
      List<Track> tracks = new ArrayList<>(count);
      int classes = Head.DETECTION.labels().size();
      for (int i = 0; i < count; i++) {
        long id = b.getLong();
        int classId = b.get();
        TrackState state = state(b.get());
        Track t = new Track(id, classId, state, b.getInt(), b.getInt(), b.getInt(), b.getFloat());
        if (id < 1 || id >= nextId || classId < 0 || classId >= classes) {
          throw new IllegalStateException(
              "corrupt tracker state: track " + id + " of class " + classId + ", nextId " + nextId);
        }
        for (int k = 0; k < t.mean.length; k++) {
          t.mean[k] = b.getFloat();
        }
        for (int k = 0; k < t.cov.length; k++) {
          t.cov[k] = b.getFloat();
        }
        tracks.add(t);
      }
      return new CameraTracker(config, nextId, lastTs, tracks);
    } catch (BufferUnderflowException e) {
      throw new IllegalStateException("corrupt tracker state: truncated", e);
    }
  }

  private static byte stateCode(TrackState s) {
    return switch (s) {
      case TENTATIVE -> 0;
      case CONFIRMED -> 1;
      case LOST -> 2;
    };
  }

  private static TrackState state(byte code) {
    return switch (code) {
      case 0 -> TrackState.TENTATIVE;
      case 1 -> TrackState.CONFIRMED;
      case 2 -> TrackState.LOST;
      default -> throw new IllegalStateException("corrupt tracker state: track state " + code);
    };
  }
}
