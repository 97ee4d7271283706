package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.frame.FrameDecoder;
import dev.hydrastream.util.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The import is faithful: our own TensorFlow graph, rebuilt layer by layer from the package's
 * manifest with its weights, gives the package model's detections. The reference is the package
 * model run as it ships by TensorFlow.js (pure-JS CPU backend, {@code
 * src/test/node/centernet_reference.mjs}) on the same letterboxed inputs, which this test writes to
 * {@code target/centernet-inputs/} (so the reference can be regenerated: see the script's header).
 */
class CenterNetImportTest {

  static final Path PHOTOS = Path.of("/usr/share/doc/labelme-examples/examples");

  /** Four fixed real photographs (Debian's labelme-examples: a street sequence and VOC photos). */
  static final List<String> IMAGES =
      List.of(
          "video_annotation/data_annotated/00000100.jpg",
          "video_annotation/data_annotated/00000104.jpg",
          "semantic_segmentation/data_annotated/2011_000003.jpg",
          "semantic_segmentation/data_annotated/2011_000025.jpg");

  static final Path REFERENCE =
      Path.of("src/test/resources/dev/hydrastream/model/centernet-reference.json");

  @Test
  void readsEveryTensorOfThePinnedPackage() throws Exception {
    TfjsGraphModel m = PretrainedCenterNet.load(PretrainedCenterNet.DEFAULT_DIR);
    assertThat(m.weights()).hasSize(267);
    assertThat(m.nodes().values().stream().filter(n -> n.op().equals("_FusedConv2D")).count())
        .isEqualTo(62);
    // float16 widened: the hard-swish constant 1/6 as the package stores it
    assertThat(m.constant("tower_0/MobilenetV3/Conv/hard_swish/mul_1/y").floats()[0])
        .isEqualTo(TfjsGraphModel.halfToFloat((short) 0x3155));
    assertThat(m.constant("tower_0/TopKV2/k").ints()).containsExactly(100);
    assertThat(m.parameters()).isBetween(1_900_000L, 2_100_000L);
  }

  @Test
  void halfPrecisionIsWidenedExactly() {
    assertThat(TfjsGraphModel.halfToFloat((short) 0x3c00)).isEqualTo(1f);
    assertThat(TfjsGraphModel.halfToFloat((short) 0xc000)).isEqualTo(-2f);
    assertThat(TfjsGraphModel.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(TfjsGraphModel.halfToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
    assertThat(TfjsGraphModel.halfToFloat((short) 0x8000)).isEqualTo(-0f);
    assertThat(Float.isInfinite(TfjsGraphModel.halfToFloat((short) 0x7c00))).isTrue();
  }

  @Test
  void ourGraphReproducesThePackageDetectorOnFourImages() throws Exception {
    assumeTrue(Files.isDirectory(PHOTOS), "labelme-examples not installed (.ci/run installs it)");
    int size = PretrainedCenterNet.PACKAGE_INPUT;
    FrameDecoder decoder = new FrameDecoder(size, size, false);
    Path inputs = Path.of("target", "centernet-inputs");
    Files.createDirectories(inputs);
    List<byte[]> frames = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < IMAGES.size(); i++) {
      byte[] rgb = decoder.decodeFile(PHOTOS.resolve(IMAGES.get(i))).rgb();
      frames.add(rgb);
      String name = i + ".png";
      names.add(name);
      writePng(rgb, size, inputs.resolve(name));
    }
    TfjsGraphModel m = PretrainedCenterNet.load(PretrainedCenterNet.DEFAULT_DIR);
    List<float[][]> ours = PretrainedCenterNet.detect(m, frames, size, 100);
    JsonNode ref = Json.MAPPER.readTree(REFERENCE.toFile()).path("images");
    double worstIou = 1;
    double worstScore = 0;
    for (int i = 0; i < names.size(); i++) {
      JsonNode rows = ref.path(names.get(i));
      assertThat(rows.size()).as("reference rows of " + names.get(i)).isEqualTo(100);
      for (int r = 0; r < 20; r++) {
        JsonNode want = rows.get(r);
        float[] best = null;
        double bestIou = -1;
        for (float[] got : ours.get(i)) {
          if ((int) got[5] != want.get(5).asInt()) {
            continue;
          }
          double iou = iou(got, want);
          if (iou > bestIou) {
            bestIou = iou;
            best = got;
          }
        }
        String what = IMAGES.get(i) + " reference row " + r + " " + want;
        assertThat(best).as(what + ": no detection of that class").isNotNull();
        assertThat(bestIou).as(what + ": IoU").isGreaterThanOrEqualTo(0.95);
        assertThat(Math.abs(best[4] - want.get(4).asDouble()))
            .as(what + ": score")
            .isLessThanOrEqualTo(0.01);
        worstIou = Math.min(worstIou, bestIou);
        worstScore = Math.max(worstScore, Math.abs(best[4] - want.get(4).asDouble()));
      }
    }
    System.out.printf(
        "centernet import: 4 images x top-20 matched, worst IoU %.5f, worst score difference %.6f%n",
        worstIou, worstScore);
  }

  private static double iou(float[] a, JsonNode b) {
    double bx1 = b.get(0).asDouble();
    double by1 = b.get(1).asDouble();
    double bx2 = b.get(2).asDouble();
    double by2 = b.get(3).asDouble();
    double iw = Math.max(0, Math.min(a[2], bx2) - Math.max(a[0], bx1));
    double ih = Math.max(0, Math.min(a[3], by2) - Math.max(a[1], by1));
    double inter = iw * ih;
    double union = (a[2] - a[0]) * (a[3] - a[1]) + (bx2 - bx1) * (by2 - by1) - inter;
    return union > 0 ? inter / union : 0;
  }

  static void writePng(byte[] rgb, int size, Path file) throws Exception {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int o = (y * size + x) * 3;
        img.setRGB(x, y, (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
