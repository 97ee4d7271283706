package dev.hydrastream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.schema.SegmentationMask;
import dev.hydrastream.spec.Box;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Letterbox;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.streams.topics.ResultRecords;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real dev set's bar figures as pure functions on hand-made boxes and masks (no real image
 * here: the dev set's frames must not be copied into the repository), and its label format.
 */
class RealSetScoresTest {

  @TempDir Path tmp;

  private static DetectedObject det(String category, double score, double... b) {
    return new DetectedObject(category, new Box(b[0], b[1], b[2], b[3]), score);
  }

  @Test
  void iouUsesContinuousAreasLikeTheKafkaCheck() {
    double[] a = {0, 0, 100, 100};
    assertThat(RealSetScores.iou(a, a)).isEqualTo(1.0);
    assertThat(RealSetScores.iou(a, new double[] {50, 0, 150, 100}))
        .isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RealSetScores.iou(a, new double[] {100, 0, 200, 100})).isZero();
    assertThat(RealSetScores.iou(new double[] {5, 5, 5, 5}, new double[] {5, 5, 5, 5})).isZero();
  }

  @Test
  void vehiclesMatchAtHalfIouWhateverTheirVehicleClass() {
    List<double[]> cars = List.of(new double[] {0, 0, 100, 100}, new double[] {300, 0, 400, 100});
    RealSetScores.Match m =
        RealSetScores.matchVehicles(
            cars,
            List.of(
                det("truck", 0.9, 0, 0, 100, 100), // a car labelled, a truck found: it counts
                det("bus", 0.8, 300, 0, 360, 100), // IoU 0.6
                det("car", 0.7, 600, 0, 700, 100))); // nothing there: a false positive
    assertThat(m).isEqualTo(new RealSetScores.Match(2, 2, 3));
    assertThat(m.falsePositives()).isEqualTo(1);
    RealSetScores.Match below =
        RealSetScores.matchVehicles(
            List.of(new double[] {0, 0, 100, 100}), List.of(det("car", 0.9, 0, 0, 100, 49)));
    assertThat(below).as("IoU 0.49").isEqualTo(new RealSetScores.Match(0, 1, 1));
  }

  @Test
  void onlyTallEnoughLabelsAndSureTallVehicleDetectionsCount() {
    List<double[]> labels =
        List.of(new double[] {0, 0, 100, 50}, new double[] {200, 0, 300, 49}); // 50 and 49 tall
    RealSetScores.Match m =
        RealSetScores.matchVehicles(
            labels,
            List.of(
                det("car", 0.3, 0, 0, 100, 50), // the least score that counts
                det("car", 0.29, 200, 0, 300, 49),
                det("car", 0.9, 500, 0, 600, 39), // lower than 40 px
                det("car", 0.9, 700, 0, 800, 40),
                det("pedestrian", 0.9, 0, 0, 100, 50),
                det("train", 0.9, 0, 0, 100, 50)));
    assertThat(m).isEqualTo(new RealSetScores.Match(1, 1, 2));
  }

  @Test
  void matchingIsGreedyInLabelOrderAndUsesEachDetectionOnce() {
    // the first label takes the detection the second one needed: greedy, as the check does
    List<double[]> labels = List.of(new double[] {0, 0, 100, 100}, new double[] {20, 0, 120, 100});
    RealSetScores.Match m =
        RealSetScores.matchVehicles(
            labels,
            List.of(
                det("car", 0.9, 15, 0, 115, 100), // IoU 0.74 with the first, 0.90 with the second
                det("car", 0.8, 0, 0, 60, 100))); // IoU 0.60 with the first, 0.33 with the second
    assertThat(m).isEqualTo(new RealSetScores.Match(1, 2, 2));
    // one detection on two labels finds one
    RealSetScores.Match once =
        RealSetScores.matchVehicles(
            List.of(new double[] {0, 0, 100, 100}, new double[] {0, 0, 100, 100}),
            List.of(det("car", 0.9, 0, 0, 100, 100)));
    assertThat(once).isEqualTo(new RealSetScores.Match(1, 2, 1));
  }

  /** A {@code w x h} frame-aligned grid: drivable direct (1) where {@code x < drivableBelowX}. */
  private static byte[] grid(int w, int h, int drivableBelowX) {
    byte[] g = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < drivableBelowX; x++) {
        g[y * w + x] = (byte) (x % 2 == 0 ? 1 : 2); // direct and alternative both count
      }
    }
    return g;
  }

  @Test
  void patchCellsAreTheTruncatedPatchOnTheGrid() {
    // a 1000x500 frame on a 10x5 grid (100 px per cell), drivable in columns 0-3
    byte[] g = grid(10, 5, 4);
    // x 0..800 -> columns 0..7: 4 of 8 drivable, exactly the half that still counts
    assertThat(RealSetScores.patchDrivable(new double[] {0, 0, 800, 500}, g, 10, 5, 1000, 500))
        .isEqualTo(0.5);
    // x 250..599 -> columns int(2.5)=2 .. int(5.99)=5 exclusive: columns 2, 3, 4
    assertThat(RealSetScores.patchDrivable(new double[] {250, 100, 599, 300}, g, 10, 5, 1000, 500))
        .isCloseTo(2 / 3.0, within(1e-12));
    // a patch inside one cell still covers that cell
    assertThat(RealSetScores.patchDrivable(new double[] {310, 110, 320, 120}, g, 10, 5, 1000, 500))
        .isEqualTo(1.0);
    assertThat(RealSetScores.patchDrivable(new double[] {510, 110, 520, 120}, g, 10, 5, 1000, 500))
        .isZero();
    // past the frame: clipped to the grid; nothing left is not drivable
    assertThat(RealSetScores.patchDrivable(new double[] {0, 400, 1000, 900}, g, 10, 5, 1000, 500))
        .isCloseTo(0.4, within(1e-12));
    assertThat(RealSetScores.patchDrivable(new double[] {1200, 0, 1300, 100}, g, 10, 5, 1000, 500))
        .isZero();
  }

  @Test
  void thePatchIsScoredOnTheMaskTheServicePublishes() throws Exception {
    // the model mask (96x56, letterboxed) of frames of the dev set's sizes, drivable on the left
    for (int[] size :
        List.of(new int[] {960, 540}, new int[] {1242, 375}, new int[] {2048, 1024})) {
      Letterbox lb = Letterbox.of(size[0], size[1], 384, 224);
      byte[] mask = grid(96, 56, 40);
      Perception.Segmentation seg = new Perception.Segmentation(mask, 96, 56, lb);
      SegmentationMask published = ResultRecords.mask(seg);
      assertThat(RealSetScores.publishedGrid(lb, seg.width()))
          .containsExactly(published.getWidth(), published.getHeight());
      ByteBuffer png = published.getPng().duplicate();
      byte[] bytes = new byte[png.remaining()];
      png.get(bytes);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      Raster r = img.getRaster();
      byte[] decoded = new byte[img.getWidth() * img.getHeight()];
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          decoded[y * img.getWidth() + x] = (byte) r.getSample(x, y, 0);
        }
      }
      double[] patch = {size[0] * 0.2, size[1] * 0.6, size[0] * 0.5, size[1] * 0.9};
      double direct = RealSetScores.patchDrivable(patch, seg);
      assertThat(direct)
          .as("%dx%d", size[0], size[1])
          .isEqualTo(
              RealSetScores.patchDrivable(
                  patch, decoded, img.getWidth(), img.getHeight(), size[0], size[1]))
          .isBetween(0.0, 1.0);
    }
  }

  @Test
  void theRealSetFormatReadsWithPatchBoxesAndNullLabels() throws Exception {
    Path f = tmp.resolve("labels.json");
    Files.writeString(
        f,
        """
        {"description": "synthetic", "images": [
          {"file": "a.jpg", "width": 1280, "height": 720, "timeofday": "night", "weather": null,
           "scene": "highway", "road": [[0, 700], [640, 400], [1280, 700]],
           "road_patch": [500, 600, 700, 690], "cars": [[1, 2, 3, 4]],
           "trucks_buses": [[5, 6, 7, 8]], "people": [[9, 9, 10, 10]]},
          {"file": "b.png", "timeofday": "daytime", "road": [[0, 0], [1, 0], [1, 1]]}
        ]}
        """);
    List<ImageSetEvaluator.DevImage> dev = ImageSetEvaluator.readDevSet(f);
    ImageSetEvaluator.DevImage a = dev.get(0);
    assertThat(a.file()).isEqualTo(tmp.resolve("a.jpg").toAbsolutePath());
    assertThat(a.weather()).isNull();
    assertThat(a.timeofday()).isEqualTo("night");
    assertThat(a.width()).isEqualTo(1280);
    assertThat(a.height()).isEqualTo(720);
    assertThat(a.roadPatch()).containsExactly(500, 600, 700, 690);
    assertThat(a.vehicles()).hasSize(2);
    assertThat(a.vehicles().get(1)).containsExactly(5, 6, 7, 8);
    assertThat(dev.get(1).roadPatch()).isNull();
    assertThat(dev.get(1).vehicles()).as("no box labels: vehicles not scored").isNull();

    Files.writeString(
        f, "{\"images\": [{\"file\": \"a.jpg\", \"road_patch\": [500, 600, 400, 690]}]}");
    assertThatThrownBy(() -> ImageSetEvaluator.readDevSet(f))
        .hasMessageContaining("images[0].road_patch");
    Files.writeString(f, "{\"images\": [{\"file\": \"a.jpg\", \"cars\": [[1, 2, 3]]}]}");
    assertThatThrownBy(() -> ImageSetEvaluator.readDevSet(f))
        .hasMessageContaining("images[0].cars[0]");
  }

  @Test
  void theSummaryReadsLikeTheKafkaChecksLine() {
    String s =
        ImageSetEvaluator.summary(
            "../shared/devset-real/labels.json",
            30,
            Map.of("weather", "4/27", "timeofday", "18/30", "scene", "5/28"),
            "11/30",
            new ImageSetEvaluator.VehicleScores(26 / 63.0, 26 / 190.0, 26, 63, 190, 164));
    assertThat(s)
        .isEqualTo(
            "devset-real in Java 30/30 answered: timeofday 18/30, weather 4/27, scene 5/28,"
                + " road 11/30, vehicle recall 0.41 (26/63) precision 0.14");
  }
}
