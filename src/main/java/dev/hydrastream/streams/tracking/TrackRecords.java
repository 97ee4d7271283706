package dev.hydrastream.streams.tracking;

import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.Track;
import dev.hydrastream.schema.TrackEnd;
import dev.hydrastream.schema.TrackEndReason;
import dev.hydrastream.schema.TrackResult;
import dev.hydrastream.schema.TrackState;
import dev.hydrastream.schema.TrackingStatus;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.Head;
import dev.hydrastream.tracking.Observation;
import dev.hydrastream.tracking.TrackedObject;
import dev.hydrastream.tracking.TrackerResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps between the records of {@code perception.frames} / {@code perception.tracks} and the
 * tracker's plain types: a frame's detections become observations, a tracker result becomes a
 * {@link TrackResult} carrying the frame's common fields.
 */
public final class TrackRecords {

  private TrackRecords() {}

  /** The detections of a fused frame record as tracker input (unchecked: the tracker checks). */
  public static List<Observation> observations(PerceptionFrame frame) {
    List<Observation> out = new ArrayList<>(frame.getDetections().size());
    for (Detection d : frame.getDetections()) {
      Box2d b = d.getBox();
      out.add(
          new Observation(
              d.getCategory(), d.getScore(), b.getX1(), b.getY1(), b.getX2(), b.getY2()));
    }
    return out;
  }

  /** The tracks record of a frame: the frame's common fields and the tracker's result. */
  public static TrackResult of(PerceptionFrame frame, TrackerResult r, double latencyMs) {
    List<Track> tracks = new ArrayList<>(r.tracks().size());
    for (TrackedObject t : r.tracks()) {
      Box b = t.box();
      tracks.add(
          new Track(
              t.id(),
              t.category(),
              Head.DETECTION.labels().indexOf(t.category()),
              TrackState.valueOf(t.state().name()),
              (float) t.score(),
              new Box2d((float) b.x1(), (float) b.y1(), (float) b.x2(), (float) b.y2()),
              t.ageFrames(),
              t.hits(),
              t.misses(),
              (float) t.vx(),
              (float) t.vy(),
              (float) t.scaleRate()));
    }
    List<TrackEnd> ended = new ArrayList<>(r.ended().size());
    for (dev.hydrastream.tracking.TrackEnd e : r.ended()) {
      ended.add(new TrackEnd(e.id(), TrackEndReason.valueOf(e.reason().name())));
    }
    Map<String, Integer> dropped = new LinkedHashMap<>();
    r.dropped().forEach((reason, n) -> dropped.put(reason.name(), n));
    return TrackResult.newBuilder()
        .setFrameId(frame.getFrameId())
        .setCameraId(frame.getCameraId())
        .setVehicleId(frame.getVehicleId())
        .setFrameSeq(frame.getFrameSeq())
        .setCaptureTs(frame.getCaptureTs())
        .setFrameWidth(frame.getFrameWidth())
        .setFrameHeight(frame.getFrameHeight())
        .setModel(frame.getModel())
        .setLatencyMs(latencyMs)
        .setStatus(TrackingStatus.valueOf(r.status().name()))
        .setTracks(tracks)
        .setStarted(new ArrayList<>(r.started()))
        .setEnded(ended)
        .setDropped(dropped)
        .build();
  }
}
