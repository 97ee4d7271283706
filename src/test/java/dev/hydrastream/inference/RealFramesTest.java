package dev.hydrastream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.inference.Predictor;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.frame.FrameValidator;
import dev.hydrastream.frame.ImageHeader;
import dev.hydrastream.spec.DetectedObject;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Perception;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed default model on real street photographs (Debian's labelme-examples ships a 16:9
 * rainy street sequence and VOC photos; .ci/run installs it): every head must return well-formed
 * results. Accuracy on real photos is not asserted: the model has only seen synthetic frames.
 */
class RealFramesTest {
  static final Path MODEL = Path.of("models/hydranet");
  static final Path PHOTOS = Path.of("/usr/share/doc/labelme-examples/examples");

  @Test
  void defaultModelGivesWellFormedResultsOnRealPhotos() throws Exception {
    assumeTrue(Files.exists(MODEL.resolve("model.json")), "no default model committed yet");
    assumeTrue(Files.isDirectory(PHOTOS), "labelme-examples not installed (.ci/run installs it)");
    List<Path> photos;
    try (Stream<Path> s = Files.walk(PHOTOS)) {
      photos =
          s.filter(p -> p.toString().endsWith(".jpg"))
              .filter(p -> p.toString().contains("data_annotated"))
              .sorted()
              .limit(8)
              .toList();
    }
    assertThat(photos).isNotEmpty();
    try (PerceptionModel m = PerceptionModel.load(MODEL, PerceptionModel.Options.defaults());
        Predictor<FrameDecoder.Decoded, Perception> p = m.newPredictor()) {
      List<FrameDecoder.Decoded> frames = new ArrayList<>();
      List<int[]> sizes = new ArrayList<>();
      for (Path photo : photos) {
        byte[] bytes = Files.readAllBytes(photo);
        int[] wh = ImageHeader.size(bytes);
        assertThat(wh).as(photo.toString()).isNotNull();
        sizes.add(wh);
        frames.add(m.decoder().decode(bytes, FrameValidator.defaults()));
      }
      List<Perception> results = m.predict(p, frames);
      assertThat(results).hasSize(photos.size());
      for (int i = 0; i < results.size(); i++) {
        Perception r = results.get(i);
        int[] wh = sizes.get(i);
        checkAttribute(r.weather(), Head.WEATHER.labels());
        checkAttribute(r.timeofday(), Head.TIMEOFDAY.labels());
        checkAttribute(r.scene(), Head.SCENE.labels());
        double last = 1;
        for (DetectedObject d : r.detections()) {
          assertThat(Head.DETECTION.labels()).contains(d.category());
          assertThat(d.score()).isBetween(0.3, 1.0).isLessThanOrEqualTo(last);
          last = d.score();
          assertThat(d.box().x1()).isBetween(0.0, wh[0] - 1.0);
          assertThat(d.box().x2()).isBetween(d.box().x1(), wh[0] - 1.0);
          assertThat(d.box().y1()).isBetween(0.0, wh[1] - 1.0);
          assertThat(d.box().y2()).isBetween(d.box().y1(), wh[1] - 1.0);
        }
        Perception.Segmentation seg = r.segmentation();
        assertThat(seg.width()).isEqualTo(m.card().inputWidth() / 2);
        double total = 0;
        for (double a : seg.classAreas()) {
          total += a;
        }
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  private static void checkAttribute(Perception.Attribute a, List<String> labels) {
    assertThat(a).isNotNull();
    assertThat(labels).contains(a.label());
    double sum = a.probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(a.probabilities().keySet()).containsExactlyElementsOf(labels);
  }
}
