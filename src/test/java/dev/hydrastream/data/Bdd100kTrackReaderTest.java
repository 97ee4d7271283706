package dev.hydrastream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BDD100K's box_track_20 format: the hand-written fixture under {@code
 * src/test/resources/bdd100k-fixture/track} is in the real release's layout and JSON (per-video
 * frame lists, digit-string ids such as {@code "00122062"}, {@code frameIndex}, and one video with
 * the 2020 release's {@code index}); broken copies of it fail naming the file and field.
 */
class Bdd100kTrackReaderTest {

  static final Path FIXTURE = Path.of("src/test/resources/bdd100k-fixture/track");
  static final String VIDEO = "b1c66a42-6f7d68ca";

  @TempDir Path tmp;

  @Test
  void readsVideosWithStableIds() {
    TrackingDataset ds = Bdd100kTrackReader.open(FIXTURE);
    assertThat(ds.splits()).containsOnlyKeys("val");
    List<TrackingDataset.Video> videos = ds.splits().get("val");
    assertThat(videos)
        .extracting(TrackingDataset.Video::name)
        .containsExactly(VIDEO, "b1d0a191-de8948f6");
    TrackingDataset.Video v = videos.get(0);
    assertThat(v.frames()).extracting(TrackingDataset.VideoFrame::index).containsExactly(0, 1, 2);
    TrackingDataset.VideoFrame f0 = v.frames().get(0);
    assertThat(f0.image()).hasFileName(VIDEO + "-0000001.jpg").exists();
    assertThat(f0.timestampMs()).isEqualTo(-1);
    assertThat(f0.labels().labels())
        .extracting(DetLabel::id)
        .containsExactly(122062L, 122063L, 122064L);
    DetLabel car = f0.labels().labels().get(0);
    assertThat(car.category()).isEqualTo("car");
    assertThat(car.truncated()).isTrue();
    assertThat(car.box().x2()).isEqualTo(75.41);
    assertThat(f0.labels().labels().get(1).occluded()).isTrue();
    // the same object keeps its id in the next frames
    assertThat(v.frames().get(2).labels().labels())
        .extracting(DetLabel::id)
        .containsExactly(122062L, 122064L, 122066L);
    // "other vehicle" is labelled but is no det_20 class: skipped and counted
    assertThat(ds.skipped()).containsEntry("other vehicle", 1);
    // the 2020 release's "index"
    assertThat(videos.get(1).frames())
        .extracting(f -> f.labels().labels().size())
        .containsExactly(1, 2);
    assertThat(ds.frameCount("val")).isEqualTo(5);
  }

  @Test
  void aMissingFrameImageIsNamed() throws IOException {
    Path root = copy();
    Files.delete(root.resolve("images/track/val/" + VIDEO + "/" + VIDEO + "-0000002.jpg"));
    assertThatThrownBy(() -> Bdd100kTrackReader.open(root))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("images/track/val/" + VIDEO + "/" + VIDEO + "-0000002.jpg")
        .hasMessageContaining("image file missing for frame 1");
  }

  @Test
  void malformedFramesAreNamedByFileAndField() throws IOException {
    assertFails("\"frameIndex\": 2", "\"frameIndex\": 1", "frames[2].frameIndex: frame 1 twice");
    assertFails("\"frameIndex\": 2", "\"frameIndex\": -2", "frames[2].frameIndex");
    assertFails(
        "\"videoName\": \"" + VIDEO + "\",\n    \"frameIndex\": 0",
        "\"videoName\": \"other\",\n    \"frameIndex\": 0",
        "frames[0].videoName: video \"other\" in the file of video " + VIDEO);
    assertFails("\"id\": \"00122064\"", "\"id\": \"ped-1\"", ".id: expected an integer");
    assertFails("\"category\": \"truck\"", "\"category\": \"hovercraft\"", "unknown category");
  }

  @Test
  void aDirectoryWithoutTrackingLabelsIsNamed() {
    assertThatThrownBy(() -> Bdd100kTrackReader.open(tmp))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("labels/box_track_20: directory missing");
  }

  private void assertFails(String from, String to, String message) throws IOException {
    Path root = copy();
    Path file = root.resolve("labels/box_track_20/val/" + VIDEO + ".json");
    String json = Files.readString(file);
    assertThat(json).contains(from);
    Files.writeString(file, json.replace(from, to));
    assertThatThrownBy(() -> Bdd100kTrackReader.open(root))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("labels/box_track_20/val/" + VIDEO + ".json")
        .hasMessageContaining(message);
  }

  private Path copy() throws IOException {
    Path root = Files.createTempDirectory(tmp, "track");
    Trees.copy(FIXTURE, root);
    return root;
  }
}
