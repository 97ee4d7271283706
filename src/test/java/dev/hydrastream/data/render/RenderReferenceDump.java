package dev.hydrastream.data.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.sim.CameraFleet;
import dev.hydrastream.sim.SimFrame;
import dev.hydrastream.sim.SimulatedCamera;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes SHA-256 fingerprints of many rendered frames (dataset and video path) to the file named by
 * {@code -Drender.reference=FILE}, for proving a renderer refactor changes no pixel: run it before
 * and after and diff the files. Skipped unless the property is set, since it renders about 1,000
 * frames.
 *
 * <p>{@code mvn -B -ntp -q test -Dtest=RenderReferenceDump -Drender.reference=/tmp/ref.txt}
 */
class RenderReferenceDump {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  @EnabledIfSystemProperty(named = "render.reference", matches = ".+")
  void dump() throws IOException {
    List<String> lines = new ArrayList<>();
    Map<String, Integer> scenes = new TreeMap<>();
    dataset(lines);
    camerasAsTheFleetRunsThem(lines, scenes);
    clips(lines, scenes);
    lines.add("video scenes " + scenes);
    Files.write(Path.of(System.getProperty("render.reference")), lines, StandardCharsets.UTF_8);
    // every scene type went through the video path
    assertThat(scenes).hasSize(6);
  }

  /** Dataset frames: colour, masks and labels; flat frames with their id buffer; silhouettes. */
  private static void dataset(List<String> lines) {
    for (int[] size : new int[][] {{320, 180}, {640, 360}}) {
      SceneRenderer r = new SceneRenderer(size[0], size[1]);
      String at = size[0] + "x" + size[1];
      for (int i = 0; i < 48; i++) {
        RenderedFrame f = r.render(3, i);
        lines.add(
            "dataset "
                + at
                + " "
                + i
                + " "
                + f.labels().scene()
                + " bgr "
                + sha(f.bgr())
                + " drivable "
                + sha(f.drivable())
                + " lane "
                + sha(f.lane())
                + " labels "
                + sha(f.labels().toString().getBytes(StandardCharsets.UTF_8))
                + " sensor "
                + f.jpegQuality()
                + "/"
                + f.blurSigma()
                + "/"
                + f.motionBlur());
        RenderedFrame flat = r.render(3, i, true, -1, true);
        lines.add(
            "flat "
                + at
                + " "
                + i
                + " bgr "
                + sha(flat.bgr())
                + " ids "
                + sha(flat.ids())
                + " labels "
                + sha(flat.labels().toString().getBytes(StandardCharsets.UTF_8)));
        if (i < 12 && !flat.labels().labels().isEmpty()) {
          int id = (int) flat.labels().labels().get(0).id();
          RenderedFrame solo = r.render(3, i, true, id, true);
          lines.add("solo " + at + " " + i + " " + id + " ids " + sha(solo.ids()));
        }
      }
    }
  }

  /** Cameras as the fleet makes them (JPEG bytes), short clips so that many scenes go by. */
  private static void camerasAsTheFleetRunsThem(List<String> lines, Map<String, Integer> scenes) {
    for (long fleetSeed : new long[] {5, 2024}) {
      for (int c = 0; c < 3; c++) {
        long seed = CameraFleet.cameraSeed(fleetSeed, c);
        VideoRenderer raw = new VideoRenderer(640, 360);
        byte[] bgr = new byte[640 * 360 * 3];
        try (SimulatedCamera cam =
            new SimulatedCamera("cam-" + c, "veh-" + c, seed, 640, 360, 10, 2.0, 85, 0)) {
          for (int seq = 0; seq < 100; seq++) {
            SimFrame f = cam.frame(seq);
            long clip = cam.clipOf(seq);
            double time = seq / 10.0 - clip * 2.0;
            VideoRenderer.Clip info = raw.render(clipSeed(seed, clip), time, bgr);
            assertThat(info.scene()).isEqualTo(f.truth().scene());
            if (seq % 20 == 0) {
              scenes.merge(info.scene(), 1, Integer::sum);
            }
            lines.add(
                "camera "
                    + fleetSeed
                    + "/"
                    + c
                    + " "
                    + seq
                    + " "
                    + info
                    + " jpeg "
                    + sha(f.jpeg())
                    + " bgr "
                    + sha(bgr));
          }
        }
      }
    }
  }

  /** Many clips, a few moments each, including ones far into the clip (many sections on). */
  private static void clips(List<String> lines, Map<String, Integer> scenes) {
    VideoRenderer r = new VideoRenderer(480, 270);
    byte[] bgr = new byte[480 * 270 * 3];
    for (long clip = 0; clip < 60; clip++) {
      for (double t : new double[] {0, 0.7, 3.3, 19.9}) {
        VideoRenderer.Clip info = r.render(clip * 7919 + 13, t, bgr);
        if (t == 0) {
          scenes.merge(info.scene(), 1, Integer::sum);
        }
        lines.add("clip " + clip + " " + t + " " + info + " bgr " + sha(bgr));
      }
    }
  }

  /** As {@code SimulatedCamera}'s private clip seed, so the raw frames can be rendered too. */
  private static long clipSeed(long seed, long clip) {
    long z = seed * 0x9E3779B97F4A7C15L + clip + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String sha(byte[] data) {
    return HEX.formatHex(digest().digest(data));
  }

  private static String sha(int[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 4);
    b.asIntBuffer().put(data);
    return sha(b.array());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
