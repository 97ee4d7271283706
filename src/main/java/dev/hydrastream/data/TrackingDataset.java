package dev.hydrastream.data;

import dev.hydrastream.data.labels.FrameLabels;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * A multi-object tracking dataset in BDD100K's {@code box_track_20} layout ({@link DatasetLayout}):
 * videos of labelled frames whose labels keep their {@code id} from frame to frame.
 *
 * @param root dataset directory
 * @param splits videos by split name, each sorted by name
 * @param skipped labels that are not det_20 boxes (e.g. "other vehicle"), counted by category
 */
public record TrackingDataset(
    Path root, SortedMap<String, List<Video>> splits, SortedMap<String, Integer> skipped) {

  /**
   * One video.
   *
   * @param split its split
   * @param name BDD100K {@code videoName}
   * @param frames its frames by frame index
   */
  public record Video(String split, String name, List<VideoFrame> frames) {}

  /**
   * One frame of a video.
   *
   * @param index BDD100K {@code frameIndex} (0 first)
   * @param timestampMs Scalabel {@code timestamp} (milliseconds), or -1 when the file has none
   * @param image the frame's image file
   * @param labels its labels; {@link DetLabel#id()} is the object's identity within the video
   */
  public record VideoFrame(int index, long timestampMs, Path image, FrameLabels labels) {}

  /** Frames over all videos of a split. */
  public int frameCount(String split) {
    return splits.get(split).stream().mapToInt(v -> v.frames().size()).sum();
  }
}
