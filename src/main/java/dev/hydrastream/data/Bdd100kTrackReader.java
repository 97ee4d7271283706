package dev.hydrastream.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.data.labels.FrameLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads BDD100K's multi-object tracking labels ({@code box_track_20}): for each split, one JSON
 * file per video under {@code labels/box_track_20/SPLIT/}, each a list of Scalabel frames ({@code
 * name}, {@code videoName}, {@code frameIndex}, {@code labels[]} with a stable {@code id}), and the
 * frames under {@code images/track/SPLIT/VIDEO/}. The 2020 release's {@code index} is read as
 * {@code frameIndex}. Frames are parsed like the per-image labels ({@link FrameLabelParser}); every
 * file, frame and image is checked, and anything unexpected fails with a {@link DatasetException}
 * naming the file and the field path.
 */
public final class Bdd100kTrackReader {

  private final DatasetLayout layout;
  private final DatasetFiles files;

  private Bdd100kTrackReader(Path root) {
    this.layout = new DatasetLayout(root);
    this.files = new DatasetFiles(root);
  }

  /**
   * Reads and checks every split of the tracking dataset under {@code root}.
   *
   * @throws DatasetException if anything is missing, unreadable or malformed
   */
  public static TrackingDataset open(Path root) {
    return new Bdd100kTrackReader(root.toAbsolutePath().normalize()).read();
  }

  private TrackingDataset read() {
    Path labels = layout.trackLabelsRoot();
    if (!Files.isDirectory(labels)) {
      throw new DatasetException(
          files.rel(labels)
              + ": directory missing (a tracking dataset has labels/box_track_20/SPLIT/)");
    }
    SortedMap<String, List<TrackingDataset.Video>> splits = new TreeMap<>();
    SortedMap<String, Integer> skipped = new TreeMap<>();
    for (Path dir : files.list(labels, Files::isDirectory)) {
      String split = dir.getFileName().toString();
      List<TrackingDataset.Video> videos = new ArrayList<>();
      for (Path file :
          files.list(dir, p -> Files.isRegularFile(p) && p.toString().endsWith(".json"))) {
        videos.add(readVideo(split, file, skipped));
      }
      if (!videos.isEmpty()) {
        splits.put(split, List.copyOf(videos));
      }
    }
    if (splits.isEmpty()) {
      throw new DatasetException(
          files.rel(labels) + ": no split with video label files (SPLIT/*.json)");
    }
    return new TrackingDataset(layout.root(), splits, skipped);
  }

  private TrackingDataset.Video readVideo(
      String split, Path file, SortedMap<String, Integer> skipped) {
    String video = DatasetLayout.stem(file.getFileName().toString());
    Map<Integer, TrackingDataset.VideoFrame> frames = new TreeMap<>();
    Map<Integer, Where> seen = new HashMap<>();
    JsonFiles.readFrameList(
        file,
        files.rel(file),
        (node, at, labelFile) -> {
          FrameLabels labels = FrameLabelParser.parseFrame(node, at, skipped);
          String videoName = text(node, "videoName", at);
          if (!videoName.equals(video)) {
            throw at.child("videoName")
                .fail("video " + Where.quote(videoName) + " in the file of video " + video);
          }
          int index = frameIndex(node, at);
          Where prev = seen.putIfAbsent(index, at);
          if (prev != null) {
            throw at.child("frameIndex").fail("frame " + index + " twice (also " + prev + ")");
          }
          long timestamp = -1;
          JsonNode ts = node.get("timestamp");
          if (ts != null && !ts.isNull()) {
            if (!ts.isIntegralNumber() || ts.longValue() < 0) {
              throw at.child("timestamp")
                  .fail(
                      "expected milliseconds (a non-negative integer), got " + Where.describe(ts));
            }
            timestamp = ts.longValue();
          }
          Path image = layout.trackImagesDir(split, video).resolve(labels.name());
          if (!Files.isRegularFile(image)) {
            throw new DatasetException(
                files.rel(image) + ": image file missing for frame " + index + " (" + at + ")");
          }
          frames.put(index, new TrackingDataset.VideoFrame(index, timestamp, image, labels));
        });
    return new TrackingDataset.Video(split, video, List.copyOf(frames.values()));
  }

  /** {@code frameIndex}, or the 2020 release's {@code index}. */
  private static int frameIndex(JsonNode frame, Where at) {
    String field = frame.has("frameIndex") ? "frameIndex" : "index";
    JsonNode v = frame.get(field);
    if (v == null) {
      throw at.child("frameIndex").fail("missing");
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      throw at.child(field).fail("expected a frame number >= 0, got " + Where.describe(v));
    }
    return v.intValue();
  }

  private static String text(JsonNode parent, String field, Where parentAt) {
    JsonNode v = parent.get(field);
    if (v == null) {
      throw parentAt.child(field).fail("missing");
    }
    if (!v.isTextual()) {
      throw parentAt.child(field).fail("expected a string, got " + Where.describe(v));
    }
    return v.textValue();
  }
}
