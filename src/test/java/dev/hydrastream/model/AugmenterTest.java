package dev.hydrastream.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.junit.jupiter.api.Test;

class AugmenterTest {

  private static final int W = 16;
  private static final int H = 8;
  private static final int GS = 2;

  /** A 3-channel frame, white on {@code [x0, x1) x [y0, y1)}, black elsewhere. */
  private static byte[] whiteRect(int x0, int x1, int y0, int y1) {
    byte[] rgb = new byte[W * H * 3];
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        for (int c = 0; c < 3; c++) {
          rgb[3 * (y * W + x) + c] = (byte) 255;
        }
      }
    }
    return rgb;
  }

  /** Columns of row {@code y} whose first channel is {@code value}. */
  private static java.util.List<Integer> columns(byte[] img, int w, int ch, int y, int value) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int x = 0; x < w; x++) {
      if ((img[ch * (y * w + x)] & 255) == value) {
        out.add(x);
      }
    }
    return out;
  }

  @Test
  void aFlipPutsThePixelsAndTheMaskCellsExactlyInTheirMirroredBox() {
    // single()'s flip at scale 1 without shift: x' = -x + W, boxes [x1, x2) -> [W - x2, W - x1)
    double a = -1;
    double bx = W;
    byte[] rgb = whiteRect(2, 6, 1, 4);
    byte[] seg = new byte[(W / GS) * (H / GS)];
    seg[0 * (W / GS) + 1] = 1;
    seg[0 * (W / GS) + 2] = 1;

    byte[] movedRgb = Augmenter.warp(rgb, W, H, 3, a, 1, bx, 0, opencv_imgproc.INTER_LINEAR, 0);
    byte[] movedSeg =
        Augmenter.warp(seg, W / GS, H / GS, 1, a, 1, bx / GS, 0, opencv_imgproc.INTER_NEAREST, 255);

    // the box [2, 6) moves to [10, 14); the pixels must move with it
    for (int y = 1; y < 4; y++) {
      assertThat(columns(movedRgb, W, 3, y, 255)).as("row %d", y).containsExactly(10, 11, 12, 13);
    }
    // mask cells [1, 3) (pixels [2, 6)) move to cells [5, 7) (pixels [10, 14)), no border cell
    assertThat(columns(movedSeg, W / GS, 1, 0, 1)).containsExactly(5, 6);
    assertThat(columns(movedSeg, W / GS, 1, 0, 255)).isEmpty();
  }

  @Test
  void aZoomKeepsEveryMaskCellOnThePixelsOfItsClass() {
    // a frame whose pixels carry the class of the mask cell they lie in
    int gw = W / GS;
    int gh = H / GS;
    byte[] seg = new byte[gw * gh];
    for (int i = 0; i < seg.length; i++) {
      seg[i] = (byte) (i % 7);
    }
    byte[] img = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        img[y * W + x] = seg[(y / GS) * gw + x / GS];
      }
    }
    // single()'s zoom by 2 about the centre
    double s = 2;
    double bx = W / 2.0 - s * W / 2.0;
    double by = H / 2.0 - s * H / 2.0;
    byte[] movedImg = Augmenter.warp(img, W, H, 1, s, s, bx, by, opencv_imgproc.INTER_NEAREST, 9);
    byte[] movedSeg =
        Augmenter.warp(seg, gw, gh, 1, s, s, bx / GS, by / GS, opencv_imgproc.INTER_NEAREST, 9);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertThat(movedImg[y * W + x])
            .as("pixel %d,%d", x, y)
            .isEqualTo(movedSeg[(y / GS) * gw + x / GS]);
      }
    }
  }

  @Test
  void mosaicsAreDrawnPerSampleNotPerBatch() {
    // augment()'s first draw decides the mosaic: within a batch of 16 those draws must be
    // independent, so a batch is all mosaics with probability 0.25^16 and none with 0.75^16 (1%)
    int uniform = 0;
    int batches = 300;
    int mosaics = 0;
    for (int b = 0; b < batches; b++) {
      int m = 0;
      for (int j = 0; j < 16; j++) {
        m += Augmenter.sampleRandom(1, 0, b, j).nextDouble() < Augmenter.MOSAIC ? 1 : 0;
      }
      uniform += m == 0 || m == 16 ? 1 : 0;
      mosaics += m;
    }
    assertThat(uniform).as("batches all or no mosaics").isLessThan(15);
    assertThat(mosaics / (16.0 * batches)).isBetween(0.2, 0.3);
  }
}
