package dev.hydrastream.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.streams.events.RecentAlerts;
import dev.hydrastream.util.Json;
import io.javalin.http.sse.SseClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's Server-Sent Events ({@code /api/events}): every {@link #PERIOD_MS} the camera
 * list is read (all instances), and each camera whose latest frame changed is pushed as a {@code
 * camera} event (the {@code /api/cameras/{id}/latest} document); a {@code stats} event carries the
 * camera summaries and the dead letters by reason; an {@code alerts} event (the {@code /api/alerts}
 * document) whenever committed alerts arrived. A new client first gets every camera's current frame
 * and the alerts. Nothing is read while no client listens.
 */
final class Events implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  static final long PERIOD_MS = 300;

  private final Supplier<CameraQueries> queries;
  private final Supplier<RecentAlerts> alerts;
  private final ServiceMetrics metrics;
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final List<SseClient> fresh = new CopyOnWriteArrayList<>();
  private final Map<String, String> lastFrame = new HashMap<>();
  private long lastAlerts = -1;
  private final Thread thread;
  private volatile boolean closed;

  Events(Supplier<CameraQueries> queries, Supplier<RecentAlerts> alerts, ServiceMetrics metrics) {
    this.queries = queries;
    this.alerts = alerts;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "hydra-dashboard-events");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** A new SSE connection: kept open until the client leaves. */
  void join(SseClient client) {
    client.keepAlive();
    client.onClose(
        () -> {
          clients.remove(client);
          fresh.remove(client);
        });
    fresh.add(client);
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(PERIOD_MS);
        if (!clients.isEmpty() || !fresh.isEmpty()) {
          tick();
        }
      } catch (InterruptedException e) {
        return;
      } catch (InvalidStateStoreException e) {
        send(clients, "status", "{\"state\":\"rebalancing\"}");
      } catch (RuntimeException e) {
        LOG.warn("dashboard events: {}", e.toString());
      }
    }
  }

  private void tick() {
    List<SseClient> joining = List.copyOf(fresh);
    fresh.removeAll(joining);
    alerts(joining);
    CameraQueries q = queries.get();
    if (q == null) {
      send(joining, "status", "{\"state\":\"starting\"}");
      send(clients, "status", "{\"state\":\"starting\"}");
      clients.addAll(joining);
      return;
    }
    CameraQueries.Answer list = q.cameras(false);
    if (list.status() != 200) {
      clients.addAll(joining);
      return;
    }
    JsonNode cameras = CameraQueries.read(list.body()).path("cameras");
    // Forget cameras no longer listed (dropped from the bounded stores), or this map would grow.
    java.util.Set<String> listed = new java.util.HashSet<>();
    cameras.forEach(c -> listed.add(c.path("camera_id").asText()));
    lastFrame.keySet().retainAll(listed);
    for (JsonNode c : cameras) {
      String id = c.path("camera_id").asText();
      String frame = c.path("frame_id").asText();
      boolean changed = !frame.equals(lastFrame.get(id));
      if (!changed && joining.isEmpty()) {
        continue;
      }
      CameraQueries.Answer a = q.latest(id, false);
      if (a.status() != 200) {
        continue;
      }
      String body = new String(a.body(), StandardCharsets.UTF_8);
      send(joining, "camera", body);
      if (changed) {
        send(clients, "camera", body);
        lastFrame.put(id, frame);
      }
    }
    clients.addAll(joining);
    ObjectNode stats = Json.MAPPER.createObjectNode();
    stats.set("cameras", cameras);
    ObjectNode dl = stats.putObject("dead_letters");
    metrics.deadLettersByReason().forEach(dl::put);
    stats.put("time", System.currentTimeMillis());
    send(clients, "stats", stats.toString());
  }

  /** The {@code alerts} event: to every client when there are new alerts, else to new clients. */
  private void alerts(List<SseClient> joining) {
    RecentAlerts a = alerts.get();
    if (a == null) {
      return;
    }
    long version = a.version();
    boolean changed = version != lastAlerts;
    if (!changed && joining.isEmpty()) {
      return;
    }
    String doc = a.document(null, WebServer.DEFAULT_ALERTS).toString();
    send(joining, "alerts", doc);
    if (changed) {
      send(clients, "alerts", doc);
      lastAlerts = version;
    }
  }

  private static void send(List<SseClient> to, String event, String data) {
    for (SseClient c : to) {
      synchronized (c) {
        if (!c.terminated()) {
          c.sendEvent(event, data);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    for (SseClient c : clients) {
      c.close();
    }
  }
}
