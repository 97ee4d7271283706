package dev.hydrastream.eval;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.hydrastream.data.TrackingDataset;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.inference.PerceptionModel;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.tracking.CameraTracker;
import dev.hydrastream.tracking.DropReason;
import dev.hydrastream.tracking.Observation;
import dev.hydrastream.tracking.TrackedObject;
import dev.hydrastream.tracking.TrackerConfig;
import dev.hydrastream.tracking.TrackerResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Scores the tracker on a tracking dataset: each video is one camera, tracked from a fresh state
 * with the service's tracker, on the ground-truth boxes (the tracker alone: every label a detection
 * of score 1) or on a model's detections (the whole chain: decode, model, tracker). The boxes a
 * benchmark scores are the confirmed tracks of each frame ({@link TrackerResult#confirmed()}). With
 * a model, the detection AP@0.5 of the same frames is reported beside the tracking metrics.
 */
public final class TrackingEvaluator {

  /** Capture time of frame 0 of every video (any value: only differences matter). */
  private static final long EPOCH = 1_700_000_000_000L;

  private TrackingEvaluator() {}

  /**
   * Evaluation settings.
   *
   * @param tracker the tracker's parameters
   * @param fps frame rate of videos whose frames carry no {@code timestamp} (BDD100K MOT: 5)
   * @param batch frames per model call
   * @param trackerMinScore model detections below this score are not given to the tracker (the
   *     service publishes only detections at or above {@code model.min.score}); they still count
   *     for the detection mAP
   */
  public record Options(TrackerConfig tracker, double fps, int batch, double trackerMinScore) {
    public Options {
      if (!(fps > 0) || Double.isInfinite(fps)) {
        throw new IllegalArgumentException("fps must be positive, got " + fps);
      }
    }
  }

  /**
   * The evaluation; JSON field names are those of {@code eval --tracking --json}.
   *
   * @param data dataset directory
   * @param split split evaluated
   * @param detections {@code gt} or {@code model}
   * @param model {@code name@version} with model detections, else null
   * @param videos videos evaluated
   * @param seconds wall time
   * @param detectionMap the model's detection mAP@0.5 on the same frames (null on ground truth)
   * @param dropped detections the tracker dropped, by reason
   * @param metrics the tracking metrics
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      String data,
      String split,
      String detections,
      String model,
      int videos,
      double seconds,
      Double detectionMap,
      Map<String, Long> dropped,
      @JsonUnwrapped TrackingMetrics.Result metrics) {}

  /**
   * Evaluates the tracker on {@code split}.
   *
   * @param model the detector, or null to track the ground-truth boxes
   * @param progress told the number of frames done
   */
  public static Result evaluate(
      TrackingDataset ds, String split, PerceptionModel model, Options opts, IntConsumer progress) {
    List<TrackingDataset.Video> videos = ds.splits().get(split);
    if (videos == null) {
      throw new IllegalArgumentException(
          "no split " + split + " in " + ds.root() + " (has " + ds.splits().keySet() + ")");
    }
    long started = System.nanoTime();
    TrackingMetrics metrics = new TrackingMetrics();
    DetectionEvaluator detection =
        new DetectionEvaluator(
            Head.DETECTION.labels(), DetectionEvaluator.DEFAULT_IOU_THRESHOLD, 0);
    Map<String, Long> dropped = new TreeMap<>();
    int done = 0;
    for (TrackingDataset.Video video : videos) {
      List<TrackingDataset.VideoFrame> frames = video.frames();
      List<List<Observation>> observations = new ArrayList<>(frames.size());
      if (model == null) {
        for (TrackingDataset.VideoFrame f : frames) {
          observations.add(truthAsDetections(f.labels().labels()));
        }
      } else {
        List<Perception> results = new ArrayList<>(frames.size());
        int before = done;
        ModelRuns.run(
            model,
            frames.stream().map(TrackingDataset.VideoFrame::image).toList(),
            opts.batch(),
            (i, r) -> results.add(r),
            n -> progress.accept(before + n));
        for (int i = 0; i < frames.size(); i++) {
          List<DetectedObject> dets = results.get(i).detections();
          detection.add(frames.get(i).labels().labels(), dets);
          observations.add(asObservations(dets, opts.trackerMinScore()));
        }
      }
      CameraTracker tracker = new CameraTracker(opts.tracker());
      List<TrackingMetrics.Frame> scored = new ArrayList<>(frames.size());
      for (int i = 0; i < frames.size(); i++) {
        TrackingDataset.VideoFrame f = frames.get(i);
        TrackerResult r = tracker.update(captureTs(f, opts.fps()), observations.get(i));
        for (Map.Entry<DropReason, Integer> e : r.dropped().entrySet()) {
          dropped.merge(e.getKey().name(), (long) e.getValue(), Long::sum);
        }
        scored.add(new TrackingMetrics.Frame(truth(f.labels().labels()), predicted(r)));
      }
      metrics.addSequence(scored);
      done += frames.size();
      progress.accept(done);
    }
    return new Result(
        ds.root().toString(),
        split,
        model == null ? "gt" : "model",
        model == null ? null : model.card().id(),
        videos.size(),
        Math.round((System.nanoTime() - started) / 1e8) / 10.0,
        model == null ? null : detection.evaluate().mAP(),
        dropped,
        metrics.result());
  }

  /** The frame's capture time: its timestamp, else its index at {@code fps}. */
  static long captureTs(TrackingDataset.VideoFrame f, double fps) {
    return EPOCH + (f.timestampMs() >= 0 ? f.timestampMs() : Math.round(f.index() * 1000 / fps));
  }

  private static List<Observation> truthAsDetections(List<DetLabel> labels) {
    List<Observation> out = new ArrayList<>(labels.size());
    for (DetLabel l : labels) {
      out.add(
          new Observation(
              l.category(), 1.0, l.box().x1(), l.box().y1(), l.box().x2(), l.box().y2()));
    }
    return out;
  }

  private static List<Observation> asObservations(List<DetectedObject> dets, double minScore) {
    List<Observation> out = new ArrayList<>(dets == null ? 0 : dets.size());
    if (dets != null) {
      for (DetectedObject d : dets) {
        if (d.score() < minScore) {
          continue;
        }
        out.add(
            new Observation(
                d.category(), d.score(), d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()));
      }
    }
    return out;
  }

  private static List<TrackingMetrics.Obj> truth(List<DetLabel> labels) {
    List<TrackingMetrics.Obj> out = new ArrayList<>(labels.size());
    for (DetLabel l : labels) {
      out.add(new TrackingMetrics.Obj(l.id(), l.category(), l.box()));
    }
    return out;
  }

  private static List<TrackingMetrics.Obj> predicted(TrackerResult r) {
    List<TrackedObject> confirmed = r.confirmed();
    List<TrackingMetrics.Obj> out = new ArrayList<>(confirmed.size());
    for (TrackedObject t : confirmed) {
      out.add(new TrackingMetrics.Obj(t.id(), t.category(), t.box()));
    }
    return out;
  }
}
