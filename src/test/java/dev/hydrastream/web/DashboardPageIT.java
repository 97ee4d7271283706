package dev.hydrastream.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrastream.metrics.ServiceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page in a real browser, fed hand-made documents (no broker, no model: the page is
 * served by a {@link WebServer} without a service and its functions are called directly): numbers
 * in units, a crowded parking-lot frame whose labels do not pile up, track ids and trails, the
 * score threshold, the per-camera counts and the unsure badge. {@link DashboardDemoIT} shows the
 * same page on the running demo.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardPageIT {

  @TempDir static Path tmp;

  private static WebServer server;
  private static WebDriver browser;
  private static JavascriptExecutor js;

  /** Test documents: a frame of camera "lot" (1280×720) with a tiny JPEG thumbnail. */
  private static final String FRAMES =
      """
      const cv = document.createElement('canvas');
      cv.width = 192; cv.height = 108;
      const g = cv.getContext('2d');
      g.fillStyle = '#345'; g.fillRect(0, 0, 192, 108);
      const jpeg = cv.toDataURL('image/jpeg').split(',')[1];
      window.testFrame = (seq, ts, detections, tracks) => ({
        camera_id: 'lot', vehicle_id: 'veh-1', frame_id: 'lot:' + seq, frame_seq: seq,
        capture_ts: ts, latency_ms: 12.345, frame_width: 1280, frame_height: 720,
        model: 'm@1', fps: 4.0444, frames: seq,
        tags: {scene: {label: 'parking lot', score: 0.7123}},
        ood: {score: 1.73456, threshold: 1.0, unsure: true},
        detections, tracks,
        thumbnail: {width: 192, height: 108, jpeg},
      });
      """;

  @BeforeAll
  static void open() throws Exception {
    Chromium.assumeInstalled();
    server = WebServer.start(ServiceMetrics.create(), "127.0.0.1", 0);
    browser = Chromium.start(tmp);
    js = (JavascriptExecutor) browser;
    browser.get("http://127.0.0.1:" + server.port() + "/");
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(b -> js.executeScript("return typeof fmt === 'function'").equals(Boolean.TRUE));
    js.executeScript(FRAMES);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void numbersHaveUnitsAndSensibleRounding() {
    Map<String, Object[]> cases =
        Map.ofEntries(
            Map.entry("ttc_s", new Object[] {List.of(1.1945157051086426), "1.2 s"}),
            Map.entry("gap_s", new Object[] {0.8512, "0.85 s"}),
            Map.entry("speed_mps", new Object[] {13.88888, "13.9 m/s"}),
            Map.entry("speed_kmh", new Object[] {50.4, "50 km/h"}),
            Map.entry("acceleration_mps2", new Object[] {-4.2612, "-4.3 m/s²"}),
            Map.entry("distance_m", new Object[] {8.4561, "8.5 m"}),
            Map.entry("nearest_m", new Object[] {List.of(23.71, 6.02), "24 m, 6.0 m"}),
            Map.entry("latency_ms", new Object[] {123.456, "123 ms"}),
            Map.entry("score", new Object[] {0.643, "64%"}),
            Map.entry("track_ids", new Object[] {List.of(12, 15), "#12, #15"}),
            Map.entry("ego_area", new Object[] {0.123456789, "0.123"}),
            Map.entry("whatever", new Object[] {1234.5678, "1235"}),
            Map.entry("objects", new Object[] {List.of("car", "bus"), "car, bus"}));
    for (Map.Entry<String, Object[]> c : cases.entrySet()) {
      Object got =
          js.executeScript("return fmt(arguments[0], arguments[1])", c.getKey(), c.getValue()[0]);
      assertThat(got).as(c.getKey()).isEqualTo(c.getValue()[1]);
    }
  }

  /** Evidence values are text as the rules engine writes them (lists as "[a, b]"), or JSON. */
  @Test
  void alertEvidenceIsShownInUnitsWithoutLongFloats() {
    js.executeScript(
        """
        alerts({enabled: true, total: 1,
          by_rule: {'time-to-contact': {count: 1, severity: 'CRITICAL'}},
          alerts: [{rule_id: 'time-to-contact', severity: 'CRITICAL', vehicle_id: 'veh-1',
            frame_id: 'cam-0:12', capture_ts: 1700000000000, description: 'x', suppressed: 0,
            evidence: {track_ids: '[12, 15]', categories: '[car, bus]',
              ttc_s: '[1.1945157051086426, 0.5]', speed_mps: '13.889', ego_area: '0.123456789',
              distance_m: [8.4561], weather: 'partly cloudy'}}]});
        """);
    WebElement ev = browser.findElement(By.cssSelector("#alerts li .evidence"));
    assertThat(ev.getText())
        .isEqualTo(
            "track ids #12, #15 · categories car, bus · ttc 1.2 s, 0.50 s · speed 13.9 m/s"
                + " · ego area 0.123 · distance 8.5 m · weather partly cloudy")
        .doesNotContainPattern("\\d\\.\\d{4,}");
    assertThat(ev.findElement(By.cssSelector("[data-field='ttc_s']")).getAttribute("title"))
        .contains("1.1945157051086426");
  }

  /** The shadow panel: hidden without a shadow, the running figures with one (as /api/shadow). */
  @Test
  void theShadowPanelComparesTheTwoModels() {
    js.executeScript("shadow({enabled: false})");
    assertThat(browser.findElement(By.id("shadow-panel")).isDisplayed()).isFalse();
    js.executeScript(
        """
        shadow({enabled: true, incumbent: 'hydranet@2', shadow: 'hydranet/3', fraction: 0.5,
          sampled: 40, dropped: 1, compared: 38, failed: 1,
          attribute_agreement: {scene: 1.0, weather: 0.9737},
          detection_f1: {car: 0.8123}, mask_iou: 0.95678, mean_latency_delta_ms: -1.234});
        """);
    assertThat(browser.findElement(By.id("shadow-panel")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("shadow-models")).getText())
        .isEqualTo("hydranet/3 vs hydranet@2");
    assertThat(browser.findElement(By.id("shadow-figures")).getText())
        .contains("frames compared 38 of 40 sampled")
        .contains("weather agreement 97.4%")
        .contains("car F1 0.812")
        .contains("mask IoU 0.957")
        .contains("latency delta -1.2 ms");
  }

  @Test
  void aCrowdedFrameDrawsBoxesAboveTheThresholdTrackIdsTrailsAndNoPiledLabels() {
    js.executeScript("model({model: 'hydranet@2', min_score: 0.3, ood_threshold: 1.0})");
    WebElement control = browser.findElement(By.id("score-threshold"));
    assertThat(control.getAttribute("data-default")).isEqualTo("0.3");
    assertThat(Double.parseDouble(control.getAttribute("value"))).isEqualTo(0.3);
    assertThat(browser.findElement(By.id("score-threshold-value")).getText()).isEqualTo("30%");

    // a parking lot: 24 overlapping cars at 31-38%, and one car at 72% that is track 7, moving
    List<Double> scores = new ArrayList<>();
    StringBuilder dets = new StringBuilder("[");
    for (int i = 0; i < 24; i++) {
      double s = 0.31 + (i % 8) * 0.01;
      scores.add(s);
      int x = 40 + (i % 6) * 150;
      int y = 200 + (i / 6) * 100;
      dets.append(
          String.format(
              "{class: 'car', score: %.2f, box: [%d, %d, %d, %d]},", s, x, y, x + 200, y + 120));
    }
    for (int seq = 1; seq <= 3; seq++) {
      int x = 900 + seq * 40;
      String strong = "{class: 'car', score: 0.72, box: [" + x + ", 100, " + (x + 160) + ", 200]}";
      String track =
          "[{id: 7, class: 'car', state: 'CONFIRMED', score: 0.72, box: ["
              + x
              + ", 102, "
              + (x + 160)
              + ", 198]}]";
      frame(seq, 1000 + seq * 250, dets + strong + "]", track);
    }
    WebElement lot = browser.findElement(By.cssSelector("article.camera[data-camera='lot']"));
    assertThat(lot.getAttribute("data-boxes")).isEqualTo("25");
    assertThat(lot.getAttribute("data-detections")).isEqualTo("25");
    assertThat(lot.getAttribute("data-tracks")).isEqualTo("7");
    int labels = Integer.parseInt(lot.getAttribute("data-labels"));
    assertThat(labels).isBetween(2, 24); // the strong car and some of the lot, never all
    List<WebElement> drawn = lot.findElements(By.cssSelector("ul.drawn li"));
    assertThat(drawn).hasSize(labels);
    // strongest first: the track's label is drawn, with its id
    assertThat(drawn.get(0).getAttribute("data-track")).isEqualTo("7");
    assertThat(drawn.get(0).getAttribute("textContent")).isEqualTo("#7 car 72%");
    List<double[]> rects = new ArrayList<>();
    for (WebElement li : drawn) {
      String[] r = li.getAttribute("data-rect").split(",");
      rects.add(new double[] {dbl(r[0]), dbl(r[1]), dbl(r[2]), dbl(r[3])});
    }
    for (int i = 0; i < rects.size(); i++) {
      for (int j = i + 1; j < rects.size(); j++) {
        double[] a = rects.get(i);
        double[] b = rects.get(j);
        boolean overlap =
            a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
        assertThat(overlap).as("labels %d and %d overlap", i, j).isFalse();
      }
    }
    // the trail: one centre per frame
    assertThat(js.executeScript("return cards.get('lot').trails.get(7).points.length"))
        .isEqualTo(3L);

    // the viewer raises the threshold: fewer boxes, and at 80% none (labels and track id go too)
    threshold(0.35);
    long above = scores.stream().filter(s -> s >= 0.35 - 1e-9).count() + 1;
    assertThat(lot.getAttribute("data-boxes")).isEqualTo(String.valueOf(above));
    threshold(0.8);
    assertThat(lot.getAttribute("data-boxes")).isEqualTo("0");
    assertThat(lot.getAttribute("data-labels")).isEqualTo("0");
    assertThat(lot.getAttribute("data-tracks")).isEmpty();
    threshold(0.3);
    assertThat(lot.getAttribute("data-boxes")).isEqualTo("25");

    // track 7 unseen for more than a few seconds of capture time: its trail is dropped
    frame(4, 1750 + 4000, dets + "]", "[]");
    assertThat(js.executeScript("return cards.get('lot').trails.has(7)")).isEqualTo(false);
    assertThat(lot.getAttribute("data-tracks")).isEmpty();

    // a lost track: the tracker's prediction, dashed, labelled with its id only
    frame(
        5,
        5750 + 250,
        "[]",
        "[{id: 9, class: 'bus', state: 'LOST', score: 0.5, box: [900, 300, 1100, 450]}]");
    assertThat(lot.getAttribute("data-tracks")).isEqualTo("9");
    assertThat(lot.findElement(By.cssSelector("ul.drawn li")).getAttribute("textContent"))
        .isEqualTo("#9 lost");

    // the out-of-distribution score (a scaled distance, not a share) and the badge, in sight
    assertThat(lot.findElement(By.cssSelector("h3 .unsure")).isDisplayed()).isTrue();
    assertThat(lot.getAttribute("data-unsure")).isEqualTo("true");
    assertThat(lot.findElement(By.cssSelector(".tags .ood")).getText()).isEqualTo("OOD 1.73");
  }

  @Test
  void perCameraCountsShowWhenTheServerReportsThem() {
    js.executeScript(
        "listed({camera_id: 'cnt', fps: 4.04, latency_ms: 12.3, frames: 9,"
            + " late: 3, outOfOrder: 0, deadLettered: 4})");
    WebElement cam = browser.findElement(By.cssSelector("article.camera[data-camera='cnt']"));
    WebElement counts = cam.findElement(By.cssSelector(".counts"));
    assertThat(counts.getText()).isEqualTo("late 3 · dropped 4");
    assertThat(cam.getAttribute("data-late")).isEqualTo("3");
    assertThat(cam.getAttribute("data-out-of-order")).isEqualTo("0");
    assertThat(cam.getAttribute("data-dead-lettered")).isEqualTo("4");
    assertThat(cam.findElement(By.cssSelector(".numbers")).getText())
        .isEqualTo("4.0 frames/s · latency 12 ms · 9 frames");
    // an older server: no counts, nothing shown
    js.executeScript("listed({camera_id: 'cnt', fps: 4, latency_ms: 12, frames: 10})");
    assertThat(counts.isDisplayed()).isFalse();
    assertThat(cam.getAttribute("data-late")).isNull();
  }

  /** Pushes a frame of camera "lot" and waits until it is drawn. */
  private static void frame(int seq, long ts, String detections, String tracks) {
    js.executeScript(
        "draw(testFrame(" + seq + ", " + ts + ", " + detections + ", " + tracks + "))");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(
            b ->
                ("lot:" + seq)
                    .equals(
                        b.findElement(By.cssSelector("article.camera[data-camera='lot']"))
                            .getAttribute("data-frame")));
  }

  /** Moves the threshold control as a viewer would (an input event). */
  private static void threshold(double v) {
    js.executeScript(
        "const t = document.getElementById('score-threshold');"
            + " t.value = String(arguments[0]); t.dispatchEvent(new Event('input'));",
        v);
  }

  private static double dbl(String s) {
    return Double.parseDouble(s);
  }
}
