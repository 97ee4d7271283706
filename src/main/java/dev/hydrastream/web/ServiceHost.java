package dev.hydrastream.web;

import dev.hydrastream.config.Settings;
import dev.hydrastream.metrics.ServiceMetrics;
import dev.hydrastream.streams.PerceptionService;
import dev.hydrastream.streams.events.RecentAlerts;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The perception service with its HTTP server, as {@code run} and {@code demo} start it: {@link
 * #open} binds the port first (so {@code /healthz} answers and {@code /readyz} says 503 while the
 * model loads), {@link #start} loads the model, tells Kafka Streams where this instance's HTTP
 * server is ({@code application.server}, for forwarded dashboard queries) and starts it; {@link
 * #close} stops the service, then the server.
 */
public final class ServiceHost implements AutoCloseable {

  private final Settings settings;
  private final ServiceMetrics metrics;
  private final WebServer web;
  private volatile PerceptionService service;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile RecentAlerts alerts;

  private ServiceHost(Settings settings) {
    this.settings = settings;
    this.metrics = ServiceMetrics.of(settings);
    String host = settings.getString(Settings.HTTP_HOST);
    int port = settings.getInt(Settings.HTTP_PORT);
    try {
      this.web = WebServer.start(metrics, host, port);
    } catch (RuntimeException e) {
      throw new ConfigException(
          Settings.HTTP_HOST + "/" + Settings.HTTP_PORT,
          host + ":" + port,
          "cannot serve HTTP there: " + rootMessage(e));
    }
    metrics.readiness(web::ready);
  }

  /**
   * Runs the start-up checks ({@link PerceptionService#checkBeforeStart}: model files, brokers,
   * topics), then binds the HTTP server ({@code http.host}, {@code http.port}); the model is not
   * loaded yet.
   */
  public static ServiceHost open(Settings settings) {
    // A damaged model, a wrong broker address or a missing topic is the likelier mistake: named
    // first, in seconds, before a port is taken (the service checks again when it is created).
    PerceptionService.checkBeforeStart(settings);
    return new ServiceHost(settings);
  }

  /** The bound port. */
  public int port() {
    return web.port();
  }

  /** The dashboard's URL as a browser on this machine reaches it. */
  public String url() {
    String host = settings.getString(Settings.HTTP_HOST);
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
  }

  /**
   * Loads the model, creates and starts the service, waits until Kafka Streams is RUNNING, then
   * starts the dashboard's reader of committed alerts ({@link RecentAlerts}).
   */
  public ServiceHost start(Duration timeout) throws InterruptedException {
    Settings s =
        settings.with(
            Map.of(
                Settings.KAFKA_PREFIX + StreamsConfig.APPLICATION_SERVER_CONFIG,
                advertisedHost(settings) + ":" + port()));
    PerceptionService created = PerceptionService.create(s, metrics);
    service = created;
    web.attach(created);
    created.start(timeout);
    // After start: the alerts topic exists (topic.create) and the rules compiled.
    alerts =
        settings.getBoolean(Settings.TELEMETRY_ENABLED)
            ? RecentAlerts.read(settings)
            : RecentAlerts.off();
    web.attachAlerts(alerts);
    return this;
  }

  /** Where other instances reach this one: {@code http.advertised.host}, else the bind address. */
  static String advertisedHost(Settings settings) {
    String advertised = settings.getString(Settings.HTTP_ADVERTISED_HOST);
    if (!advertised.isBlank()) {
      return advertised;
    }
    String host = settings.getString(Settings.HTTP_HOST);
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      throw new ConfigException(
          Settings.HTTP_ADVERTISED_HOST,
          advertised,
          "http.host is a wildcard and this host's name does not resolve (" + e.getMessage() + ")");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.toString();
  }

  /** The running service (null before {@link #start}). */
  public PerceptionService service() {
    return service;
  }

  /** The alerts the dashboard shows (null before {@link #start}). */
  public RecentAlerts alerts() {
    return alerts;
  }

  public ServiceMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (alerts != null) {
        alerts.close();
      }
      if (service != null) {
        service.close();
      }
    } finally {
      web.close();
    }
  }
}
