package dev.hydrastream.frame;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/** Breaks "only FrameDecoder decodes natively" on purpose: see ArchitectureTest. */
public final class ArchFixtureDecode {
  static Mat unchecked(Mat encoded) {
    return opencv_imgcodecs.imdecode(encoded, opencv_imgcodecs.IMREAD_COLOR);
  }
}
