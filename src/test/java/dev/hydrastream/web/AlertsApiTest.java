package dev.hydrastream.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.schema.PerceptionAlert;
import dev.hydrastream.schema.Severity;
import dev.hydrastream.streams.events.RecentAlerts;
import dev.hydrastream.testing.Http;
import dev.hydrastream.util.Json;
import dev.hydrastream.wire.OutputFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/alerts} on a real server with the dashboard's alerts view fed directly (no broker):
 * newest first, bounded, filtered by vehicle, counts by rule, both wire formats, JSON errors.
 */
class AlertsApiTest {

  private static final long T0 = 1_795_384_123_456L;

  static PerceptionAlert alert(String vehicle, int seq, String rule, Severity severity) {
    return PerceptionAlert.newBuilder()
        .setFrameId("cam-" + vehicle + ":" + seq)
        .setCameraId("cam-" + vehicle)
        .setVehicleId(vehicle)
        .setFrameSeq(seq)
        .setCaptureTs(Instant.ofEpochMilli(T0 + 200L * seq))
        .setFrameWidth(1280)
        .setFrameHeight(720)
        .setModel("hydranet@1")
        .setLatencyMs(150)
        .setRuleId(rule)
        .setSeverity(severity)
        .setDescription("a rule")
        .setFrameIds(List.of("cam-" + vehicle + ":" + seq))
        .setSinceTs(Instant.ofEpochMilli(T0 + 200L * seq))
        .setEvidence(Map.of("speed_mps", "11.8"))
        .setSuppressed(0)
        .build();
  }

  @Test
  void recentAlertsNewestFirstBoundedByVehicleWithCountsByRule() throws Exception {
    try (WebServer server = WebServer.start(ServiceMetrics.create(), "127.0.0.1", 0)) {
      String base = "http://127.0.0.1:" + server.port();
      Http.Response starting = Http.get(base + "/api/alerts");
      assertThat(starting.status()).isEqualTo(503);
      assertThat(starting.contentType()).startsWith("application/json");

      RecentAlerts recent = RecentAlerts.inMemory();
      server.attachAlerts(recent);
      // Out of capture order, two vehicles, both formats the service can write.
      List<Integer> order = new ArrayList<>(List.of(5, 1, 9, 3, 7, 2, 8, 4, 6, 0));
      for (int seq : order) {
        String vehicle = seq % 2 == 0 ? "veh-0" : "veh-1";
        String rule = seq % 3 == 0 ? "harsh-braking-object-close" : "ego-lane-lost";
        Severity sev = seq % 3 == 0 ? Severity.CRITICAL : Severity.WARNING;
        OutputFormat f = seq % 2 == 0 ? OutputFormat.AVRO : OutputFormat.JSON;
        recent.add(f.encode(alert(vehicle, seq, rule, sev)));
      }
      recent.add(new byte[] {1, 2, 3}); // unreadable: skipped, counted in the log only

      JsonNode all = get(base + "/api/alerts");
      assertThat(all.path("enabled").asBoolean()).isTrue();
      assertThat(all.path("total").asLong()).isEqualTo(10);
      assertThat(seqs(all)).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
      JsonNode newest = all.path("alerts").get(0);
      assertThat(newest.path("rule_id").asText()).isEqualTo("harsh-braking-object-close");
      assertThat(newest.path("severity").asText()).isEqualTo("CRITICAL");
      assertThat(newest.path("vehicle_id").asText()).isEqualTo("veh-1");
      assertThat(newest.path("capture_ts").asLong()).isEqualTo(T0 + 200L * 9);
      assertThat(newest.path("evidence").path("speed_mps").asText()).isEqualTo("11.8");
      // seq 0, 3, 6, 9 are harsh braking; the rest lost the lane
      assertThat(all.path("by_rule").path("harsh-braking-object-close").path("count").asLong())
          .isEqualTo(4);
      assertThat(all.path("by_rule").path("harsh-braking-object-close").path("severity").asText())
          .isEqualTo("CRITICAL");
      assertThat(all.path("by_rule").path("ego-lane-lost").path("count").asLong()).isEqualTo(6);

      assertThat(seqs(get(base + "/api/alerts?limit=3"))).containsExactly(9L, 8L, 7L);
      JsonNode veh0 = get(base + "/api/alerts?vehicle=veh-0&limit=2");
      assertThat(seqs(veh0)).containsExactly(8L, 6L);
      assertThat(veh0.path("total").asLong()).isEqualTo(5);
      assertThat(veh0.path("by_rule").path("harsh-braking-object-close").path("count").asLong())
          .isEqualTo(2); // 0 and 6
      JsonNode nobody = get(base + "/api/alerts?vehicle=veh-9");
      assertThat(nobody.path("alerts").size()).isZero();
      assertThat(nobody.path("total").asLong()).isZero();

      for (String bad :
          List.of(
              "/api/alerts?limit=0",
              "/api/alerts?limit=" + (RecentAlerts.CAPACITY + 1),
              "/api/alerts?limit=abc",
              "/api/alerts?vehicle=a/b",
              "/api/alerts?vehicle=",
              "/api/alerts?camera=cam-0")) {
        Http.jsonError(base + bad, 400);
      }
      assertThat(Http.jsonError(base + "/api/alerts?limit=abc", 400)).isEqualTo("malformed limit");
      for (String path : List.of("/api/alerts/", "/api/alerts/veh-0", "/api/alert")) {
        Http.jsonError(base + path, 404);
      }
      assertThat(Http.request("POST", base + "/api/alerts").status()).isEqualTo(404);
    }
  }

  @Test
  void keepsTheNewestUpToCapacity() {
    RecentAlerts recent = RecentAlerts.inMemory();
    int n = RecentAlerts.CAPACITY + 20;
    for (int seq = n - 1; seq >= 0; seq--) {
      recent.add(OutputFormat.AVRO.encode(alert("veh-0", seq, "r", Severity.INFO)));
    }
    JsonNode doc = recent.document(null, RecentAlerts.CAPACITY);
    assertThat(doc.path("alerts").size()).isEqualTo(RecentAlerts.CAPACITY);
    assertThat(doc.path("alerts").get(0).path("frame_seq").asLong()).isEqualTo(n - 1);
    assertThat(doc.path("alerts").get(RecentAlerts.CAPACITY - 1).path("frame_seq").asLong())
        .isEqualTo(20);
    // counts cover every alert read, not only the kept ones
    assertThat(doc.path("total").asLong()).isEqualTo(n);
  }

  @Test
  void rulesOffSaysSo() throws Exception {
    try (WebServer server = WebServer.start(ServiceMetrics.create(), "127.0.0.1", 0)) {
      server.attachAlerts(RecentAlerts.off());
      JsonNode doc = get("http://127.0.0.1:" + server.port() + "/api/alerts");
      assertThat(doc.path("enabled").asBoolean()).isFalse();
      assertThat(doc.path("alerts").size()).isZero();
    }
  }

  private static JsonNode get(String url) throws Exception {
    Http.Response r = Http.get(url);
    assertThat(r.status()).as(url).isEqualTo(200);
    assertThat(r.contentType()).as(url).startsWith("application/json");
    return Json.MAPPER.readTree(r.body());
  }

  private static List<Long> seqs(JsonNode doc) {
    List<Long> out = new ArrayList<>();
    doc.path("alerts").forEach(a -> out.add(a.path("frame_seq").asLong()));
    return out;
  }
}
