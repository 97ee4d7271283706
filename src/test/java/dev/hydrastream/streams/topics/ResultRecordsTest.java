package dev.hydrastream.streams.topics;

import static dev.hydrastream.wire.Samples.LATENCY_MS;
import static dev.hydrastream.wire.Samples.META;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hydrastream.schema.AttributePrediction;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.ClassificationResult;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.SegmentationMask;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelIdentity;
import dev.hydrastream.spec.Perception;
import dev.hydrastream.wire.FrameMeta;
import dev.hydrastream.wire.Samples;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** {@link ResultRecords} on the hand-made letterboxed frame of {@link Samples}. */
public class ResultRecordsTest {

  /** Decodes a PNG with OpenCV, unchanged; returns {width, height, channels, depth} and pixels. */
  public static byte[] decodePng(byte[] png, int[] shape) {
    try (BytePointer buf = new BytePointer(png);
        Mat raw = new Mat(1, png.length, opencv_core.CV_8UC1, buf);
        Mat image = opencv_imgcodecs.imdecode(raw, opencv_imgcodecs.IMREAD_UNCHANGED)) {
      assertThat(image.empty()).as("PNG decodes").isFalse();
      shape[0] = image.cols();
      shape[1] = image.rows();
      shape[2] = image.channels();
      shape[3] = image.depth();
      byte[] pixels = new byte[image.cols() * image.rows() * image.channels()];
      image.data().get(pixels);
      return pixels;
    }
  }

  public static byte[] bytes(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void frameIdIsCameraColonSequence() {
    assertThat(FrameMeta.frameId("cam-1", 42)).isEqualTo("cam-1:42");
    assertThat(META.frameId()).isEqualTo("cam-1:42");
    assertThatThrownBy(() -> FrameMeta.of("c", null, 1, 0, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyRecordCarriesTheCommonFields() {
    ResultRecords.Outputs all = ResultRecords.all(META, Samples.result(), LATENCY_MS);
    for (SpecificRecordBase r :
        List.<SpecificRecordBase>of(
            all.classification(), all.scene(), all.detections(), all.segmentation(), all.fused())) {
      assertThat(r.get("frame_id")).isEqualTo("cam-1:42");
      assertThat(r.get("camera_id")).isEqualTo("cam-1");
      assertThat(r.get("vehicle_id")).isEqualTo("veh-9");
      assertThat(r.get("frame_seq")).isEqualTo(42L);
      assertThat(r.get("capture_ts")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
      assertThat(r.get("frame_width")).isEqualTo(1280);
      assertThat(r.get("frame_height")).isEqualTo(720);
      assertThat(r.get("model")).isEqualTo("hydranet@1.2.0");
      assertThat(r.get("latency_ms")).isEqualTo(LATENCY_MS);
    }
  }

  @Test
  void attributesKeepTopLabelAndAllScores() {
    ClassificationResult c = ResultRecords.classification(META, Samples.result(), LATENCY_MS);
    AttributePrediction weather = c.getWeather();
    assertThat(weather.getLabel()).isEqualTo("rainy");
    assertThat(weather.getScore()).isEqualTo(0.7f);
    assertThat(weather.getScores())
        .containsOnlyKeys(Head.WEATHER.labels())
        .containsEntry("rainy", 0.7f)
        .containsEntry("clear", (float) (0.3 / 5));
    assertThat(c.getTimeofday().getLabel()).isEqualTo("night");
    assertThat(ResultRecords.scene(META, Samples.result(), LATENCY_MS).getScene().getLabel())
        .isEqualTo("highway");
  }

  @Test
  void detectionsKeepOrderClassIdsAndInclusiveFrameBoxes() {
    List<Detection> dets =
        ResultRecords.detections(META, Samples.result(), LATENCY_MS).getDetections();
    assertThat(dets)
        .extracting(Detection::getCategory)
        .containsExactly("car", "traffic sign", "pedestrian");
    assertThat(dets).extracting(Detection::getClassId).containsExactly(2, 9, 0);
    assertThat(dets).extracting(Detection::getScore).containsExactly(0.9f, 0.45f, 0.31f);
    assertThat(dets.get(0).getBox()).isEqualTo(new Box2d(100.5f, 200.25f, 300f, 400f));
    assertThat(dets.get(2).getBox()).isEqualTo(new Box2d(0f, 0f, 1279f, 719f));
  }

  @Test
  void maskIsAFrameAlignedGrayPngWithoutPadding() {
    Perception.Segmentation seg = Samples.segmentation();
    SegmentationMask mask =
        ResultRecords.segmentation(META, Samples.result(), LATENCY_MS).getMask();
    // as wide as the model mask, frame aspect: 192 x round(192 * 720 / 1280)
    assertThat(mask.getWidth()).isEqualTo(192);
    assertThat(mask.getHeight()).isEqualTo(108);
    assertThat(mask.getClasses()).isEqualTo(Head.SEGMENTATION.labels());

    byte[] png = bytes(mask.getPng());
    assertThat(png[24]).as("PNG bit depth").isEqualTo((byte) 8);
    assertThat(png[25]).as("PNG colour type: grayscale").isEqualTo((byte) 0);
    int[] shape = new int[4];
    byte[] pixels = decodePng(png, shape);
    assertThat(shape).containsExactly(192, 108, 1, opencv_core.CV_8U);
    assertThat(pixels).isEqualTo(seg.toFrameGrid(192, 108));

    // orientation: every pixel away from a class boundary has the scene's class at its centre
    double step = 1280 / 192.0;
    int checked = 0;
    for (int py = 0; py < 108; py++) {
      for (int px = 0; px < 192; px++) {
        double x = (px + 0.5) * step;
        double y = (py + 0.5) * step;
        if (near(y, 300) || near(y, 500) || near(x, 200) || near(x, 264) || near(x, 640)) {
          continue;
        }
        assertThat(pixels[py * 192 + px])
            .as("class at frame (%.0f, %.0f)", x, y)
            .isEqualTo((byte) Samples.sceneClass(x, y));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(192 * 108 / 2);
    // the padding rows of the model mask (lane marking) did not leak into the top or bottom row
    for (int px = 0; px < 192; px++) {
      assertThat(pixels[px]).isEqualTo((byte) 0);
    }
  }

  private static boolean near(double v, double boundary) {
    return Math.abs(v - boundary) < 8;
  }

  @Test
  void classAreasAreTheMaskPixelFractions() {
    Perception.Segmentation seg = Samples.segmentation();
    SegmentationMask mask = ResultRecords.mask(seg);
    Map<String, Float> areas = mask.getClassAreas();
    assertThat(areas.keySet()).containsExactlyElementsOf(Head.SEGMENTATION.labels());

    int[] shape = new int[4];
    byte[] pixels = decodePng(bytes(mask.getPng()), shape);
    long[] counts = new long[4];
    for (byte p : pixels) {
      counts[p]++;
    }
    for (int c = 0; c < 4; c++) {
      assertThat(areas.get(Head.SEGMENTATION.labels().get(c)))
          .isEqualTo((float) (counts[c] / (double) pixels.length));
    }
    // the scene's true fractions: background 300/720 rows; lane 64 x 220 px; the rest halves
    double frame = 1280.0 * 720;
    assertThat(areas.get("background")).isCloseTo((float) (300 / 720.0), within(0.005f));
    assertThat(areas.get("lane marking")).isCloseTo((float) (64 * 220 / frame), within(0.005f));
    assertThat(areas.get("drivable direct"))
        .isCloseTo((float) ((640 * 420 - 64 * 220) / frame), within(0.005f));
    assertThat(areas.get("drivable alternative"))
        .isCloseTo((float) (640 * 420 / frame), within(0.005f));
    double[] reference = seg.classAreas();
    for (int c = 0; c < 4; c++) {
      assertThat((double) areas.get(Head.SEGMENTATION.labels().get(c)))
          .isCloseTo(reference[c], within(0.01));
    }
  }

  @Test
  void allBuildsTheMaskOnceAndMatchesTheSingleMappings() {
    Perception r = Samples.result();
    ResultRecords.Outputs all = ResultRecords.all(META, r, LATENCY_MS);
    assertThat(all.fused().getSegmentation()).isSameAs(all.segmentation().getMask());
    assertThat(all.classification()).isEqualTo(ResultRecords.classification(META, r, LATENCY_MS));
    assertThat(all.scene()).isEqualTo(ResultRecords.scene(META, r, LATENCY_MS));
    assertThat(all.detections()).isEqualTo(ResultRecords.detections(META, r, LATENCY_MS));
    assertThat(all.segmentation()).isEqualTo(ResultRecords.segmentation(META, r, LATENCY_MS));
    assertThat(all.fused()).isEqualTo(ResultRecords.fused(META, r, LATENCY_MS));
    assertThat(all.fused().getWeather()).isEqualTo(all.classification().getWeather());
    assertThat(all.fused().getDetections()).isEqualTo(all.detections().getDetections());
  }

  @Test
  void theOodScoreIsOnTheClassificationAndFusedRecords() {
    ResultRecords.Outputs all = ResultRecords.all(META, Samples.result(), LATENCY_MS);
    assertThat(all.classification().getOodScore()).isEqualTo(Samples.OOD_SCORE);
    assertThat(all.fused().getOodScore()).isEqualTo(Samples.OOD_SCORE);

    // a model without the output: null, also on a classification record
    Perception old = weatherOnly();
    assertThat(old.oodScore()).isNull();
    assertThat(ResultRecords.classification(META, old, 1.0).getOodScore()).isNull();
    assertThat(ResultRecords.fused(META, old, 1.0).getOodScore()).isNull();
    assertThat(
            ResultRecords.all(Samples.META_NO_VEHICLE, Samples.detectionOnly(), 3.0)
                .fused()
                .getOodScore())
        .isNull();
  }

  @Test
  void headsTheModelLacksGiveNoRecordOrNullFields() {
    ResultRecords.Outputs all =
        ResultRecords.all(Samples.META_NO_VEHICLE, Samples.detectionOnly(), 3.0);
    assertThat(all.classification()).isNull();
    assertThat(all.scene()).isNull();
    assertThat(all.segmentation()).isNull();
    assertThat(all.detections().getDetections()).hasSize(3);
    assertThat(all.detections().getVehicleId()).isNull();
    assertThat(all.fused().getWeather()).isNull();
    assertThat(all.fused().getTimeofday()).isNull();
    assertThat(all.fused().getScene()).isNull();
    assertThat(all.fused().getSegmentation()).isNull();
    assertThat(all.fused().getDetections()).hasSize(3);

    Perception weatherOnly = weatherOnly();
    ClassificationResult c = ResultRecords.classification(META, weatherOnly, 1.0);
    assertThat(c.getWeather().getLabel()).isEqualTo("clear");
    assertThat(c.getTimeofday()).isNull();
  }

  /** A result of a model with only the weather head and no out-of-distribution output. */
  private static Perception weatherOnly() {
    return new Perception(
        Samples.attribute(Head.WEATHER.labels(), 0),
        null,
        null,
        List.of(),
        null,
        ModelIdentity.of("w", "1"));
  }
}
