package dev.hydrastream.testing;

import dev.hydrastream.data.render.RenderedFrame;
import dev.hydrastream.data.render.SceneRenderer;
import dev.hydrastream.frame.ImageEncoder;
import java.util.ArrayList;
import java.util.List;

/** Realistic test frames: rendered 1280x720 street scenes as JPEG, made once per JVM. */
public final class Frames {

  private static List<byte[]> cache;

  private Frames() {}

  /** {@code n} (at most 16) distinct 1280x720 JPEGs, quality 85. */
  public static synchronized List<byte[]> jpegs(int n) {
    if (cache == null || cache.size() < n) {
      SceneRenderer r = new SceneRenderer(1280, 720);
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        RenderedFrame f = r.render(4242, i);
        out.add(ImageEncoder.jpeg(f.bgr(), f.width(), f.height(), 85));
      }
      cache = out;
    }
    return cache.subList(0, n);
  }
}
