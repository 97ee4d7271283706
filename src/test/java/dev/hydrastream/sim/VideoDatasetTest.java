package dev.hydrastream.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.data.Bdd100kTrackReader;
import dev.hydrastream.data.TrackingDataset;
import dev.hydrastream.data.labels.DetLabel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset --video}: simulated video in BDD100K's box_track_20 layout, read back by the
 * tracking reader; the frames are the simulator's, and an object keeps its id from frame to frame.
 */
class VideoDatasetTest {

  private static final int W = 480;
  private static final int H = 270;

  @TempDir Path tmp;

  @Test
  void writesTheSimulatorsFramesAsVideosWithStableIds() throws Exception {
    // 1 s clips at 5 fps: 12 frames make videos of 5, 5 and 2 frames
    VideoDataset.Options o = new VideoDataset.Options(3, W, H, 5, 1.0, "val", 2);
    VideoDataset.Summary s = VideoDataset.write(tmp, 12, o, n -> {});
    assertThat(s.videos()).isEqualTo(3);
    assertThat(s.frames()).isEqualTo(12);

    TrackingDataset ds = Bdd100kTrackReader.open(tmp);
    List<TrackingDataset.Video> videos = ds.splits().get("val");
    assertThat(videos)
        .extracting(TrackingDataset.Video::name)
        .containsExactly("sim3-00000", "sim3-00001", "sim3-00002");
    assertThat(videos).extracting(v -> v.frames().size()).containsExactly(5, 5, 2);
    TrackingDataset.Video first = videos.get(0);
    assertThat(first.frames())
        .extracting(TrackingDataset.VideoFrame::timestampMs)
        .containsExactly(0L, 200L, 400L, 600L, 800L);
    int boxes = 0;
    for (TrackingDataset.Video v : videos) {
      for (TrackingDataset.VideoFrame f : v.frames()) {
        boxes += f.labels().labels().size();
      }
    }
    assertThat(boxes).isEqualTo(s.boxes()).isPositive();

    // the frames are what simulate's camera 0 with the same seed sends
    try (SimulatedCamera cam =
        new SimulatedCamera("cam-0", "veh-0", CameraFleet.cameraSeed(3, 0), W, H, 5, 1.0, 85, 0)) {
      assertThat(Files.readAllBytes(videos.get(1).frames().get(3).image()))
          .isEqualTo(cam.frame(8).jpeg());
    }
  }

  @Test
  void anObjectKeepsItsIdAndClassAndMovesLittleBetweenFrames() {
    List<List<DetLabel>> frames = new ArrayList<>();
    try (SimulatedCamera cam = new SimulatedCamera("cam-0", "veh-0", 11, W, H, 10, 20, 85, 0)) {
      for (int seq = 0; seq < 24; seq++) {
        SimulatedCamera.Labelled l = cam.labelledFrame(seq);
        // labelling does not change the frame
        assertThat(l.frame().jpeg()).isEqualTo(cam.frame(seq).jpeg());
        frames.add(l.objects());
      }
    }
    Map<Long, String> category = new HashMap<>();
    List<Double> iou = new ArrayList<>();
    for (int t = 0; t < frames.size(); t++) {
      Map<Long, DetLabel> before = new HashMap<>();
      if (t > 0) {
        frames.get(t - 1).forEach(d -> before.put(d.id(), d));
      }
      for (DetLabel d : frames.get(t)) {
        assertThat(category.putIfAbsent(d.id(), d.category()))
            .as("object %d keeps its class", d.id())
            .isIn(null, d.category());
        DetLabel prev = before.get(d.id());
        if (prev != null) {
          iou.add(prev.box().iou(d.box()));
        }
      }
    }
    assertThat(category).hasSizeGreaterThan(3);
    assertThat(iou).hasSizeGreaterThan(50);
    // at 10 fps most objects overlap themselves a frame later
    List<Double> sorted = iou.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() / 2)).isGreaterThan(0.5);
  }
}
