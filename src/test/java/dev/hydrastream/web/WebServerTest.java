package dev.hydrastream.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.testing.Http;
import dev.hydrastream.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server before any service is attached (no broker, no model): the documented paths only,
 * JSON errors, liveness without readiness.
 */
class WebServerTest {

  private static WebServer server;
  private static String base;

  @BeforeAll
  static void start() {
    server = WebServer.start(ServiceMetrics.create(), "127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void liveButNotReadyWithoutAService() throws Exception {
    Http.Response live = Http.get(base + "/healthz");
    assertThat(live.status()).isEqualTo(200);
    Http.Response ready = Http.get(base + "/readyz");
    assertThat(ready.status()).isEqualTo(503);
    JsonNode n = Json.MAPPER.readTree(ready.body());
    assertThat(n.path("model_loaded").asBoolean()).isFalse();
    assertThat(n.path("status").asText()).isEqualTo("not ready");
    for (String path : List.of("/api/cameras", "/api/alerts", "/api/model")) {
      Http.Response api = Http.get(base + path);
      assertThat(api.status()).as(path).isEqualTo(503);
      assertThat(api.contentType()).as(path).startsWith("application/json");
    }
  }

  @Test
  void servesTheDashboardAndMetrics() throws Exception {
    Http.Response page = Http.get(base + "/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("/app.js").contains("/style.css");
    assertThat(Http.get(base + "/app.js").body()).contains("EventSource('/api/events')");
    assertThat(Http.get(base + "/style.css").status()).isEqualTo(200);
    Http.Response metrics = Http.get(base + "/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  void anythingElseIsAJsonNotFound() throws Exception {
    for (String path :
        List.of(
            "/nope",
            "/web/index.html",
            "/index.html",
            "/app.js.map",
            "/WEB-INF/web.xml",
            "/api",
            "/api/cameras/",
            "/api/cameras/cam-0",
            "/api/cameras/cam-0/latest/extra",
            "/api/cameras/a/b/latest",
            "/api/cameras/%20/latest",
            "/api/cameras/" + "x".repeat(201) + "/latest",
            "/metrics/extra",
            "/api/alerts/",
            "/api/model/",
            "/api/model/hydranet",
            "/api/alerts/veh-0")) {
      Http.jsonError(base + path, 404);
    }
    Http.Response malformed = Http.get(base + "/api/cameras/%20/latest");
    assertThat(Json.MAPPER.readTree(malformed.body()).path("error").asText())
        .isEqualTo("malformed camera id");
    // A path escaping the root is refused by Jetty before routing (400), never resolved.
    Http.Response escape = Http.get(base + "/../../etc/passwd");
    assertThat(escape.status()).isIn(400, 404);
    assertThat(escape.body()).doesNotContain("root:");
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      Http.Response r = Http.request(method, base + "/healthz");
      assertThat(r.status()).as(method).isEqualTo(404);
      assertThat(r.contentType()).as(method).startsWith("application/json");
    }
  }

  @Test
  void theModelDocumentGivesTheDashboardItsDefaultThreshold() {
    ModelCard card =
        new ModelCard(
            "hydranet",
            "2",
            224,
            384,
            Map.of(Head.DETECTION, List.of("pedestrian", "car")),
            Map.of(Head.DETECTION, List.of("det_boxes")),
            Json.MAPPER.createObjectNode());
    JsonNode n = WebServer.model(card, 0.3);
    assertThat(n.path("model").asText()).isEqualTo("hydranet@2");
    assertThat(n.path("min_score").asDouble()).isEqualTo(0.3);
    assertThat(n.path("ood_threshold").isNull()).isTrue();
    assertThat(n.path("detection_labels").toString()).isEqualTo("[\"pedestrian\",\"car\"]");
  }
}
