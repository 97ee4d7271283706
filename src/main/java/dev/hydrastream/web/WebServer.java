package dev.hydrastream.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hydrastream.metrics.ModelAgreement;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.metrics.ShadowStats;
import dev.hydrastream.metrics.Stage;
import dev.hydrastream.spec.Head;
import dev.hydrastream.spec.ModelCard;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.control.ControlRecords;
import dev.hydrastream.streams.control.ModelControl;
import dev.hydrastream.streams.events.RecentAlerts;
import dev.hydrastream.util.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one HTTP port (Javalin): the live dashboard at {@code /} (plain HTML/JS/CSS from
 * the jar), {@code /api/cameras}, {@code /api/cameras/{id}/latest}, {@code /api/alerts} (recent
 * committed alerts, newest first, and counts by rule), {@code /api/model} (the served model: its
 * id, {@code min_score} — the {@code model.min.score} below which detections are not published, the
 * dashboard's default score threshold — its OOD threshold, detection labels and the last activation
 * from perception.control with its outcome), {@code /api/shadow} (the shadow model's running
 * comparison with the served one, {@code shadow.model}), {@code /api/events} (Server-Sent Events),
 * {@code /metrics} (Prometheus text format), {@code /healthz} and {@code /readyz}. Nothing else is
 * served: any other path, or another method, gets a JSON 404. It starts before the model loads, so
 * {@code /readyz} can say 503 until the service is {@link #attach attached} and running.
 */
public final class WebServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  /** Liveness: 200 while the process serves HTTP (container and Kubernetes health checks). */
  public static final String HEALTH_PATH = "/healthz";

  /** Readiness: 200 once the model is loaded and Kafka Streams is RUNNING, else 503. */
  public static final String READY_PATH = "/readyz";

  /** Prometheus text format (the scrape path of deploy/). */
  public static final String METRICS_PATH = "/metrics";

  /** Camera ids the REST paths accept: printable, no slash, at most 200 characters. */
  static final Pattern CAMERA_ID = Pattern.compile("[\\p{Graph}&&[^/\\\\]]{1,200}");

  /** The static files of the dashboard: path → (classpath resource, content type). */
  static final Map<String, String[]> ASSETS =
      Map.of(
          "/", new String[] {"web/index.html", "text/html; charset=utf-8"},
          "/app.js", new String[] {"web/app.js", "text/javascript; charset=utf-8"},
          "/style.css", new String[] {"web/style.css", "text/css; charset=utf-8"});

  /** Query parameters {@code /api/alerts} accepts. */
  static final Set<String> ALERT_PARAMS = Set.of("vehicle", "limit");

  /** Alerts {@code /api/alerts} returns without {@code limit} (and the dashboard is pushed). */
  static final int DEFAULT_ALERTS = 50;

  /** Request attribute set when a handler wrote its own JSON answer (a 404 it means). */
  private static final String ANSWERED = "hydra.answered";

  private final ServiceMetrics metrics;
  private final Javalin app;
  private final Events events;
  private volatile PerceptionService service;
  private volatile CameraQueries queries;
  private volatile RecentAlerts alerts;

  private WebServer(ServiceMetrics metrics, String host, int port) {
    this.metrics = metrics;
    this.events = new Events(this::queries, () -> alerts, metrics);
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              // Only the documented paths: "/api/cameras/" is not "/api/cameras".
              cfg.router.ignoreTrailingSlashes = false;
              ASSETS.forEach((path, asset) -> cfg.routes.get(path, ctx -> asset(ctx, asset)));
              cfg.routes.get(HEALTH_PATH, ctx -> json(ctx, 200, status("live")));
              cfg.routes.get(READY_PATH, this::readyz);
              cfg.routes.get(METRICS_PATH, this::metrics);
              cfg.routes.get("/api/cameras", ctx -> answer(ctx, q -> q.cameras(forwarded(ctx))));
              cfg.routes.get("/api/cameras/{id}/latest", this::latest);
              cfg.routes.get("/api/alerts", this::alerts);
              cfg.routes.get("/api/model", this::model);
              cfg.routes.get("/api/shadow", this::shadow);
              cfg.routes.sse("/api/events", events::join);
              cfg.routes.error(
                  404,
                  ctx -> {
                    if (ctx.attribute(ANSWERED) == null) {
                      notFound(ctx, "no such path");
                    }
                  });
              cfg.routes.error(
                  405,
                  ctx -> {
                    ctx.status(404);
                    notFound(ctx, "no such path");
                  });
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error", e.getClass().getSimpleName());
                  });
            });
    app.start(host, port);
    events.start();
  }

  /** Binds {@code host:port} (port 0: a free one) and starts serving. */
  public static WebServer start(ServiceMetrics metrics, String host, int port) {
    return new WebServer(metrics, host, port);
  }

  /** The bound port. */
  public int port() {
    return app.port();
  }

  /** Serves {@code service}'s data from now on; {@code /readyz} follows its state. */
  public void attach(PerceptionService service) {
    this.queries = new CameraQueries(service.latestFrames());
    this.service = service;
  }

  /** Serves {@code recent} at {@code /api/alerts} (and pushes it to the dashboard) from now on. */
  public void attachAlerts(RecentAlerts recent) {
    this.alerts = recent;
  }

  private CameraQueries queries() {
    return queries;
  }

  private void readyz(Context ctx) {
    PerceptionService s = service;
    boolean ready = s != null && s.ready();
    ObjectNode n = status(ready ? "ready" : "not ready");
    n.put("model_loaded", s != null);
    n.put("streams_state", s == null ? "NOT_STARTED" : s.streams().state().toString());
    json(ctx, ready ? 200 : 503, n);
  }

  /** Whether the service is attached and ready ({@code hydrastream_ready}). */
  public boolean ready() {
    PerceptionService s = service;
    return s != null && s.ready();
  }

  private void metrics(Context ctx) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 10);
    metrics.scrape(out);
    ctx.contentType(ServiceMetrics.contentType()).result(out.toByteArray());
  }

  private void latest(Context ctx) {
    String id = ctx.pathParam("id");
    if (!CAMERA_ID.matcher(id).matches()) {
      error(ctx, 404, "malformed camera id", "1 to 200 printable characters, no slash");
      return;
    }
    answer(ctx, q -> q.latest(id, forwarded(ctx)));
  }

  private void model(Context ctx) {
    PerceptionService s = service;
    if (s == null) {
      error(ctx, 503, "the service is starting", null);
      return;
    }
    ObjectNode n = model(s.serving().card(), s.serving().minScore());
    ModelControl control = s.modelControl();
    ControlRecords.LastActivation last = control == null ? null : control.last();
    // the last activation from perception.control and its outcome (null: none since start)
    n.set("last_activation", last == null ? null : Json.MAPPER.valueToTree(last));
    json(ctx, 200, n);
  }

  private void shadow(Context ctx) {
    PerceptionService s = service;
    if (s == null) {
      error(ctx, 503, "the service is starting", null);
      return;
    }
    ObjectNode n = shadow(s.shadow() == null ? null : s.shadow().stats().snapshot());
    // the incumbent's own model calls, with or without a shadow: what a shadow must not slow
    number(n, "incumbent_model_ms_p50", metrics.quantile(Stage.MODEL, 0.5) * 1000);
    json(ctx, 200, n);
  }

  /**
   * The body of {@code /api/shadow}: {@code enabled} false without a shadow, else the two models,
   * the frame counts and the running agreement (NaN figures as null).
   */
  static ObjectNode shadow(ShadowStats.Snapshot st) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("enabled", st != null);
    if (st == null) {
      return n;
    }
    n.put("incumbent", st.incumbent());
    n.put("shadow", st.shadow());
    n.put("fraction", st.fraction());
    n.put("sampled", st.sampled());
    n.put("dropped", st.dropped());
    n.put("compared", st.compared());
    n.put("failed", st.failed());
    ModelAgreement.Report r = st.agreement();
    ObjectNode agreement = n.putObject("attribute_agreement");
    r.attributeAgreement().forEach((k, v) -> number(agreement, k, v));
    ObjectNode f1 = n.putObject("detection_f1");
    r.detectionF1().forEach((k, v) -> number(f1, k, v));
    number(n, "mask_iou", r.maskIou());
    number(n, "mean_latency_delta_ms", st.meanLatencyDeltaMs());
    return n;
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  /** The body of {@code /api/model}. */
  static ObjectNode model(ModelCard card, double minScore) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("model", card.id());
    n.put("name", card.name());
    n.put("version", card.version());
    n.put("min_score", minScore);
    if (card.oodOutput() != null) {
      n.put("ood_threshold", card.oodThreshold());
    } else {
      n.putNull("ood_threshold");
    }
    ArrayNode labels = n.putArray("detection_labels");
    card.labels().getOrDefault(Head.DETECTION, List.of()).forEach(labels::add);
    return n;
  }

  private void alerts(Context ctx) {
    RecentAlerts a = alerts;
    if (a == null) {
      error(ctx, 503, "the service is starting", null);
      return;
    }
    for (String p : ctx.queryParamMap().keySet()) {
      if (!ALERT_PARAMS.contains(p)) {
        error(ctx, 400, "unknown query parameter", p + " (known: limit, vehicle)");
        return;
      }
    }
    String vehicle = ctx.queryParam("vehicle");
    if (vehicle != null && !CAMERA_ID.matcher(vehicle).matches()) {
      error(ctx, 400, "malformed vehicle id", "1 to 200 printable characters, no slash");
      return;
    }
    int limit = DEFAULT_ALERTS;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1 || limit > RecentAlerts.CAPACITY) {
        error(
            ctx,
            400,
            "malformed limit",
            "an integer from 1 to " + RecentAlerts.CAPACITY + ", got '" + l + "'");
        return;
      }
    }
    json(ctx, 200, a.document(vehicle, limit));
  }

  private void answer(
      Context ctx, java.util.function.Function<CameraQueries, CameraQueries.Answer> f) {
    CameraQueries q = queries;
    if (q == null) {
      error(ctx, 503, "the service is starting", null);
      return;
    }
    CameraQueries.Answer a;
    try {
      a = f.apply(q);
    } catch (InvalidStateStoreException e) {
      error(ctx, 503, "the latest-frame store is not queryable now", e.getMessage());
      return;
    }
    send(ctx, a);
  }

  private static void send(Context ctx, CameraQueries.Answer a) {
    ctx.attribute(ANSWERED, true);
    ctx.status(a.status()).contentType("application/json").result(a.body());
  }

  private static boolean forwarded(Context ctx) {
    return "true".equals(ctx.header(CameraQueries.FORWARDED));
  }

  private static void asset(Context ctx, String[] asset) throws IOException {
    try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(asset[0])) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("missing resource " + asset[0]));
      }
      ctx.contentType(asset[1]).result(in.readAllBytes());
    }
  }

  private static ObjectNode status(String s) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("status", s);
    return n;
  }

  private static void notFound(Context ctx, String detail) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("error", "not found");
    n.put("path", ctx.path());
    n.put("detail", detail);
    json(ctx, 404, n);
  }

  private static void error(Context ctx, int status, String error, String detail) {
    send(ctx, CameraQueries.Answer.error(status, error, detail));
  }

  private static void json(Context ctx, int status, ObjectNode n) {
    send(ctx, CameraQueries.Answer.json(status, n));
  }

  @Override
  public void close() {
    events.close();
    app.stop();
  }
}
