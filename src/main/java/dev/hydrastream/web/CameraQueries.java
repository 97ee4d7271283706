package dev.hydrastream.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.streams.dashboard.LatestFrames;
import dev.hydrastream.streams.timing.CameraClock;
import dev.hydrastream.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers camera queries from the latest-frame store wherever it lives: this instance's part by
 * interactive query, another instance's part by asking that instance over HTTP (the same REST path,
 * marked {@link #FORWARDED} so it answers from its own store and never forwards again).
 */
final class CameraQueries {

  /** Header marking a request one instance forwards to another. */
  static final String FORWARDED = "X-Hydra-Forwarded";

  /** An answer: HTTP status and a JSON body. */
  record Answer(int status, byte[] body) {
    static Answer json(int status, JsonNode n) {
      try {
        return new Answer(status, Json.MAPPER.writeValueAsBytes(n));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static Answer error(int status, String error, String detail) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("error", error);
      if (detail != null) {
        n.put("detail", detail);
      }
      return json(status, n);
    }
  }

  private final LatestFrames latest;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  CameraQueries(LatestFrames latest) {
    this.latest = latest;
  }

  /** {@code cameraId}'s latest frame: from this instance's store or from the owner's. */
  Answer latest(String cameraId, boolean forwarded) {
    Optional<HostInfo> owner = forwarded ? Optional.empty() : latest.owner(cameraId);
    if (owner.isPresent() && !latest.isSelf(owner.get())) {
      return forward(
          owner.get(),
          "/api/cameras/" + URLEncoder.encode(cameraId, StandardCharsets.UTF_8) + "/latest");
    }
    return latest
        .local(cameraId)
        .map(b -> new Answer(200, b))
        .orElseGet(() -> Answer.error(404, "unknown camera", cameraId));
  }

  /**
   * Every camera (without thumbnails and masks; detections and tracks counted; with its late and
   * out-of-order counts) from this instance and, unless {@code forwarded}, from every other
   * instance holding part of the store, sorted by camera id. A camera without a latest frame but
   * with late or out-of-order frames (e.g. every frame of it dead-lettered so far) is listed too,
   * with its counts.
   */
  Answer cameras(boolean forwarded) {
    Map<String, JsonNode> all = new TreeMap<>();
    String self = latest.self().map(h -> h.host() + ":" + h.port()).orElse("local");
    Map<String, CameraClock> clocks = latest.localClocks();
    for (Map.Entry<String, byte[]> e : latest.localAll().entrySet()) {
      all.put(e.getKey(), withClock(summary(read(e.getValue()), self), clocks.get(e.getKey())));
    }
    clocks.forEach(
        (camera, clock) -> {
          if (!all.containsKey(camera) && clock.late() + clock.outOfOrder() > 0) {
            all.put(camera, clockOnly(camera, clock, self));
          }
        });
    if (!forwarded) {
      for (HostInfo other : latest.others()) {
        Answer a = forward(other, "/api/cameras");
        if (a.status() != 200) {
          return Answer.error(502, "instance " + other + " did not answer", new String(a.body()));
        }
        for (JsonNode c : read(a.body()).path("cameras")) {
          all.put(c.path("camera_id").asText(), c);
        }
      }
    }
    ObjectNode n = Json.MAPPER.createObjectNode();
    ArrayNode list = n.putArray("cameras");
    all.values().forEach(list::add);
    return Answer.json(200, n);
  }

  /** A camera's entry without the heavy fields, and which instance holds it. */
  static ObjectNode summary(JsonNode full, String instance) {
    ObjectNode s = ((ObjectNode) full).deepCopy();
    s.remove("thumbnail");
    s.remove("mask");
    ArrayNode dets = (ArrayNode) s.remove("detections");
    s.put("detections", dets == null ? 0 : dets.size());
    ArrayNode tracks = (ArrayNode) s.remove("tracks");
    s.put("tracks", tracks == null ? 0 : tracks.size());
    s.put("instance", instance);
    return s;
  }

  /**
   * {@code entry} with its camera's late and out-of-order counts: {@code late}, {@code outOfOrder},
   * {@code deadLettered} (frames dead-lettered as LATE or OUT_OF_ORDER) and {@code lastAnsweredTs}
   * (capture time of the newest answered frame, null before the first); all 0 for a camera without
   * a clock.
   */
  static ObjectNode withClock(ObjectNode entry, CameraClock clock) {
    CameraClock c = clock == null ? CameraClock.EMPTY : clock;
    entry.put("late", c.late());
    entry.put("outOfOrder", c.outOfOrder());
    entry.put("deadLettered", c.deadLettered());
    if (c.answered()) {
      entry.put("lastAnsweredTs", c.lastAnsweredTs());
    } else {
      entry.putNull("lastAnsweredTs");
    }
    return entry;
  }

  /**
   * The entry of a camera known only by its clock (no frame answered, or its latest-frame entry
   * dropped by {@code metrics.cameras.max}): the numbers the dashboard draws, at 0.
   */
  static ObjectNode clockOnly(String camera, CameraClock clock, String instance) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("camera_id", camera);
    n.put("fps", 0.0);
    n.put("latency_ms", 0.0);
    n.put("frames", 0);
    n.put("detections", 0);
    n.put("instance", instance);
    return withClock(n, clock);
  }

  private Answer forward(HostInfo host, String path) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
            .header(FORWARDED, "true")
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return Answer.error(502, "instance " + host + " is unreachable", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.error(503, "interrupted", null);
    }
  }

  static JsonNode read(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + e.getMessage(), e);
    }
  }
}
