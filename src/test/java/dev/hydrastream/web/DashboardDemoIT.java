package dev.hydrastream.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.cli.Main;
import dev.hydrastream.telemetry.AlertRules;
import dev.hydrastream.testing.Eventually;
import dev.hydrastream.testing.Http;
import dev.hydrastream.util.Json;
import java.io.File;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A running {@code ./hydrastream demo} (in this JVM, through the CLI, on a free HTTP port) seen by
 * real clients: Debian's headless Chromium driven by Selenium shows every camera, draws boxes and
 * the mask, a track's id on its box, a score threshold starting at the model's min_score that hides
 * boxes, and lists the committed alerts with their counts by rule; Debian's Prometheus, started
 * with the scrape config and rules from {@code deploy/}, scrapes our series. Each test is skipped
 * (not faked) when its program is not installed.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DashboardDemoIT {

  static final int CAMERAS = 4;
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  /** Where the browser test leaves its screenshot (the README's picture is a copy). */
  static final Path SCREENSHOT = Path.of("target/dashboard.png");

  @TempDir static Path tmp;

  private static Thread demo;
  private static final StringBuffer demoErr = new StringBuffer();
  private static String url;

  @BeforeAll
  static void startDemo() throws Exception {
    Writer sink =
        new Writer() {
          @Override
          public void write(char[] c, int off, int len) {
            demoErr.append(c, off, len);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    demo =
        new Thread(
            () ->
                Main.commandLine()
                    .setErr(new PrintWriter(sink, true))
                    .execute(
                        "demo",
                        "--duration",
                        "300s",
                        "--cameras",
                        String.valueOf(CAMERAS),
                        "--fps",
                        "4",
                        "--corrupt-every",
                        "10",
                        "--telemetry-hz",
                        "10",
                        "--http-port",
                        "0",
                        // hydranet@2 scores rendered objects at 0.3-0.45: below ByteTrack's
                        // birth score no track would start (docs/tracking.md)
                        "--set",
                        "track.high.score=0.3",
                        "--set",
                        "track.new.score=0.3",
                        "--set",
                        "track.low.score=0.1",
                        // every frame is older than 1 ms when it arrives: counted late, and
                        // processed (the default policy), so the page shows real late counts
                        "--set",
                        "frame.max.age.ms=1"),
            "demo");
    demo.setDaemon(true);
    demo.start();
    Pattern p = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
    url =
        Eventually.present(
            "the demo's dashboard line",
            Duration.ofMinutes(2),
            () -> {
              Matcher m = p.matcher(demoErr);
              return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
            });
    // Every camera has a frame in the store before a client looks.
    Eventually.await(
        "every camera in /api/cameras",
        Duration.ofMinutes(4),
        () -> Json.MAPPER.readTree(Http.get(url + "api/cameras").body()).path("cameras").size(),
        n -> n == CAMERAS);
  }

  @AfterAll
  static void stopDemo() throws Exception {
    if (demo != null) {
      demo.interrupt();
      demo.join(TimeUnit.MINUTES.toMillis(2));
    }
  }

  @Test
  void theBrowserShowsEveryCameraWithBoxesAndTheMask() throws Exception {
    WebDriver browser = Chromium.start(tmp);
    try {
      browser.get(url);
      waitFor(browser, Duration.ofSeconds(30))
          .until(b -> b.findElements(By.cssSelector("article.camera")).size() == CAMERAS);
      List<String> listed =
          browser.findElements(By.cssSelector("article.camera")).stream()
              .map(e -> e.getAttribute("data-camera"))
              .toList();
      // the demo picks camera ids that spread over the partitions and prints where each went
      List<String> cameras = new java.util.ArrayList<>();
      Matcher placed = Pattern.compile("(cam-\\d+) -> partition").matcher(demoErr);
      while (placed.find()) {
        cameras.add(placed.group(1));
      }
      assertThat(cameras).as(demoErr.toString()).hasSize(CAMERAS);
      assertThat(listed).containsExactlyInAnyOrderElementsOf(cameras);
      // Within 10 s a frame is drawn with at least one box and the mask overlay.
      String tags =
          read(
              browser,
              Duration.ofSeconds(10),
              "const a = [...document.querySelectorAll(\"article.camera[data-mask='drawn']\")]"
                  + ".find((e) => Number(e.dataset.boxes) > 0);"
                  + " return a ? a.querySelector('.tags').textContent : null;");
      assertThat(tags).isNotBlank();
      // The score threshold starts at the served model's min_score (/api/model).
      double minScore =
          Json.MAPPER.readTree(Http.get(url + "api/model").body()).path("min_score").asDouble();
      WebElement control =
          waitFor(browser, Duration.ofSeconds(30))
              .until(
                  b -> {
                    WebElement e = b.findElement(By.id("score-threshold"));
                    return e.getAttribute("data-default") != null ? e : null;
                  });
      assertThat(Double.parseDouble(control.getAttribute("data-default"))).isEqualTo(minScore);
      assertThat(Double.parseDouble(control.getAttribute("value"))).isEqualTo(minScore);
      // A track's id is drawn on its box (the drawn labels are listed in each card).
      String tracked =
          read(
              browser,
              Duration.ofMinutes(1),
              "const li = document.querySelector('article.camera ul.drawn li[data-track]');"
                  + " return li ? li.textContent : null;");
      assertThat(tracked).matches("#\\d+ ([a-z ]+ \\d+%|lost)");
      // Raising the threshold above every score hides every box; lowering it shows them again.
      setThreshold(browser, 1.0);
      waitFor(browser, Duration.ofSeconds(20))
          .until(
              b ->
                  b.findElements(By.cssSelector("article.camera")).stream()
                      .allMatch(
                          e ->
                              "1".equals(e.getAttribute("data-threshold"))
                                  && "0".equals(e.getAttribute("data-boxes"))));
      setThreshold(browser, minScore);
      waitFor(browser, Duration.ofSeconds(20))
          .until(
              b ->
                  b.findElements(By.cssSelector("article.camera")).stream()
                      .anyMatch(e -> Integer.parseInt(e.getAttribute("data-boxes")) > 0));
      // The service's per-camera late counts (camera-clock store, /api/cameras) reach the cards.
      // (Read in one script: the cards are redrawn on every push, so a found element goes stale.)
      String late =
          read(
              browser,
              Duration.ofSeconds(20),
              "return [...document.querySelectorAll(\"article.camera .counts [data-count='late']\")]"
                  + ".map((e) => e.textContent).find((t) => /^late [1-9]\\d*$/.test(t)) || null;");
      assertThat(late).matches("late [1-9]\\d*");
      // Dead letters of the truncated frames count up on the page.
      waitFor(browser, Duration.ofSeconds(20))
          .until(b -> !b.findElements(By.cssSelector("tr[data-reason='TRUNCATED']")).isEmpty());
      // The rules fire on the simulated drives (telemetry on): committed alerts reach the panel.
      @SuppressWarnings("unchecked")
      Map<String, String> alert =
          read(
              browser,
              Duration.ofMinutes(4),
              "const li = document.querySelector('#alerts li[data-rule]');"
                  + " return li ? {rule: li.dataset.rule, severity: li.dataset.severity,"
                  + " vehicle: li.dataset.vehicle, time: li.querySelector('time').textContent,"
                  + " who: li.querySelector('.who').textContent} : null;");
      String rule = alert.get("rule");
      assertThat(alert.get("severity")).isIn("INFO", "WARNING", "CRITICAL");
      assertThat(alert.get("vehicle")).startsWith("veh-");
      assertThat(alert.get("time")).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
      assertThat(alert.get("who")).contains(":");
      // Evidence in units, never a long float (read at once: the list is redrawn when pushed).
      @SuppressWarnings("unchecked")
      List<List<String>> evidence =
          (List<List<String>>)
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "return [...document.querySelectorAll('#alerts .evidence [data-field]')]"
                          + ".map((e) => [e.dataset.field, e.textContent]);");
      assertThat(evidence).isNotEmpty();
      for (List<String> field : evidence) {
        assertThat(field.get(1)).as(field.get(0)).doesNotContainPattern("\\d\\.\\d{4,}");
        String unit =
            field.get(0).endsWith("_mps")
                ? " m/s"
                : field.get(0).endsWith("_mps2")
                    ? " m/s²"
                    : field.get(0).endsWith("_s") ? " s" : field.get(0).endsWith("_m") ? " m" : "";
        if (!unit.isEmpty() && !field.get(1).endsWith("–")) {
          assertThat(field.get(1)).as(field.get(0)).contains(unit);
        }
      }
      String count =
          read(
              browser,
              Duration.ofSeconds(20),
              "const td = document.querySelector(\"#alert-counts tr[data-rule='\" + arguments[0]"
                  + " + \"'] td.n\"); return td ? td.textContent : null;",
              rule);
      assertThat(Integer.parseInt(count)).isPositive();
      // The page shows what /api/alerts says: the same rule, counted there too.
      JsonNode api = Json.MAPPER.readTree(Http.get(url + "api/alerts").body());
      assertThat(api.path("by_rule").path(rule).path("count").asLong()).isPositive();
      assertThat(api.path("alerts").get(0).path("rule_id").asText()).isNotEmpty();
      Files.createDirectories(SCREENSHOT.getParent());
      Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    } finally {
      browser.quit();
    }
  }

  @Test
  void prometheusScrapesOurSeriesWithTheConfigFromDeploy() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "Debian's prometheus is not installed");
    Path conf = Files.createDirectories(tmp.resolve("prometheus"));
    Files.copy(Path.of("deploy/prometheus/prometheus.yml"), conf.resolve("prometheus.yml"));
    Files.copy(Path.of("deploy/prometheus/rules.yml"), conf.resolve("rules.yml"));
    Files.createDirectories(conf.resolve("targets"));
    String target = url.substring("http://".length(), url.length() - 1);
    Files.writeString(conf.resolve("targets/demo.yml"), "- targets: ['" + target + "']\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + conf.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + conf.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(new File(conf.resolve("prometheus.log").toString()))
            .start();
    String api = "http://127.0.0.1:" + port + "/api/v1/";
    try {
      double processed =
          Eventually.await(
              "Prometheus has processed frames",
              Duration.ofMinutes(2),
              () -> value(api, "sum(hydrastream_frames_processed_total)"),
              v -> v > 0);
      assertThat(processed).isPositive();
      assertThat(value(api, "up{job=\"hydrastream\"}")).isEqualTo(1);
      assertThat(value(api, "hydrastream_ready")).isEqualTo(1);
      assertThat(value(api, "count(hydrastream_frames_received_total > 0)")).isEqualTo(CAMERAS);
      assertThat(value(api, "sum(hydrastream_stage_seconds_count{stage=\"model\"})")).isPositive();
      assertThat(value(api, "sum(hydrastream_frame_latency_seconds_sum)")).isPositive();
      assertThat(value(api, "sum(hydrastream_results_total{task=\"detection\"})")).isPositive();
      assertThat(value(api, "sum(hydrastream_batch_size_count)")).isPositive();
      assertThat(value(api, "count(hydrastream_model_info)")).isEqualTo(1);
      // one series per rule of topologies/alerts.yaml, from the start
      assertThat(value(api, "count(hydrastream_alerts_total)"))
          .isEqualTo(AlertRules.load(Path.of("topologies/alerts.yaml")).rules().size());
      assertThat(value(api, "sum(jvm_memory_used_bytes)")).isPositive();
      assertThat(value(api, "sum(hydrastream_kafka_streams_alive_stream_threads)")).isPositive();
      Eventually.await(
          "dead letters of the truncated frames",
          Duration.ofMinutes(1),
          () -> value(api, "sum(hydrastream_dead_letters_total{reason=\"TRUNCATED\"})"),
          v -> v > 0);
      JsonNode rules = Json.MAPPER.readTree(Http.get(api + "rules").body());
      assertThat(rules.toString())
          .contains("HydrastreamNotReady")
          .contains("HydrastreamLagGrowing");
    } finally {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until a script returns a value and returns it. The page is read in one script because
   * cards and lists are redrawn on every push: an element found by one call may be gone by the
   * next.
   */
  @SuppressWarnings("unchecked")
  private static <T> T read(WebDriver browser, Duration within, String script, Object... args) {
    return waitFor(browser, within)
        .until(b -> (T) ((JavascriptExecutor) b).executeScript(script, args));
  }

  /** A wait that tries again when an element it read was redrawn in the meantime. */
  private static WebDriverWait waitFor(WebDriver browser, Duration within) {
    WebDriverWait wait = new WebDriverWait(browser, within);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Moves the page's score threshold as a viewer would (an input event). */
  private static void setThreshold(WebDriver browser, double v) {
    ((JavascriptExecutor) browser)
        .executeScript(
            "const t = document.getElementById('score-threshold');"
                + " t.value = String(arguments[0]); t.dispatchEvent(new Event('input'));",
            v);
  }

  /** The value of a one-series instant query (NaN when it has no series). */
  private static double value(String api, String query) throws Exception {
    JsonNode r =
        Json.MAPPER.readTree(
            Http.get(api + "query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
                .body());
    JsonNode result = r.path("data").path("result");
    if (result.size() == 0) {
      return Double.NaN;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }
}
