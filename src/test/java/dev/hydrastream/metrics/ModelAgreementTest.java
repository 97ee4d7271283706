package dev.hydrastream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.hydrastream.frame.ImageEncoder;
import dev.hydrastream.schema.AttributePrediction;
import dev.hydrastream.schema.Box2d;
import dev.hydrastream.schema.Detection;
import dev.hydrastream.schema.PerceptionFrame;
import dev.hydrastream.schema.SegmentationMask;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-task agreement of two models on the same frames, on hand-made records. */
class ModelAgreementTest {

  @Test
  void agreementPerAttributeF1PerClassAndMaskIou() {
    ModelAgreement a = new ModelAgreement();
    Detection car = det("car", 10, 10, 49, 49);
    Detection carShifted = det("car", 12, 10, 51, 49); // IoU 0.905
    Detection carFar = det("car", 100, 100, 139, 139);
    Detection person = det("pedestrian", 0, 0, 9, 19);
    a.add(
        frame("clear", List.of(car, person), new byte[] {0, 0, 1, 1}),
        frame("clear", List.of(carShifted, carFar), new byte[] {0, 0, 1, 2}));
    a.add(
        frame("rainy", List.of(), new byte[] {0, 0, 0, 0}),
        frame("foggy", List.of(), new byte[] {0, 0, 0, 0}));
    ModelAgreement.Report r = a.report();
    assertThat(r.frames()).isEqualTo(2);
    assertThat(r.attributeAgreement()).containsEntry("weather", 0.5).containsEntry("scene", 1.0);
    // car: 1 TP, 1 FP, 0 FN -> 2/3; pedestrian: 0 TP, 0 FP, 1 FN -> 0
    assertThat(r.detectionF1().get("car")).isCloseTo(2 / 3.0, offset(1e-9));
    assertThat(r.detectionF1()).containsEntry("pedestrian", 0.0);
    // frame 1: class 0 IoU 1, class 1 1/2, class 2 0 -> 0.5; frame 2: 1.0
    assertThat(r.maskIou()).isCloseTo(0.75, offset(1e-9));
  }

  @Test
  void boxIouUsesInclusivePixelBounds() {
    assertThat(ModelAgreement.iou(box(0, 0, 9, 9), box(0, 0, 9, 9))).isEqualTo(1.0);
    assertThat(ModelAgreement.iou(box(0, 0, 9, 9), box(5, 0, 14, 9)))
        .isCloseTo(50 / 150.0, offset(1e-9));
    assertThat(ModelAgreement.iou(box(0, 0, 9, 9), box(10, 0, 19, 9))).isZero();
  }

  static Box2d box(float x1, float y1, float x2, float y2) {
    return new Box2d(x1, y1, x2, y2);
  }

  static Detection det(String category, float x1, float y1, float x2, float y2) {
    return new Detection(category, 0, 0.9f, box(x1, y1, x2, y2));
  }

  static PerceptionFrame frame(String weather, List<Detection> detections, byte[] mask) {
    AttributePrediction w = new AttributePrediction(weather, 0.9f, Map.of(weather, 0.9f));
    AttributePrediction scene = new AttributePrediction("highway", 0.9f, Map.of("highway", 0.9f));
    PerceptionFrame f = new PerceptionFrame();
    f.put("frame_id", "cam:1");
    f.put("camera_id", "cam");
    f.put("capture_ts", Instant.EPOCH);
    f.setWeather(w);
    f.setScene(scene);
    f.setDetections(detections);
    f.setSegmentation(
        new SegmentationMask(
            List.of("a", "b", "c"),
            2,
            2,
            ByteBuffer.wrap(ImageEncoder.grayPng(mask, 2, 2)),
            Map.of()));
    return f;
  }
}
