package dev.hydrastream.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.data.DatasetLayout;
import dev.hydrastream.data.SyntheticDataset;
import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.data.labels.FrameLabels;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Simulated dash-cam video as a multi-object tracking dataset in BDD100K's {@code box_track_20}
 * layout ({@link DatasetLayout}): camera 0 of the simulator fleet with the same seed ({@code
 * simulate --seed S} shows the same frames), one video per clip, each frame's objects with the
 * identity the renderer gives them ({@link SimulatedCamera#labelledFrame}), renumbered 1, 2, ...
 * per video in order of appearance. Frames carry BDD100K's {@code videoName} and {@code frameIndex}
 * and Scalabel's {@code timestamp} (milliseconds since the video's first frame).
 */
public final class VideoDataset {

  private VideoDataset() {}

  /**
   * What was written.
   *
   * @param out dataset directory
   * @param split the split the videos are in
   * @param seed simulator seed
   * @param fps frames per second
   * @param videos videos (clips) written
   * @param frames frames written
   * @param tracks object identities over all videos
   * @param boxes labelled boxes
   * @param categories boxes per class
   * @param seconds wall time
   * @param framesPerSecond rendering speed, labels and files included
   */
  public record Summary(
      String out,
      String split,
      long seed,
      double fps,
      int videos,
      int frames,
      int tracks,
      int boxes,
      Map<String, Integer> categories,
      double seconds,
      double framesPerSecond) {}

  /** What to render. */
  public record Options(
      long seed,
      int width,
      int height,
      double fps,
      double clipSeconds,
      String split,
      int threads) {}

  /**
   * Renders frames {@code 0..count-1} of the camera and writes them with their labels.
   *
   * @param progress told the number of frames done so far (from any thread)
   */
  public static Summary write(Path out, int count, Options o, IntConsumer progress)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    DatasetLayout layout = new DatasetLayout(out);
    Map<Long, List<Long>> clips = new TreeMap<>();
    try (SimulatedCamera probe = camera(o)) {
      for (long seq = 0; seq < count; seq++) {
        clips.computeIfAbsent(probe.clipOf(seq), c -> new ArrayList<>()).add(seq);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.threads()));
    AtomicInteger done = new AtomicInteger();
    List<Future<VideoStats>> videos = new ArrayList<>();
    for (Map.Entry<Long, List<Long>> clip : clips.entrySet()) {
      videos.add(
          pool.submit(
              () -> {
                try (SimulatedCamera cam = camera(o)) {
                  return writeVideo(layout, o, cam, clip.getKey(), clip.getValue(), done, progress);
                }
              }));
    }
    int tracks = 0;
    int boxes = 0;
    Map<String, Integer> categories = new TreeMap<>();
    try {
      for (Future<VideoStats> f : videos) {
        VideoStats v = f.get();
        tracks += v.tracks();
        boxes += v.boxes();
        v.categories().forEach((k, n) -> categories.merge(k, n, Integer::sum));
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("rendering a video failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Summary(
        out.toAbsolutePath().toString(),
        o.split(),
        o.seed(),
        o.fps(),
        clips.size(),
        count,
        tracks,
        boxes,
        categories,
        Math.round(seconds * 10) / 10.0,
        Math.round(count / seconds * 10) / 10.0);
  }

  /** The name of the video of clip {@code clip}. */
  public static String videoName(long seed, long clip) {
    return String.format("sim%d-%05d", seed, clip);
  }

  private record VideoStats(int tracks, int boxes, Map<String, Integer> categories) {}

  private static SimulatedCamera camera(Options o) {
    return new SimulatedCamera(
        "cam-0",
        "veh-0",
        CameraFleet.cameraSeed(o.seed(), 0),
        o.width(),
        o.height(),
        o.fps(),
        o.clipSeconds(),
        SimulatedCamera.DEFAULT_JPEG_QUALITY,
        0);
  }

  private static VideoStats writeVideo(
      DatasetLayout layout,
      Options o,
      SimulatedCamera cam,
      long clip,
      List<Long> seqs,
      AtomicInteger done,
      IntConsumer progress)
      throws IOException {
    String video = videoName(o.seed(), clip);
    Path images = layout.trackImagesDir(o.split(), video);
    Files.createDirectories(images);
    Map<Long, Long> ids = new HashMap<>();
    Map<String, Integer> categories = new TreeMap<>();
    int boxes = 0;
    ArrayNode frames = Json.MAPPER.createArrayNode();
    long t0 = cam.captureTs(seqs.get(0));
    for (int index = 0; index < seqs.size(); index++) {
      SimulatedCamera.Labelled l = cam.labelledFrame(seqs.get(index));
      SimFrame f = l.frame();
      String name = String.format("%s-%07d.jpg", video, index + 1);
      Files.write(images.resolve(name), f.jpeg());
      List<DetLabel> labels = new ArrayList<>(l.objects().size());
      for (DetLabel d : l.objects()) {
        long id = ids.computeIfAbsent(d.id(), k -> (long) ids.size() + 1);
        labels.add(
            new DetLabel(
                id, d.category(), d.box(), d.occluded(), d.truncated(), d.trafficLightColor()));
        categories.merge(d.category(), 1, Integer::sum);
      }
      boxes += labels.size();
      SimFrame.Truth t = f.truth();
      ObjectNode json =
          SyntheticDataset.toJson(
              new FrameLabels(name, t.weather(), t.scene(), t.timeofday(), labels));
      json.put("videoName", video);
      json.put("frameIndex", index);
      json.put("timestamp", f.captureTs() - t0);
      frames.add(json);
      progress.accept(done.incrementAndGet());
    }
    Path labelFile = layout.trackLabels(o.split(), video);
    Files.createDirectories(labelFile.getParent());
    Files.writeString(labelFile, Json.MAPPER.writeValueAsString(frames) + "\n");
    return new VideoStats(ids.size(), boxes, categories);
  }
}
