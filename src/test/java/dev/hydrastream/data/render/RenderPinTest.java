package dev.hydrastream.data.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.data.labels.DetLabel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the renderer's exact output for a few small frames of each scene type, dataset and video, so
 * that a refactor that moves a random draw or changes a pixel fails here: the model card's figures
 * are reproduced from a regenerated dataset, and simulated cameras promise the same frame for the
 * same seed. Hashes are of the raw pixels, masks and labels, not of encoded JPEG bytes, so they do
 * not depend on the encoder.
 *
 * <p>A change that is meant to alter the pictures updates the hashes (the failure lists every
 * frame's actual hash) and says so in its commit.
 */
class RenderPinTest {
  private static final int W = 256;
  private static final int H = 144;
  private static final long SEED = 3;

  /**
   * Dataset frames of seed 3 by index, each with the hash of its image and of its masks and labels,
   * plain (no domain randomization: the frames of datasets made before randomization) and
   * randomized (the dataset default).
   */
  private static final List<Pin> DATASET =
      List.of(
          // gas station
          new Pin(0, "e5bc179c71d341df 8ad083c8e29385d6", "2e4fc7265ebcf48c c470ed2b7419a3d4"),
          // highway
          new Pin(2, "e0c34d4dac9b15fd 7f5e6ece7c0df26b", "b9f37546ed85df29 907214153db4a323"),
          // residential
          new Pin(3, "00d8e0c3d3556820 3225fb420e966486", "acc6711e13bd14d5 a49a453575678660"),
          // parking lot
          new Pin(5, "c3fd2a72c69ebda4 c5f5df23d5a9cc2a", "d1f4dcaeda41c873 1922a5d1b018ceac"),
          // city street
          new Pin(12, "4ad5acb11fc9bfe6 bb021d2fd411373f", "5c88fb5da0412ef0 357e069f65c562ab"),
          // tunnel
          new Pin(26, "5a9e5e811c5d5a63 acb45d4fa9b8acfe", "072e769790bea1fd d8f9c9c68f89b77b"));

  /** A dataset frame's index and its hashes, plain and randomized. */
  private record Pin(int index, String plain, String randomized) {}

  /**
   * Video clip number and time (s) to hash of the frame's pixels, rendered in this order by one
   * renderer (so "4@0.0" reuses the backdrop cached by "4@3.3").
   */
  private static final Map<String, String> VIDEO =
      inOrder(
          Map.entry("0@3.3", "3de1010f5d7a3fe3"), // gas station, clear day
          Map.entry("3@3.3", "626254bef6f3cf67"), // parking lot, clear night
          Map.entry("4@3.3", "15dcdbc3044da7c2"), // city street, clear day
          Map.entry("4@0.0", "1885ff0ec2cc44bc"), // the same clip again: cached sky and terrain
          Map.entry("7@3.3", "f3415f1655bbb7a8"), // tunnel, snowy dusk
          Map.entry("9@3.3", "b96cbba31034cd5c"), // highway, partly cloudy dusk
          Map.entry("16@3.3", "9c99a38f2bac97d8"), // residential, rainy day
          Map.entry("20@12.5", "7ace08d88820e407")); // city street, rainy night, sections on

  @ParameterizedTest(name = "randomized: {0}")
  @ValueSource(booleans = {false, true})
  void datasetFramesAreUnchanged(boolean randomized) {
    Map<Integer, String> pinned = new LinkedHashMap<>();
    for (Pin p : DATASET) {
      pinned.put(p.index(), randomized ? p.randomized() : p.plain());
    }
    String kind = randomized ? "randomized" : "plain";
    assertThat(hashes(new SceneRenderer(W, H, randomized), pinned))
        .as("%s dataset frames of seed %d at %dx%d", kind, SEED, W, H)
        .isEqualTo(pinned);
  }

  private static Map<Integer, String> hashes(SceneRenderer renderer, Map<Integer, String> pins) {
    Map<Integer, String> actual = new LinkedHashMap<>();
    for (int index : pins.keySet().stream().sorted().toList()) {
      RenderedFrame f = renderer.render(SEED, index);
      actual.put(index, sha(f.bgr()) + " " + sha(f.drivable(), f.lane(), labels(f)));
    }
    return actual;
  }

  @Test
  void videoFramesAreUnchanged() {
    VideoRenderer renderer = new VideoRenderer(W, H);
    byte[] bgr = new byte[W * H * 3];
    Map<String, String> actual = new LinkedHashMap<>();
    for (String key : VIDEO.keySet()) {
      String[] at = key.split("@");
      renderer.render(Long.parseLong(at[0]) * 7919 + 13, Double.parseDouble(at[1]), bgr);
      actual.put(key, sha(bgr));
    }
    assertThat(actual).as("video frames at %dx%d", W, H).isEqualTo(VIDEO);
  }

  @SafeVarargs
  private static <K, V> Map<K, V> inOrder(Map.Entry<K, V>... entries) {
    Map<K, V> map = new LinkedHashMap<>();
    for (Map.Entry<K, V> e : entries) {
      map.put(e.getKey(), e.getValue());
    }
    return map;
  }

  /** The labels in a fixed text form (record toString is not specified). */
  private static byte[] labels(RenderedFrame f) {
    StringBuilder s = new StringBuilder();
    s.append(line(f.labels().weather(), f.labels().scene(), f.labels().timeofday()));
    s.append(line(f.jpegQuality(), f.blurSigma(), f.motionBlur()));
    for (DetLabel l : f.labels().labels()) {
      s.append(line(l.id(), l.category(), l.occluded(), l.truncated(), l.trafficLightColor()));
      s.append(line(l.box().x1(), l.box().y1(), l.box().x2(), l.box().y2()));
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String line(Object... fields) {
    return Arrays.stream(fields).map(String::valueOf).collect(Collectors.joining(" ", "", "\n"));
  }

  private static String sha(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      // 16 hex digits are plenty to catch a change and keep the table readable
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
