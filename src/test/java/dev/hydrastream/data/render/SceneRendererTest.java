package dev.hydrastream.data.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.data.labels.DetLabel;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.Taxonomy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Label truth against pixels. In flat mode every element is painted with its id as colour, so the
 * colour image is an independent record of what each object left visible: the labels (read from the
 * id buffer) must agree with it, and the occlusion and truncation flags must agree with each
 * object's silhouette rendered alone.
 */
class SceneRendererTest {
  private static final int W = 640;
  private static final int H = 360;
  private static final long SEED = 11;
  private static final int FRAMES = 36;
  private final SceneRenderer renderer = new SceneRenderer(W, H);

  private static int rgbAt(byte[] bgr, int p) {
    return ((bgr[3 * p + 2] & 255) << 16) | ((bgr[3 * p + 1] & 255) << 8) | (bgr[3 * p] & 255);
  }

  /** Pixel bounds and count of every colour in a flat image. */
  private static Map<Integer, int[]> colourBounds(byte[] bgr) {
    Map<Integer, int[]> bounds = new HashMap<>();
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int c = rgbAt(bgr, y * W + x);
        int[] b = bounds.get(c);
        if (b == null) {
          b = new int[] {x, y, x, y, 0};
          bounds.put(c, b);
        }
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
        b[4]++;
      }
    }
    return bounds;
  }

  @Test
  void boxesAreTightToEachObjectsVisiblePixels() {
    int checked = 0;
    for (int i = 0; i < FRAMES; i++) {
      RenderedFrame f = renderer.render(SEED, i, true, -1, true);
      Map<Integer, int[]> bounds = colourBounds(f.bgr());
      Set<Long> labelled = new HashSet<>();
      for (DetLabel l : f.labels().labels()) {
        int[] b = bounds.get((int) l.id());
        assertThat(b).as("frame %d object %d has visible pixels", i, l.id()).isNotNull();
        assertThat(l.box().x1()).as("x1 of %s in frame %d", l, i).isCloseTo(b[0], within1());
        assertThat(l.box().y1()).as("y1 of %s in frame %d", l, i).isCloseTo(b[1], within1());
        assertThat(l.box().x2()).as("x2 of %s in frame %d", l, i).isCloseTo(b[2], within1());
        assertThat(l.box().y2()).as("y2 of %s in frame %d", l, i).isCloseTo(b[3], within1());
        assertThat(b[4]).isGreaterThanOrEqualTo(SceneRenderer.MIN_VISIBLE_PIXELS);
        labelled.add(l.id());
        checked++;
      }
      // every object that is visible enough has a label: nothing visible goes unlabelled
      for (Map.Entry<Integer, int[]> e : bounds.entrySet()) {
        int id = e.getKey();
        int[] b = e.getValue();
        if (id >= Canvas.FIRST_OBJECT
            && id < Canvas.MAX_ID
            && b[4] >= SceneRenderer.MIN_VISIBLE_PIXELS
            && b[2] - b[0] + 1 >= SceneRenderer.MIN_BOX_SIDE
            && b[3] - b[1] + 1 >= SceneRenderer.MIN_BOX_SIDE) {
          assertThat(labelled)
              .as("frame %d: visible object %d is labelled", i, id)
              .contains((long) id);
        }
      }
    }
    assertThat(checked).as("boxes checked").isGreaterThan(FRAMES * 3);
  }

  private static org.assertj.core.data.Offset<Double> within1() {
    return org.assertj.core.data.Offset.offset(1.0);
  }

  @Test
  void drivableAndLaneMasksMatchTheRenderedRoad() {
    int direct = 0;
    int lanes = 0;
    for (int i = 0; i < FRAMES; i++) {
      RenderedFrame f = renderer.render(SEED, i, true, -1, true);
      for (int p = 0; p < W * H; p++) {
        int c = rgbAt(f.bgr(), p);
        int d = f.drivable()[p] & 255;
        int lane = f.lane()[p] & 255;
        if (c == Canvas.LANE_FLAT_COLOR) {
          // a painted marking: on a road it is a lane pixel, elsewhere background
          if (lane != Taxonomy.LANE_BACKGROUND) {
            assertThat(d).as("frame %d pixel %d", i, p).isIn(0, 1);
            lanes++;
          }
          continue;
        }
        assertThat(lane)
            .as("frame %d pixel %d: lane only where a marking is painted", i, p)
            .isEqualTo(Taxonomy.LANE_BACKGROUND);
        int expected =
            c == Canvas.ROAD_DIRECT
                ? Taxonomy.DRIVABLE_DIRECT
                : c == Canvas.ROAD_ALT
                    ? Taxonomy.DRIVABLE_ALTERNATIVE
                    : Taxonomy.DRIVABLE_BACKGROUND;
        assertThat(d)
            .as("frame %d pixel (%d,%d) colour %06x", i, p % W, p / W, c)
            .isEqualTo(expected);
        direct += d == Taxonomy.DRIVABLE_DIRECT ? 1 : 0;
      }
    }
    assertThat(direct).isGreaterThan(FRAMES * 1000);
    assertThat(lanes).isGreaterThan(FRAMES * 50);
  }

  @Test
  void occlusionAndTruncationFlagsAgreeWithSilhouettesRenderedAlone() {
    int occluded = 0;
    int clear = 0;
    int truncated = 0;
    for (int i = 0; i < 16; i++) {
      RenderedFrame f = renderer.render(SEED, i, true, -1, true);
      Map<Integer, int[]> visible = colourBounds(f.bgr());
      for (DetLabel l : f.labels().labels()) {
        int id = (int) l.id();
        RenderedFrame solo = renderer.render(SEED, i, true, id, true);
        int[] alone = colourBounds(solo.bgr()).get(id);
        assertThat(alone).isNotNull();
        int seen = visible.get(id)[4];
        int silhouette = alone[4];
        assertThat(seen)
            .as("visible pixels never exceed the silhouette")
            .isLessThanOrEqualTo(silhouette);
        boolean hidden = seen < silhouette * (1 - SceneRenderer.OCCLUSION_FRACTION);
        assertThat(l.occluded())
            .as("frame %d %s: %d of %d visible", i, l, seen, silhouette)
            .isEqualTo(hidden);
        boolean touchesBorder =
            alone[0] == 0 || alone[1] == 0 || alone[2] == W - 1 || alone[3] == H - 1;
        if (l.truncated()) {
          assertThat(touchesBorder).as("truncated %s touches the border", l).isTrue();
          truncated++;
        } else {
          assertThat(touchesBorder).as("untruncated %s stays inside", l).isFalse();
        }
        if (l.occluded()) {
          occluded++;
        } else {
          clear++;
        }
      }
    }
    assertThat(occluded).isPositive();
    assertThat(clear).isPositive();
    assertThat(truncated).isPositive();
  }

  @Test
  void sameSeedAndIndexGiveTheSameFrame() {
    for (int i = 0; i < 6; i++) {
      RenderedFrame a = new SceneRenderer(W, H).render(SEED, i);
      RenderedFrame b = new SceneRenderer(W, H).render(SEED, i);
      assertThat(b.labels()).isEqualTo(a.labels());
      assertThat(b.bgr()).isEqualTo(a.bgr());
      assertThat(b.drivable()).isEqualTo(a.drivable());
      assertThat(b.lane()).isEqualTo(a.lane());
    }
    assertThat(renderer.render(SEED + 1, 0).labels())
        .isNotEqualTo(renderer.render(SEED, 0).labels());
  }

  @Test
  void everySceneWeatherTimeOfDayAndClassAppears() {
    SceneRenderer small = new SceneRenderer(320, 180);
    Set<String> scenes = new HashSet<>();
    Set<String> weathers = new HashSet<>();
    Set<String> times = new HashSet<>();
    Set<String> classes = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      RenderedFrame f = small.render(3, i);
      scenes.add(f.labels().scene());
      weathers.add(f.labels().weather());
      times.add(f.labels().timeofday());
      f.labels().labels().forEach(l -> classes.add(l.category()));
    }
    assertThat(scenes).containsExactlyInAnyOrderElementsOf(Head.SCENE.labels());
    assertThat(weathers).containsExactlyInAnyOrderElementsOf(Head.WEATHER.labels());
    assertThat(times).containsExactlyInAnyOrderElementsOf(Head.TIMEOFDAY.labels());
    assertThat(classes).containsExactlyInAnyOrderElementsOf(Head.DETECTION.labels());
  }

  @Test
  void trafficLightsCarryTheirLitColour() {
    int lights = 0;
    for (int i = 0; i < 60; i++) {
      for (DetLabel l : renderer.render(SEED, i).labels().labels()) {
        if (l.category().equals("traffic light")) {
          assertThat(l.trafficLightColor()).isIn("red", "yellow", "green", "none");
          lights++;
        } else {
          assertThat(l.trafficLightColor()).isNull();
        }
      }
    }
    assertThat(lights).isPositive();
  }

  @Test
  void rejectsAbsurdFrameSizes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SceneRenderer(10, 10))
        .hasMessageContaining("64..8192");
  }
}
